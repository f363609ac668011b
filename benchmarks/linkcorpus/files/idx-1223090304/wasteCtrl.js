        $scope.showImage = function(waste){
            $mdDialog.show({
                locals:{imgSrc:"https://drive.google.com/uc?export=view&id=" + waste.fileId},
                controller: function($scope, imgSrc) { $scope.imgSrc = imgSrc; },
            });
        };
