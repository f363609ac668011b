import React from "react";
import artworks from "./data/artworks.json";

const BUCKET = "https://storage.googleapis.com/aiart-gallery-images";

// Early uploads still point at Google Drive and the console's sign-in link.
const legacy = [
  { title: "Neon Koi", image: "https://drive.google.com/uc?export=view&id=1x9QnEonKoiDriveFileId" },
  { title: "Glass Forest", image: "https://storage.cloud.google.com/aiart-gallery-images/glass-forest.webp" },
  { title: "Moth Queen", thumbnail: "https://lh3.googleusercontent.com/d/1MothQueenDriveFileId=w600" },
];

export default function Gallery() {
  return (
    <main>
      {legacy.concat(artworks).map((art) => (
        <figure key={art.title}>
          <img src={art.image ?? art.thumbnail} alt={art.title} loading="lazy" />
          <figcaption>{art.title}</figcaption>
        </figure>
      ))}
      <img src={`${BUCKET}/hero/aurora-1600.webp`} alt="Aurora" />
      {/* costwatch: ignore[CW307] collaborator's bucket, audited in their own project */}
      <img src="https://storage.googleapis.com/mika-collab-art/duet.webp" alt="Duet" />
      <a href="https://drive.google.com/file/d/1PressKitDriveFileId/view">Press kit (PDF)</a>
    </main>
  );
}
