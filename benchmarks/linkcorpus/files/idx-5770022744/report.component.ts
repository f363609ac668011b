export class ReportComponent implements OnInit {

  // @ViewChild('content') content: ElementRef;
  // header_1 = 'https://firebasestorage.googleapis.com/v0/b/seguimiento-de-proyectos-4fa3c.appspot.com/o/pdf_configuration%2F1sf2wdkxh5m?alt=media&token=8a93f612-7a68-4f35-afaf-7c65d87b069a'
  // header_2 = 'https://firebasestorage.googleapis.com/v0/b/seguimiento-de-proyectos-4fa3c.appspot.com/o/pdf_configuration%2F1sf2wdkxh5m?alt=media&token=8a93f612-7a68-4f35-afaf-7c65d87b069a'

  constructor() { }
}
