"""The one output boundary for text shown to people: terminal control sequences neutralised.

File names, baseline entries, Monitoring labels, server error text and ``--project`` are
written by someone else. Shown as they are, an ``ESC [ 2 J`` clears the screen, an OSC 8
sequence turns a file name into a link to another site and hides the rest of the line, a
right-to-left override makes ``gpj.exe`` read as ``exe.jpg``, and a carriage return or line
separator ends a Markdown table row. Every string the plain table, the coloured table and
Markdown show passes through :func:`safe_text` (they render
:func:`costwatch.formats.layout.layout`, which applies it to every block), as does every value
of the HTML pages, their SVG charts and GitHub annotations, and every line on stderr
(:class:`costwatch.output.SafeStderr`). JUnit uses :func:`xml_safe`.

Such characters are shown as Python-style escapes (``\\x1b``, ``\\u202e``, ``\\n``), never
dropped: the reader sees that a name holds something odd and what. Escaped are C0 and C1
controls (ESC, CSI and OSC introducers among them; tab and line breaks too), DEL, every
Unicode format character (bidi embeddings, overrides and isolates, zero-width space, word
joiner, byte-order mark, tag characters) except the zero-width joiner and non-joiner that
emoji and Persian or Indic script need, line and paragraph separators, and lone surrogates (a
file name that is not valid UTF-8 decoded with ``surrogateescape``), which could not even be
encoded for output. JSON and SARIF escape through the JSON encoder instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_KEEP = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def _is_unsafe(char: str) -> bool:
    return char not in _KEEP and unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


# Everything printable in ASCII is safe: the fast path for the usual, all-ASCII text.
_PLAIN_ASCII = re.compile(r"[\x20-\x7e]*")


def safe_text(text: str) -> str:
    """``text`` with every control, format, separator and surrogate character escaped."""
    if _PLAIN_ASCII.fullmatch(text):
        return text
    return "".join(_escape(c) if _is_unsafe(c) else c for c in text)


def safe_line(text: str) -> str:
    """One diagnostic line for stderr: :func:`safe_text`, so it stays one line."""
    return safe_text(text)


def safe_lines(text: str) -> str:
    """:func:`safe_text` for each line, the line breaks ``\\n`` and ``\\r`` left for the
    format's own escaping (GitHub workflow commands write them as ``%0A`` and ``%0D``)."""
    return "\n".join("\r".join(safe_text(p) for p in line.split("\r")) for line in text.split("\n"))


# Characters XML 1.0 does not allow at all, even as character references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(document: str) -> str:
    """A serialised XML document with every character XML 1.0 forbids shown as an escape.

    ElementTree writes such characters as they are, and every XML parser then refuses the
    whole file; none of them can be markup, so replacing them after serialising is exact.
    """
    return _XML_INVALID.sub(lambda m: _escape(m.group()), document)


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing :func:`safe_text` would escape."""
    return not any(_is_unsafe(c) for c in text)


def encodable(text: str) -> str:
    """``text`` with anything the UTF-8 codec refuses (lone surrogates) backslash-escaped.

    The last line of defence for JSON and SARIF, whose encoder keeps lone surrogates as they
    are: the document is still written (the escape is valid JSON) instead of crashing.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def encodable_bytes(text: str) -> bytes:
    """:func:`encodable`, encoded as UTF-8: one pass over the text where it encodes cleanly."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")
