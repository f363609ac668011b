"""Where a link sits in a file: how it is used (image, embed, link) and whether in a comment.

Both are judged from the bytes around the link, in bounded windows, so asking costs the same
however long the file or line is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# --- where a URL is used ------------------------------------------------------------------

_MD_IMAGE = re.compile(rb"!\[[^\]\n]*\]\(\s*<?$")
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")
_WORD_TAIL = re.compile(rb"([A-Za-z_$:][-A-Za-z0-9_$:.]*)[\"']?\s*$")
_IMAGE_ATTRS = frozenset(
    b"src srcset data-src data-srcset data-original data-lazy-src data-bg poster "
    b"background xlink:href".split()
)
#: Elements whose source is a page or player shown in a frame, not an image.
_EMBED_TAGS = frozenset((b"iframe", b"frame", b"embed", b"object"))
_LINK_KEYS = frozenset((b"href", b"link", b"to"))
_IMAGE_KEY = re.compile(
    rb"(?i)(img|image|src|thumb|photo|picture|pic|cover|poster|avatar|icon|logo|banner|"
    rb"background|hero|sprite|texture|illustration|artwork)"
)
#: Keys of buttons and links (`btn_src`, `buttonImage` aside): what they hold is clicked.
_CLICKED_KEY = re.compile(rb"(?i)(btn|button|href|link|download)")
_QUOTES = b"\"'` \t<\\"


def classify_use(data: bytes, start: int) -> str:
    """How the URL at ``start`` is used: ``image``, ``embed``, ``link`` or ``other``.

    ``start`` points at the scheme (or at ``//``); what precedes it decides: an ``<img src>``,
    ``srcset``, CSS ``url()``, Markdown image or an image-like key in JSON/JS is an image use;
    an ``<iframe src>`` an embed; ``<a href>`` and Markdown links are links.
    """
    return classify(data, start)[0]


def classify(data: bytes, start: int) -> tuple[str, str | None]:
    """:func:`classify_use` and the key name it went by, if any."""
    low = max(0, start - 400)
    newline = data.rfind(b"\n", low, start)
    before = data[newline + 1 if newline >= 0 else low : start]
    bare = before.rstrip(_QUOTES)
    if not bare.strip() and newline > low:
        # A value on the line right after its key (`const imageOg =\n  "https://..."`).
        previous = data[max(low, data.rfind(b"\n", low, newline) + 1) : newline]
        bare = previous.rstrip(_QUOTES + b"\r")
    if bare.endswith(b"&quot;"):
        bare = bare[:-6]
    if bare[-4:].lower() == b"url(" and not bare[-5:-4].isalnum():
        return "image", None
    if bare.endswith(b"]("):
        return ("image" if _MD_IMAGE.search(before[-300:]) else "link"), None
    window = data[low:start]
    open_tag = window.rfind(b"<")
    if open_tag > window.rfind(b">"):
        return _tag_use(window[open_tag:]), None
    if bare.endswith((b":", b"=")):
        tail = bare[-80:-1]
        key = _WORD_TAIL.search(tail)
        # `cond ? itemSrc : "https://..."` is a ternary, not an object key.
        if key and not tail[: key.start()].rstrip().endswith(b"?"):
            name = key.group(1).lower()
            shown = name.decode("ascii", errors="replace")
            if name in _LINK_KEYS:
                return "link", shown
            if _IMAGE_KEY.search(name) and not _CLICKED_KEY.search(name):
                return "image", shown
            return "other", shown
    return "other", None


def _tag_use(tag: bytes) -> str:
    """Use of a URL inside the attribute value that ends ``tag`` (an unclosed ``<...``)."""
    name_match = _TAG_NAME.match(tag)
    tag_name = name_match.group(1).lower() if name_match else b""
    equals = max(tag.rfind(b'="'), tag.rfind(b"='"), tag.rfind(b"= "), tag.rfind(b"=\t"))
    if equals < 0:
        equals = tag.rfind(b"=")
    attr_match = _WORD_TAIL.search(tag[max(0, equals - 60) : equals])
    if attr_match is None:
        return "other"
    attr = attr_match.group(1).lower()
    if attr.startswith((b":", b"v-bind:")):
        attr = attr.rsplit(b":", 1)[1]
    if tag_name in _EMBED_TAGS and attr in (b"src", b"data", b"data-src"):
        return "embed"
    if attr in _IMAGE_ATTRS:
        return "image"
    if attr == b"href":
        return "image" if tag_name in (b"link", b"image", b"use") else "link"
    if attr == b"content" and b"image" in tag.lower():
        return "image"
    return "other"


# --- comments -------------------------------------------------------------------------------

# Block comments: markup and template comments (HTML, Jinja/Twig/Nunjucks, Handlebars,
# ERB/EJS), and in code `/* */`. Found with bytes.find, which skips through a file far faster
# than a regex can stop at every `<` and `/`.
Blocks = tuple[tuple[bytes, bytes], ...]
_HTML_BLOCK = (b"<!--", b"-->")
_C_BLOCK = (b"/*", b"*/")
_TEMPLATE_BLOCKS = ((b"{#", b"#}"), (b"{{!--", b"--}}"), (b"{{!", b"}}"), (b"<%#", b"%>"))
# Only the comment syntaxes a file type can hold are looked for: each is a pass over the file.
_BLOCKS_BY_SUFFIX: dict[str, Blocks] = {
    **dict.fromkeys((".md", ".mdx", ".txt", ".rst", ".adoc", ".xml"), (_HTML_BLOCK,)),
    **dict.fromkeys((".json", ".csv", ".tsv", ".ipynb"), ()),
    **dict.fromkeys((".toml", ".yaml", ".yml"), ()),
    **dict.fromkeys((".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".css", ".scss"), (_C_BLOCK,)),
    **dict.fromkeys(
        (".html", ".htm", ".vue", ".svelte", ".astro", ".php"), (_HTML_BLOCK, _C_BLOCK)
    ),
}
_ALL_BLOCKS: Blocks = (_HTML_BLOCK, _C_BLOCK, *_TEMPLATE_BLOCKS)
#: Characters that may precede a `/*` that opens a comment (not `https://x/*`).
_BEFORE_BLOCK = frozenset(b" \t\r\n;{}(),=:>")
_LIQUID_COMMENT = re.compile(rb"\{%-?\s*comment\s*-?%\}.*?(?:\{%-?\s*endcomment\s*-?%\}|\Z)", re.S)


#: Every substring :func:`block_comments` may ask ``has`` about.
BLOCK_LITERALS = (*(opener for opener, _ in _ALL_BLOCKS), b"comment")


def block_comments(
    data: bytes, kinds: Blocks = _ALL_BLOCKS, has: Callable[[bytes], bool] | None = None
) -> tuple[list[int], list[int]]:
    """(starts, ends) of the block comments of ``kinds`` in ``data``, in order, apart.

    An unclosed comment runs to the end of the file, as it does for a browser. ``has`` tells
    whether ``data`` holds a substring, if the caller knows already (see ``probe``).
    """
    if has is None:
        has = data.__contains__
    starts: list[int] = []
    ends: list[int] = []
    upcoming = [_next_opener(data, opener, 0) if has(opener) else -1 for opener, _ in kinds]
    pos = 0
    while True:
        for index, (opener, _) in enumerate(kinds):
            if 0 <= upcoming[index] < pos:
                upcoming[index] = _next_opener(data, opener, pos)
        found = [(at, index) for index, at in enumerate(upcoming) if at >= 0]
        if not found:
            break
        start, index = min(found)
        opener, closer = kinds[index]
        close = data.find(closer, start + len(opener))
        end = len(data) if close < 0 else close + len(closer)
        starts.append(start)
        ends.append(end)
        pos = end
    if kinds is _ALL_BLOCKS and has(b"comment"):
        extra = [(m.start(), m.end()) for m in _LIQUID_COMMENT.finditer(data)]
        if extra:
            merged = sorted([*zip(starts, ends, strict=True), *extra])
            starts, ends = [a for a, _ in merged], [b for _, b in merged]
    return starts, ends


def _next_opener(data: bytes, opener: bytes, pos: int) -> int:
    at = data.find(opener, pos)
    if opener != b"/*":
        return at
    while at > 0 and data[at - 1] not in _BEFORE_BLOCK:
        at = data.find(opener, at + 2)
    return at


# Code comments: `/* */` and `//` where they start a comment, not inside a URL: a `//` after
# a scheme, `=`, a quote or `(` is a URL, and `//host.name` is a protocol-relative URL. Every
# alternative starts with a literal character and checks what precedes it after that
# character, so the regex engine can skip to candidate characters fast.
_LINE_COMMENT = re.compile(rb"/(?<![^\s;{}]/)/(?![A-Za-z0-9-]+\.[A-Za-z])|\A//")
_HASH_COMMENT = re.compile(rb"#(?<![^ \t\n]#)|\A#")
#: How far back on a link's line a `//` or `#` comment opener is looked for.
LINE_COMMENT_REACH = 2048
_PROSE_SUFFIXES = frozenset((".md", ".mdx", ".txt", ".rst", ".adoc", ".csv", ".tsv", ".json"))
_HASH_SUFFIXES = frozenset((".toml", ".yaml", ".yml"))


def file_suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") else ""


def comment_syntax(path: str) -> tuple[Blocks, re.Pattern[bytes] | None]:
    """The block comments a file type can hold, and its line-comment opener.

    Templates and unknown types get every block syntax (a template mixes HTML, code and its
    own comments).
    """
    suffix = file_suffix(path)
    blocks = _BLOCKS_BY_SUFFIX.get(suffix, _ALL_BLOCKS)
    if suffix in _PROSE_SUFFIXES:
        return blocks, None
    if suffix in _HASH_SUFFIXES:
        return blocks, _HASH_COMMENT
    return blocks, _LINE_COMMENT
