import React from "react"
// eslint-disable-next-line
import ReactDOM from "react-dom"
// eslint-disable-next-line
import Style from "../style.css"

export default function Portfolio() {
  return (
    <div className="seo-pics">
        <iframe 
        name="portfolio"
        id="portfolio"
        scrolling="auto"
        src="https://drive.google.com/embeddedfolderview?id=1TVgHW-jPoRmAldIItbyN3WPoEnMH1iR4#grid"
        title="Immy's art">
        </iframe>
    </div>
  )
}
