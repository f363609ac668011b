import {Link} from 'react-router-dom';



const Html =({video})=>{

const data  = ([
    {
        id:1,
        name:"module 1",
        src:"https://drive.google.com/file/d/1oeyGBIMqpXoqoUO1winOkJlvzyw9hPO6/preview",
    },
])
