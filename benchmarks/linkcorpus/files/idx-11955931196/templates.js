    "            <a href=\"https://drive.google.com/uc?export=view&id={{answerOption.image.id}}\" target=\"_blank\">\r" +
    "\n" +
    "            <img class=\"img-thumbnail answer-option-img\"\r" +
    "\n" +
    "                 ng-src=\"https://drive.google.com/uc?export=view&id={{answerOption.image.id}}\"\r" +
    "\n" +
    "                 alt=\"{{vm.altImage}}\"\r" +
    "\n" +
