                        <div className="picture">
                            {/* <img src={passHomeData.profilePicture} alt="" /> */}
                            {/* {passHomeData.profilePicture} */}
                            {/* <img src="gs://portofolio-ca562.appspot.com/zzzz.png" alt="" /> */}
                        </div>
                        <div className="detail">
                        </div>
