  useEffect(() => {
    file_name === "sasm" &&
      setCurrentImage(
        "https://firebasestorage.googleapis.com/v0/b/grupo-ciencias.appspot.com/o/Landing%20GC%2FNuestros%20Ciclos%2FHorarios%2Fsasm.png?alt=media&token=9844a83c-60db-4270-820d-38eaf74dfdfc"
      );
  }, [file_name]);
