	//HACK: need to treat hyphenated properties separately
	var DATAURL = "https://02f41be48d339da0cde243ece33c283e3f0c321e.googledrive.com/host/0B9f3hv6KkjXcS19ZMmxxdGE5bUE/twbtn-test/twitter-button-test.html";
	if(twa.setProperty){
		twa.setProperty("data-url", DATAURL, null);
	}
