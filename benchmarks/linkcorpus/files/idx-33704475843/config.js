		JQUI_CSS: '//ajax.googleapis.com/ajax/libs/' +
			'jqueryui/1.10.3/themes/THEME/jquery-ui.css',
		MAM: '//googledrive.com/host/0BzcEQMWUa0znRE1wQU' +
			'9KUGR2R2s/mam/mam-pre4-min.js'
	}
};
