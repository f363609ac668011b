  <div class="col-xs-6">
      <div class="showtop_img single-item">
        @foreach($shop->photos()->get() as $photo)
        <h3>
          <img src="http://drive.google.com/uc?export=view&id={{ $photo->image }}">
        </h3>
        @endforeach
      </div>
  </div>

    <!-- 地図を表示 -->
