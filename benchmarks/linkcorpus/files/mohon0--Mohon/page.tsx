import Image from "next/image";

export default function page() {
  return (
    <div>
      <Image
        src="http://drive.google.com/uc?export=view&id=1rb8zAyp-rBgp4xEldzAX-w-iX45EKGU3"
        alt=""
        height={500}
        width={500}
      />
      <Image
        src="http://drive.google.com/uc?export=view&id=17Iy3QI9GDcB4XeoRRYv_-C62pipvGlZ4"
        alt=""
        height={500}
        width={500}
      />
      <Image
        src="http://drive.google.com/uc?export=view&id=1YHsY90lX_FIWf-1nzlcbUBw_kdtCVWsJ"
        alt=""
        height={500}
        width={500}
      />
    </div>
  );
}
