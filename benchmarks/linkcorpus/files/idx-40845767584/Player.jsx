            <video
              onClick={togglePlay}
            >
              <source
                src={
                  dataById.video_url ??
                  "https://commondatastorage.googleapis.com/gtv-videos-bucket/sample/BigBuckBunny.mp4"
                }
                type="video/mp4"
              />
              Your browser does not support the video tag.
            </video>
