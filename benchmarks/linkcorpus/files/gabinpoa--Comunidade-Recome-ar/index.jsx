import Head from 'next/head';
import Image from 'next/image';

export default function Home() {
  return (
    <div>
      <Image
        src="https://drive.google.com/file/d/1QclxFu9vDoGfya_xUQLyNcMIAq37WKii/view?usp=sharing"
        width={320}
        height={280}
      />
    </div>
  );
}
