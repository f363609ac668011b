"""URL parsing and redaction for links found in site source.

A :class:`Link` keeps the raw URL only for judgement (expiry times, host, bucket); anything
shown to a person or written to a file uses :attr:`Link.redacted`, in which every secret-looking
value (tokens, signatures, credentials, passwords, share-link keys) is replaced.

Redaction works in two layers. The first reads the URL's structure: userinfo, and every query
and fragment parameter (split on ``&`` and ``;``) whose name is a secret. The second,
:func:`redact_text`, needs no structure at all: it replaces anything secret-shaped wherever it
sits (a token inside a nested, percent-encoded URL value, a URL that could not be parsed, a
known token format such as ``ghp_...``). Both run on every URL, so a parser that misreads a URL
can cost a finding but never a secret.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from costwatch.lazy import lazy

REDACTED = "REDACTED"

#: Query or fragment parameters whose values are secrets (compared in lower case).
SECRET_PARAMS = frozenset(
    {
        "token",
        "jwt",
        "access_token",
        "id_token",
        "refresh_token",
        "session_token",
        "private_token",
        "auth",
        "authorization",
        "authkey",
        "key",
        "api_key",
        "apikey",
        "access_key",
        "secret",
        "secret_key",
        "client_secret",
        "password",
        "passwd",
        "pwd",
        "sig",
        "signature",
        "googleaccessid",
        "x-goog-signature",
        "x-goog-credential",
        "x-goog-security-token",
        "x-amz-signature",
        "x-amz-credential",
        "x-amz-security-token",
        "awsaccesskeyid",
        # Share-link keys: whoever holds the URL can read the file.
        "resourcekey",
        "rlkey",
    }
)

_TRAILING_CHARS = frozenset(".,;:!?*'\"")
_TRAILING = re.compile(r"(?:&quot;|&#39;|&#x27;|&apos;|[.,;:!?*'\"])+$")

# Every HTML character reference form a URL can be written in: decimal (`&#38;`, `&#038;`),
# hexadecimal (`&#x26;`, `&#x0026;`), and the named references that occur in URLs. The
# semicolon is optional where browsers make it so (before a character that cannot continue
# the reference). WordPress's esc_url() writes `&#038;`.
_NAMED_REFS = {
    "amp": "&",
    "quot": '"',
    "apos": "'",
    "lt": "<",
    "gt": ">",
    "sol": "/",
    "colon": ":",
    "equals": "=",
    "quest": "?",
    "num": "#",
    "percnt": "%",
    "semi": ";",
    "comma": ",",
    "period": ".",
    "excl": "!",
    "plus": "+",
    "nbsp": "\u00a0",
}
_CHAR_REF = re.compile(
    r"&(?:#[xX]0*([0-9A-Fa-f]{1,8});?|#0*([0-9]{1,10});?|("
    + "|".join(_NAMED_REFS)
    + r")(?:;|(?![A-Za-z0-9=])))"
)
# JSON and JavaScript spell characters as \u0026 (Go's encoding/json escapes every `&`).
_JS_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")
#: How many times references are undone: `&amp;amp;` is a double-escaped `&`.
_DECODE_ROUNDS = 4


def _trie(words: list[str]) -> str:
    """A regex for exactly ``words`` (longest first at each fork), shaped as a trie: the engine
    tries one branch per character instead of every word at every position."""
    first: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            first.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    branches = [re.escape(char) + _trie(rest) for char, rest in sorted(first.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


_SECRET_NAME_ALTERNATIVES = _trie(sorted(SECRET_PARAMS))
# A secret parameter anywhere in any text, its `=` possibly percent-encoded once or twice
# (inside a nested URL value); the value runs to the next separator, encoded or not. Two
# patterns: a name after a plain boundary, and a name after an encoded `&`/`?` (`%26`,
# `\u0026`, `&#38`), which a plain boundary check would miss; each starts simply, so the
# regex engine skips fast over text without secrets.
_SECRET_VALUE = r"(=|%3D|%253D)((?:(?!%26|%2526|%23|%2523)[^&;#\s\"'<>,\\])+)"
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z0-9_%-])(" + _SECRET_NAME_ALTERNATIVES + ")" + _SECRET_VALUE
)
_ENCODED_SECRET_ASSIGNMENT = re.compile(
    r"(?i)(%26|%3F|%2526|%253F|\\u0026|\\u003F|&#0*38;?|&#x0*26;?)("
    + _SECRET_NAME_ALTERNATIVES
    + ")"
    + _SECRET_VALUE
)
#: Every secret parameter name contains one of these.
_SECRET_NAME_PARTS = (
    "token",
    "key",
    "sig",
    "secret",
    "pass",
    "pwd",
    "jwt",
    "auth",
    "credential",
    "accessid",
)
_USERINFO_PASSWORD = re.compile(r"(//[^/\s@:?#\"'<>]*):([^/\s@?#\"'<>]+)@")
_USERINFO_TOKEN = re.compile(r"//([^/\s@:?#\"'<>]{16,})@")
# Token formats that are secrets wherever they appear, and the text each one starts with.
_TOKEN_MARKERS = ("gh", "AIza", "ya29.", "AKIA", "ASIA", "xox", "glpat-", "sk_live_")
# The two tests above as one search each: a link scan redacts every URL it reports.
_ANY_SECRET_NAME_PART = re.compile("|".join(map(re.escape, _SECRET_NAME_PARTS)))
_ANY_TOKEN_MARKER = re.compile("|".join(map(re.escape, _TOKEN_MARKERS)))
_KNOWN_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|AIza[0-9A-Za-z_-]{30,}"
    r"|ya29\.[0-9A-Za-z_.-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abprs]-[0-9A-Za-z-]{10,}"
    r"|glpat-[0-9A-Za-z_-]{20,}|sk_live_[0-9A-Za-z]{20,})"
)


@dataclass(frozen=True)
class Link:
    """One URL as written in source, normalised (escaped slashes and HTML entities undone)."""

    scheme: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...]
    raw: str = field(repr=False)

    @lazy
    def redacted(self) -> str:
        """The URL with every secret value replaced: the only form ever shown or stored."""
        return redact(self.raw)

    @lazy
    def redacted_path(self) -> str:
        """The path with anything secret-shaped replaced (path parameters can hold tokens)."""
        return redact_text(self.path)

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (case-insensitive), decoded."""
        lowered = name.lower()
        for key, value in self.query:
            if key.lower() == lowered:
                return value
        return None

    def has_param(self, name: str) -> bool:
        return self.param(name) is not None

    @lazy
    def segments(self) -> list[str]:
        """The path's non-empty segments."""
        return [s for s in self.path.split("/") if s]


