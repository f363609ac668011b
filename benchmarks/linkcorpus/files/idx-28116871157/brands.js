                    let image = res[h].image;
                    if (image === null || image === "") {
                        baseUrl = "";
                        slash = "";
                        image = "https://drive.google.com/uc?export=download&id=1XaDf3lLjAOZKcp6F2MPBACJPDbPb7EGS";
                    }
