export function getGoogleDriveImageLink(id: string, size: number = 20) {
  return `https://images.weserv.nl/?url=https://lh3.googleusercontent.com/d/${id}=s${size}`;
}

// export function getGoogleDriveImageLink(id: string, size: number = 20) {
//   return `https://drive.google.com/uc?export=view&id=${id}`;
// }
