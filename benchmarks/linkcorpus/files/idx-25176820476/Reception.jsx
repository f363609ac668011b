                <div className="flex flex-col items-center">
                    <p className="text-xl pb-6 italic underline">Reception</p>
                    <img className="w-full h-auto" src="https://onedrive.live.com/embed?resid=332220CB5ABF1FD3%21388&authkey=%21I3tpm95PRS_icLt&width=1080&height=1080" alt="test"></img>
                </div>
