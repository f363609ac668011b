            <div class="centered head-text"
            style="font-weight:bold; color: white;">
                All Stores Website..
            </div> --}}
            <!-- <img src="https://drive.google.com/uc?export=view&id=1bxPWTPFV_1xvYpnqCIug8hXFqI4JAQw7"  alt="..." class="fit-img"> -->
        </div>
