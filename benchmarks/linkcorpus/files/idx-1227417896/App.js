import hand from './assets/cars/giphy.webp';
import './App.css'

const DEFAULT_IMAGE = "https://storage.googleapis.com/kagglesdsdata/datasets/843852/3866417/data/training_images/vid_4_1000.jpg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=gallery-901850%40synthetic-372205.iam.gserviceaccount.com%2F20231026%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20231026T052751Z&X-Goog-Expires=345600&X-Goog-SignedHeaders=host&X-Goog-Signature=dfa68c8e04dd7a4ae06e3b144d8c70617104321e6f8934a81b1180a67e494a9857126083b34e23714a833e16f5c110843328d9a99aad0ca427cd4723617bfc1867881d1af7533bfae52f1f214fa3d8c8fb4a1768fe35c9e109c2bd5d44f77231032db49e1a124d55bc9d900c8411343bde04df5babe422b7a1f7a638a1d1af5f38cd9008a3ba4371b2f90d47efa710238c0243d3e9941202ff70eaa037012777328f450b50fe84e79fde1128d5cbc310e0e63ccbaa06ec13229d292d11649312308aab847e9fb721b8e6f15db97d34f06ef41271ae320542fdf867af2c7324046c6b20aa7ffc74165e7e92a0f55b7186210f2710c26d8490d0109bf04de718f5";
const IMAGE_ONE = "https://storage.googleapis.com/kagglesdsdata/datasets/843852/3866417/data/training_images/vid_4_10040.jpg?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=gallery-901850%40synthetic-372205.iam.gserviceaccount.com%2F20231026%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20231026T052751Z&X-Goog-Expires=345600&X-Goog-SignedHeaders=host&X-Goog-Signature=054161b69eaee9dd01a10affe8d934d60dc8979f7e9314013f5fc5852de92ffc17687bccc0f18e00b777129f549f4879f33883089aa6b19e8c8450c24dd242cb7aea2be38b14d3fcd1916a113bd412ac70a5abdd886731e695a06404b9fda0a65e991b2e1465050d430093e28911ec68dfe584086639541ae9b2af9a8e8df6f34a44d833e2fb8f5101b4ac10c5bf1a34412129ed28b75d5e9519962bd771816fcce0e54c24af12244f46f2b6236d527668be657f06180dfca113b8b9976f9fd54722572ca3dcf998fb1bcd3fdfd010c219202494f9857cc26458c11ae81f94a816782d8c93880dab47dde349577d63e1a8519b70037cbfe19fa04f9c1799245c";
const IMAGE_OBJECTS_NUM = 1;

  const _onReady = (canvas) => {
    fabric.Image.fromURL(DEFAULT_IMAGE, (img) => {
      canvas.set("backgroundImage", img);
      canvas.renderAll();
      onReady(canvas);
    });
  };
