import Image from "next/image";

export default function Home() {
  return (
    <>
      <Image
        src="https://drive.google.com/thumbnail?id=1hvp1cpCVM9dtxgGN_SPrSrZySzxkBB6d&sz=w1500"
        width={1500}
        height={700}
      />
    </>
  );
}
