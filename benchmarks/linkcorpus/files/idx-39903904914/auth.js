        await sendMail(req.body.email,"Welcome to ESPA",
        `
        <html>
        <body>
        <img src="gs://koin-7ea67.appspot.com/ESPA2.png"/>
        <h3 style="text-align:center;">Welcome To ESPA</h3>
        </body>
        </html>
        `)
