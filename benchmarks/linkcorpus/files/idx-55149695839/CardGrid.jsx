import Card from "./Card";


export default function CardGrid() {
    const data = [

        { id: 1, partName:"Double Adapters - Male", imgSrc:"https://drive.google.com/thumbnail?id=1HI-BP4exGIb7sADpZ-FQS2QFx_bzC3YV"},
    ];
