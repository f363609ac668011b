"""URL parsing and redaction for links found in site source.

A :class:`Link` keeps the raw URL only for judgement (expiry times, host, bucket); anything
shown to a person or written to a file uses :attr:`Link.redacted`, in which every secret-looking
value (tokens, signatures, credentials, passwords) is replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

REDACTED = "REDACTED"

#: Query or fragment parameters whose values are secrets (compared in lower case).
SECRET_PARAMS = frozenset(
    {
        "token",
        "jwt",
        "access_token",
        "id_token",
        "refresh_token",
        "auth",
        "authorization",
        "key",
        "api_key",
        "apikey",
        "secret",
        "client_secret",
        "password",
        "passwd",
        "sig",
        "signature",
        "googleaccessid",
        "x-goog-signature",
        "x-goog-credential",
        "x-amz-signature",
        "x-amz-credential",
        "x-amz-security-token",
        "awsaccesskeyid",
        "resourcekey",
    }
)

_ENTITIES = (("&amp;", "&"), ("&#38;", "&"), ("&#x26;", "&"), ("&#X26;", "&"))
_TRAILING_CHARS = frozenset(".,;:!?*'\"")
_TRAILING = re.compile(r"(?:&quot;|&#39;|&#x27;|&apos;|[.,;:!?*'\"])+$")


@dataclass(frozen=True)
class Link:
    """One URL as written in source, normalised (escaped slashes and HTML entities undone)."""

    scheme: str
    host: str
    path: str
    query: tuple[tuple[str, str], ...]
    raw: str = field(repr=False)

    @cached_property
    def redacted(self) -> str:
        """The URL with every secret value replaced: the only form ever shown or stored."""
        return redact(self.raw)

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (case-insensitive), decoded."""
        lowered = name.lower()
        for key, value in self.query:
            if key.lower() == lowered:
                return value
        return None

    def has_param(self, name: str) -> bool:
        return self.param(name) is not None

    @cached_property
    def segments(self) -> list[str]:
        """The path's non-empty segments."""
        return [s for s in self.path.split("/") if s]


def normalise(text: str) -> str:
    """Undo the spellings a URL takes inside JSON, HTML and JS source."""
    if "\\" in text:
        text = text.replace("\\/", "/")
    if "&#" in text or "&amp;" in text:
        for entity, char in _ENTITIES:
            text = text.replace(entity, char)
    if text[-1:] in _TRAILING_CHARS:
        text = _TRAILING.sub("", text)
    return text


def _redact_params(part: str) -> str:
    pieces = []
    for piece in part.split("&"):
        name, eq, _ = piece.partition("=")
        if eq and unquote(name).strip().lower() in SECRET_PARAMS:
            pieces.append(f"{name}={REDACTED}")
        else:
            pieces.append(piece)
    return "&".join(pieces)


def redact(url: str) -> str:
    """``url`` with every secret value replaced by ``REDACTED``; safe to print and store."""
    if "?" not in url and "#" not in url and "@" not in url:
        return url
    head, hash_mark, fragment = url.partition("#")
    base, question, query = head.partition("?")
    scheme_end = base.find("//")
    if scheme_end >= 0:
        authority_start = scheme_end + 2
        slash = base.find("/", authority_start)
        authority = base[authority_start : slash if slash >= 0 else len(base)]
        if "@" in authority:
            userinfo, _, hostport = authority.rpartition("@")
            user = userinfo.split(":", 1)[0]
            masked = f"{user}:{REDACTED}@" if ":" in userinfo else f"{REDACTED}@"
            base = (
                base[:authority_start]
                + masked
                + hostport
                + base[authority_start + len(authority) :]
            )
    out = base
    if question:
        out += "?" + _redact_params(query)
    if hash_mark:
        out += "#" + _redact_params(fragment)
    return out


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
    for piece in query_text.split("&") if query_text else ():
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
