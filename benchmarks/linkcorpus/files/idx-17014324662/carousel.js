			view:"carousel",
			css:"webix_dark",
			id:"carousel",
			scrollSpeed: "500ms",
			width:500,
			height:500,
			cols:[
				{ css: "image", template:img, data:{src:"https://drive.google.com/uc?export=view&id=1hKaET_4XQ8-nXZq96YEAHFx-cPPLx6sO"} },
			]