def _char_ref(match: re.Match[str]) -> str:
    hexadecimal, decimal, name = match.groups()
    if name is not None:
        return _NAMED_REFS[name]
    code = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def decode_references(text: str) -> str:
    """``text`` with HTML character references and JS ``\\uXXXX`` escapes undone.

    Repeated a few times, so double-escaped source (``&amp;amp;``, ``&amp;#038;``) reads as
    the browser's second decoding would.
    """
    for _ in range(_DECODE_ROUNDS):
        before = text
        if "\\u" in text:
            text = _JS_ESCAPE.sub(lambda m: _char_ref_code(int(m.group(1), 16)), text)
        if "&" in text:
            text = _CHAR_REF.sub(_char_ref, text)
        if text == before:
            break
    return text


def _char_ref_code(code: int) -> str:
    if code == 0 or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def normalise(text: str) -> str:
    """Undo the spellings a URL takes inside JSON, HTML and JS source."""
    if "\\" in text:
        # JSON's escaped slash, and the shell's escaped `?`, `=` and `&` (`curl ...\\?a\\=1`).
        for escaped in ("\\/", "\\?", "\\=", "\\&"):
            text = text.replace(escaped, escaped[1])
    if "&" in text or "\\u" in text:
        text = decode_references(text)
    if text[-1:] in _TRAILING_CHARS:
        text = _TRAILING.sub("", text)
    return text


