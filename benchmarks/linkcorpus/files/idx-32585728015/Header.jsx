      <div className="auth-buttons">
        {isLoggedIn ? (
          <>
            <button className="upload-icon" onClick={handleUploadClick}>
              <img src="https://www.dropbox.com/scl/fi/o4cednhkybd1ty8xsp5x7/upload-icon.png?rlkey=740wbsneunl6hrj76w9uvk71v&st=6qkdj8sz&dl&raw=1" />
            </button>
          </>
        ) : null}
      </div>
