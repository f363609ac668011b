"""The files a page of a local build folder loads: its images, scripts' and styles' assets.

Offline, before upload, the page's relative references (``src``, ``srcset``, ``poster``,
CSS ``url()``) name files of the folder; links to an audited bucket name the object the
folder's file will become (the file's path relative to the folder).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from costwatch.sources.object_links import object_of
from costwatch.urls import normalise, parse_link

_ATTR = re.compile(
    rb"""(?:\s(?:src|poster|data-src)\s*=\s*["']([^"']+)["'])"""
    rb"""|(?:\ssrcset\s*=\s*["']([^"']+)["'])"""
    rb"""|(?:url\(\s*["']?([^"')]+)["']?\s*\))""",
    re.IGNORECASE,
)
MAX_PAGE_BYTES = 10 * 1024 * 1024


def _candidates(data: bytes) -> list[str]:
    out: list[str] = []
    for match in _ATTR.finditer(data):
        single, srcset, css = match.groups()
        if srcset is not None:
            # Each candidate is "URL [descriptor]"; a browser loads one, counted all (upper bound).
            for part in srcset.split(b","):
                bits = part.split()
                if bits:
                    out.append(bits[0].decode("utf-8", errors="replace"))
        else:
            raw = single if single is not None else css
            out.append(raw.decode("utf-8", errors="replace").strip())
    return out


def page_assets(page: Path, root: Path, buckets: frozenset[str]) -> set[str]:
    """Names (relative to ``root``) of the files ``page`` loads."""
    try:
        data = page.read_bytes()[:MAX_PAGE_BYTES]
    except OSError:
        return set()
    here = page.parent.relative_to(root).as_posix()
    names: set[str] = set()
    for ref in _candidates(data):
        ref = normalise(ref)
        if not ref or ref.startswith(("data:", "#", "mailto:", "javascript:")):
            continue
        parts = urlsplit(ref)
        if parts.scheme or ref.startswith("//"):
            scheme, _, rest = ref.partition("//")
            link = parse_link(scheme.rstrip(":"), rest)
            target = object_of(link) if link else None
            if target is not None and target[0] in buckets:
                names.add(target[1])
            continue
        path = unquote(parts.path)
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(here, path)
        normal = posixpath.normpath(joined)
        if not normal.startswith("..") and normal != ".":
            names.add(normal)
    return names
