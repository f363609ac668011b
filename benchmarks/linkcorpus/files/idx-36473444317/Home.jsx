  return (
    <div>
      <div className="imagecrousel">
        <img src="https://docs.google.com/uc?id=10dIDneMlX7eHW1vrq11ZNAlVrtqbXQUo" />
      </div>

      <div style={{ padding: "100px 0px", backgroundColor: "#f9f5f3" }}>
      </div>
    </div>
  );
