  const btns = [
    {name:"resume",src:"https://drive.google.com/file/d/1F5HMtHwTvk-CZYvFoEjdXVEMtC8dq2w6/view?usp=drive_link"},
  ];
