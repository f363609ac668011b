                taskData: [
                    {
                        value: "task",
                        taskCount: 0,
                        taskImage: "https://firebasestorage.googleapis.com/v0/b/alian-hub-beta.appspot.com/o/default_images%2Ftask.png?alt=media&token=e4f4a53b-df53-4d22-abc2-592aaceaf2b5"
                    }
                ],
