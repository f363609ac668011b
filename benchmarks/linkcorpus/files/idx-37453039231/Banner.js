import styled from 'styled-components'

const Banner = styled.div`
  width: 100%;
  height: 25vh;
  display: flex;
  align-items: center;
  justify-content: center;
  background: url(https://drive.google.com/file/d/1EkDXZ4l4MFXnIh0EnAfv1Zp2NzE0xBGf/view?usp=drive_link);
  background-position: center;
  background-size: cover;
  background-repeat: no-repeat;
`
