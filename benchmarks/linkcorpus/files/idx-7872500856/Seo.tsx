  const title = "Pizza Menu";
  const description =
    "A pizza menu project built with react, typescript and tailwind!";
  const imageOg =
    "https://onedrive.live.com/embed?resid=FF8AC3081FC56D69%2188585&authkey=%21L1S8aeWEN60-j3f&width=1200&height=630";
