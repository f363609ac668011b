      <video
        className=" h-32 w-full rounded-md object-cover object-center"
        src={
          props.url
            ? props.url
            : "http://commondatastorage.googleapis.com/gtv-videos-bucket/sample/WhatCarCanYouGetForAGrand.mp4"
        }
      ></video>
