    <div id={styles.escaparate}>

      <audio id="asd2" style={{ display: "none" }} controls>
        <source
          src="https://docs.google.com/uc?export=download&id=1KASTwPkpSjkB0uM113MG5bYnj8plmKAP"
          type="audio/mpeg"
        />
      </audio>
