            <small style="margin-top:5px;"> 
                {{$i->link}}
            </small>
            <button wire:click='hapus({{$i->id}})'>hapus</button> <br>
            <div style="background-image: url(http://drive.google.com/uc?export=view&id={{$i->link}})" class="gambariklan">
            <br>
        </div>
        @endforeach
