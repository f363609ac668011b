 button {
  background-color: transparent;
  border: none;
  cursor: pointer;
 }
 body {
  background: url(https://drive.google.com/uc?export=view&id=1GEgsBrqBm9ZyP5Grj9Bx4lz32FcuD36v);
  position: relative;
 }
`;
