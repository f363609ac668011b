    var MEDIA_DIR = 'http://nlp.cs.uic.edu/didactyl/abcde/lib/media';
    // var MEDIA_DIR =
        // 'https://0b0f039ba2113bf1c6de76d7ee52555275b0fb18.googledrive.com/host/0B3BgE7P6T9GOd2dEQV9sM2pTTWc';

    // FIXME: These regular expresions are too simplistic. Replace them
    // with PEG parser calls.
