"""Which bucket objects a site's files link to, from the link scanner's extracted links.

A link names an object the way the JSON API does once its path is percent-decoded:
``https://storage.googleapis.com/B/a%20b%23c.png`` is object ``a b#c.png`` of bucket ``B``
(a raw ``#`` or ``?`` would end the path, so names holding them only match when encoded).
The scanner stops a URL at the first non-ASCII byte; a UTF-8 name written raw in the source
(``画像.png``) is read back from the file's bytes at the link's offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote

from costwatch.objects_model import ObjectLink
from costwatch.sources.link_targets import LinkTargets
from costwatch.sources.probe import Probe
from costwatch.sources.site import (
    LinkOccurrence,
    ScanSettings,
    SiteScan,
    file_prober,
    list_files,
    scan_file,
)
from costwatch.urls import Link, normalise, parse_link

_API_HOSTS = frozenset({"storage.googleapis.com", "storage.cloud.google.com"})
_SUFFIX = ".storage.googleapis.com"
# Only links to these hosts (and their subdomains) are extracted: the scanner then skips the rest.
_TARGETS = LinkTargets(hosts=tuple(sorted(_API_HOSTS)))
_JSON_API = re.compile(r"^/(?:download/)?storage/v1/b/([^/]+)/o/(.+)$")
_WHOLE_URL = re.compile(rb"(?:[^\s\"'<>`(){}\[\]|^\\\x00-\x1f\x7f]|\\/)+")


def object_of(link: Link) -> tuple[str, str] | None:
    """(bucket, object name) that ``link`` loads from Cloud Storage, or None."""
    if link.scheme not in ("http", "https", ""):
        return None
    path = link.path
    if link.host in _API_HOSTS:
        api = _JSON_API.match(path)
        if api:
            return unquote(api.group(1)), unquote(api.group(2))
        bucket, _, rest = path.lstrip("/").partition("/")
        if not bucket or not rest:
            return None
        return bucket, unquote(rest)
    if link.host.endswith(_SUFFIX):
        bucket = link.host[: -len(_SUFFIX)]
        rest = path.lstrip("/")
        return (bucket, unquote(rest)) if bucket and rest else None
    return None


def _whole_link(occurrence: LinkOccurrence) -> Link:
    """The occurrence's link, re-read from the source when it continues past ASCII."""
    link = occurrence.link
    data = occurrence.source
    if not data:
        return link
    match = _WHOLE_URL.match(data, occurrence.offset)
    if match is None or match.end() - match.start() <= len(link.raw.encode()):
        return link
    try:
        text = match.group(0).decode("utf-8")
    except UnicodeDecodeError:
        return link
    scheme, sep, rest = normalise(text).partition("//")
    if not sep:
        return link
    return parse_link(scheme.rstrip(":"), rest) or link


def object_links(
    occurrences: Iterable[LinkOccurrence], buckets: frozenset[str]
) -> Iterator[ObjectLink]:
    """The links in ``occurrences`` that name an object of one of ``buckets``."""
    for occurrence in occurrences:
        host = occurrence.link.host
        if host not in _API_HOSTS and not host.endswith(_SUFFIX):
            continue
        link = _whole_link(occurrence)
        target = object_of(link)
        if target is None or target[0] not in buckets:
            continue
        yield ObjectLink(occurrence.path, occurrence.line, target[0], target[1], link.redacted)


def file_object_links(
    path: str,
    display: str,
    buckets: frozenset[str],
    settings: ScanSettings,
    scan: SiteScan,
    probe: Callable[[bytes], Probe] | None = None,
) -> list[ObjectLink]:
    """The object links in one file (read through the link scanner; ``probe`` as there)."""
    found = scan_file(path, display, settings, scan, _TARGETS, probe or file_prober(_TARGETS))
    return list(object_links(found, buckets))


def site_object_links(
    paths: Sequence[Path], root: Path, buckets: frozenset[str], settings: ScanSettings
) -> tuple[dict[str, list[ObjectLink]], SiteScan]:
    """Every file's object links, keyed by the file's display path."""
    scan = SiteScan()
    out: dict[str, list[ObjectLink]] = {}
    probe = file_prober(_TARGETS)
    for file_path, display in list_files(paths, root, settings, scan):
        found = file_object_links(file_path, display, buckets, settings, scan, probe)
        if found:
            out[display] = found
    return out, scan
