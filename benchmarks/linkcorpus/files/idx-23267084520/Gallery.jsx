import React from 'react'
// bringing pics from google drive

const images = [
  {
    name: "Olives",
    description: "Campagna Eolica 2022",
    src:"https://drive.google.com/uc?export=view&id=1umnUkKCqHbdsd8YRAKGeLMefNly2qg5Y"
  },
]
