    doc.appendChild(this._parseFromString(`<div id="${elementIds.msgDescription}">
      <img src="https://www.dropbox.com/s/tj0p62kyi0htlkd/icon-bw.png?dl=1" width="35" height="35"
      style="width: 35px; height: 35px; margin: 0 auto;" alt="GuardLens" /> <br />
    </div>`));
