  const data = [
    {
      des: "Participated and secured Special certificate in AI hackathon conducted by mercor.com",
      btn_title: "Certificate",
      btn_src:"https://drive.google.com/file/d/1iIfZiEkLasGUxfYt9OmlZ6-QqLkbN_jH/view?usp=sharing",
      img_src: "https://mercor.com/name-logo-white.png",
    },
  ];
