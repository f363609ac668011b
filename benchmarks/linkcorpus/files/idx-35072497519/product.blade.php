                 @if(!empty($decodedImages))
                    @foreach($decodedImages as $image)
                      <div class="swiper-slide">
                        <img class="" src="https://drive.google.com/uc?export=view&id={{ $image }}" alt="" style="width: 100%">
                      </div>
                    @endforeach
                  @endif
