<?php
        $image = $value[4];

//         // Convert Google Drive link
//         if (strpos($image, "view?usp=drivesdk") !== false)
//         {
//             $image = explode("/", $image);
//             $image = "https://drive.google.com/uc?id=" . $image[5] . "";
//         }
