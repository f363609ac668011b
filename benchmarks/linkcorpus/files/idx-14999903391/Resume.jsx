                    <h1>Resume {<FcBusinessman />}  </h1>
                    <div className="">
                        <iframe className="embed-responsive-item" src='https://onedrive.live.com/embed?cid=782EBCDEC263330C&amp;resid=782ebcdec263330c%21266&amp;authkey=ZOXpodtNJrwrmLU&amp;em=2' width='100%' height='650px' frameborder='0'></iframe>
                    </div>
