import React from "react";
import styles from "../styles/main.module.css";

const PDFs = () => (
	<div className={styles.writing__container}>
		<iframe
			src="https://storage.cloud.google.com/kmac/Another%20Experience%20Experiencing%20Another%20Sort%20Story.pdf"
			style={{
				width: "28rem",
				height: "35rem",
				borderWidth: "0",
				borderStyle: "none"
			}}></iframe>
	</div>
);