def is_secret_name(name: str) -> bool:
    """Is a parameter called ``name`` (possibly percent-encoded, any case) a secret?"""
    if "%" in name:
        name = unquote(name)
    return name.strip().lower() in SECRET_PARAMS


_PARAM_SEPARATOR = re.compile(r"([&;])")


def _redact_params(part: str) -> str:
    pieces = _PARAM_SEPARATOR.split(part)
    for index in range(0, len(pieces), 2):
        name, eq, _ = pieces[index].partition("=")
        if eq and is_secret_name(name):
            pieces[index] = f"{name}={REDACTED}"
    return "".join(pieces)


def _redact_userinfo(base: str) -> str:
    scheme_end = base.find("//")
    if scheme_end < 0:
        return base
    authority_start = scheme_end + 2
    slash = base.find("/", authority_start)
    authority = base[authority_start : slash if slash >= 0 else len(base)]
    if "@" not in authority:
        return base
    userinfo, _, hostport = authority.rpartition("@")
    user = userinfo.split(":", 1)[0]
    masked = f"{user}:{REDACTED}@" if ":" in userinfo else f"{REDACTED}@"
    return base[:authority_start] + masked + hostport + base[authority_start + len(authority) :]


def redact_text(text: str) -> str:
    """``text`` with anything secret-shaped replaced, whatever its structure.

    Catches secret parameters (also percent-encoded inside a nested URL value), passwords and
    tokens in userinfo, and token formats that are secrets wherever they appear.
    """
    lowered = text.lower()
    # Most URLs hold no secret: a few substring tests spare them the regexes.
    if _ANY_SECRET_NAME_PART.search(lowered):
        text = _SECRET_ASSIGNMENT.sub(_redacted_assignment, text)
        if "%" in text or "\\u" in text or "&#" in text:
            text = _ENCODED_SECRET_ASSIGNMENT.sub(_redacted_encoded_assignment, text)
    if "@" in text:
        text = _USERINFO_PASSWORD.sub(rf"\1:{REDACTED}@", text)
        text = _USERINFO_TOKEN.sub(f"//{REDACTED}@", text)
    if _ANY_TOKEN_MARKER.search(text):
        text = _KNOWN_TOKENS.sub(REDACTED, text)
    return text


def _redacted_assignment(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{REDACTED}"


def _redacted_encoded_assignment(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{match.group(3)}{REDACTED}"


# Sites repeat their URLs (a logo on every page), so each is redacted once.
@functools.lru_cache(maxsize=8192)
def redact(url: str) -> str:
    """``url`` with every secret value replaced by ``REDACTED``; safe to print and store."""
    head, hash_mark, fragment = url.partition("#")
    base, question, query = head.partition("?")
    out = _redact_userinfo(base) if "@" in base else base
    if question:
        out += "?" + _redact_params(query)
    if hash_mark:
        out += "#" + _redact_params(fragment)
    return redact_text(out)


def parse_link(scheme: str, rest: str) -> Link | None:
    """Build a Link from the scheme (possibly empty) and what follows ``//``."""
    rest = normalise(rest)
    if not rest:
        return None
    head = rest.split("#", 1)[0]
    authority_and_path, _, query_text = head.partition("?")
    authority, slash, path = authority_and_path.partition("/")
    host = authority.rpartition("@")[2].split(":", 1)[0].lower()
    if not host:
        return None
    query = []
    for piece in re.split("[&;]", query_text) if query_text else ():
        name, _, value = piece.partition("=")
        query.append((unquote(name), unquote(value)))
    raw = f"{scheme.lower()}://{rest}" if scheme else f"//{rest}"
    return Link(
        scheme=scheme.lower(),
        host=host,
        path=slash + path,
        query=tuple(query),
        raw=raw,
    )
