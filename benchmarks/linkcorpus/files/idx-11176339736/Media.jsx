import { useEffect, useState } from "react";

function Media() {
    const placeholderImage = "https://storage.googleapis.com/proudcity/mebanenc/uploads/2021/03/placeholder-image.png"
    const [images, setImages] = useState([placeholderImage])
