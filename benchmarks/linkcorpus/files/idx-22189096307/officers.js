                        else if (image.includes('drive.google.com')) {
                            var fileID = image.match(/\/file\/d\/(.+?)\//)[1];
                            image = "https://drive.google.com/uc?export=download&id=".concat(fileID);
                        }
                        // create officer
