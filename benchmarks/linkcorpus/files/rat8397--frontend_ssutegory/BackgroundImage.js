import React from "react"
import styled from "styled-components"
const BackgroundImage = styled.img`
    width:100%;
    height:100%;
`;
export default()=>{
    return <BackgroundImage src={"https://lh3.googleusercontent.com/proxy/b_cl4cUmJ95BxtbUGQm-i3wgAkowmZim3rT70f8OTB331-Zi9ETcCoy9n0ecnhJ4yLqJLM6WKQXbxU42hMxbuJsONGSmTCcPfJn1QATKRR13Vi8FWXEkwD43-JuO8-ZogOs7yvOO4Ml_sHobInUknfDoBGuYaf9UnVu4kV2OtjveKiaNSFqnmp--TTaRoNgYRIo9ouKSz43igTXOU8qQ"}></BackgroundImage>
}
