                <div className="wrapper">
                    <div className="profile-card js-profile-card">
                        <div className="profile-card__img">
                            <img src="https://drive.google.com/uc?export=view&amp;id=1O_vpwZddxNEOyKjDBKkpdu7NO3EIy_50  " alt="profile card"></img>
                        </div>
                    </div>
                </div>
