    description: 'This application repository contains apps from the communnity helm repository.',
    url:
      'https://cors-anywhere.herokuapp.com/https://kubernetes-charts.storage.googleapis.com/index.yaml',
    mockResponse: false,
    apps: {},
