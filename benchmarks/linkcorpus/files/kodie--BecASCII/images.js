var images = [
  {
    "url": "https://uced93063d60228a7890bd296618.dl.dropboxusercontent.com/cd/0/inline/owh3OLFhFeyH2J7X8fC8X__m9Bvi5RP5OZNXWGVxh4cAerRLnVEVE_qA1tb4vm-LwNlqIAF0_Sof0_xe7BmczfEGobZXJMVAgY3KIfxNAoz/file#",
    "width": 722,
    "height": 1280
  },
  {
    "url": "https://uc8bf609369c92bde47a1c406251.dl.dropboxusercontent.com/cd/0/inline/iOOTzdN4w0EzSoVst4Tr551SCJDN14TtcrVkOE8AuFwshIlRfhgAETs4vFE-ljlHZarAPdgYuPqlY_vwtptZg_K2cQC_9-2f6XUz6XaCPTE/file#",
    "width": 692,
    "height": 692
  },
  {
    "url": "https://uc1a93e0f231287ffb7f6bc5d4b9.dl.dropboxusercontent.com/cd/0/inline/GGRwULFbW_4qleP7A1pbjX9iWoeTXphkMurqv2aR4SV6izEX-r4U6pLr3Hi33D7K9_rHG3eNFAjbijip4DWRumZr1gOqEVcwUXdIuXYpmzU/file#",
    "width": 519,
    "height": 692
  }
]
