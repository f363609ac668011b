  return (
    <div className="ui grid container" key={id}>
     
      {cart === undefined  ? ( 
      <img src="http://storage.googleapis.com/gweb-uniblog-publish-prod/original_images/Social_dino-with-hat.gif" style={{ width: "100%", height: "100%" }}alt=""/>
      )
      
      : (
        <div />
      )}
    </div>
  );
