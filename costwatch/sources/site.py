"""Find the links in a site's source, offline: no network, no Google Cloud libraries.

Files are read as bytes. URLs are ASCII, so the scan works on UTF-8 and on the legacy
encodings Japanese and European sites use (Shift_JIS, EUC-JP, ISO-8859-x, Windows-125x);
UTF-16 files are recognised by their byte-order mark or their zero bytes and converted first.
Only URLs that some rule can care about are parsed, which keeps the scan fast.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from costwatch.findings import Incomplete
from costwatch.sources.urls import Link, parse_link

SECTION = "links"

SCANNED_SUFFIXES = frozenset(
    [
        ".html",
        ".htm",
        ".md",
        ".mdx",
        ".js",
        ".jsx",
        ".ts",
        ".tsx",
        ".mjs",
        ".cjs",
        ".json",
        ".css",
        ".scss",
        ".vue",
        ".svelte",
        ".astro",
        ".yaml",
        ".yml",
        ".xml",
        ".txt",
    ]
)
#: Dependency, VCS and cache folders, never scanned.
SKIPPED_DIRS = frozenset(
    [
        "node_modules",
        "bower_components",
        "jspm_packages",
        "vendor",
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".venv",
        "venv",
        "__pycache__",
        ".cache",
        ".parcel-cache",
        ".turbo",
        ".yarn",
        ".pnpm-store",
        ".terraform",
        ".idea",
        ".vscode",
    ]
)
#: Build output folders, scanned only when asked.
BUILD_DIRS = frozenset(
    [".next", ".nuxt", ".svelte-kit", ".output", ".vercel", "dist", "build", "out", "_site"]
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# A file is worth parsing only if it mentions something a rule looks at.
_NEEDLES = (
    b"googl",
    b"github",
    b"gs:",
    b"ignature",
    b"IGNATURE",
    b"dropbox",
    b"1drv",
    b"onedrive",
    b"sharepoint",
)
_URL = re.compile(rb"(?://|\\/\\/)((?:[^\s\"'<>`(){}\[\]|^\\\x00-\x1f\x7f-\xff]|\\/)+)")
_SCHEME = re.compile(rb"([A-Za-z][A-Za-z0-9+.-]{0,15}):$")
_IGNORE = re.compile(rb"costwatch:\s*ignore\[([A-Za-z0-9_, ]*)\][ \t]*([^\r\n]*)")
_INTERESTING_HOST = re.compile(
    r"(?:^|\.)(?:google\.com|googleapis\.com|googleusercontent\.com|githubusercontent\.com|"
    r"dropbox\.com|dropboxusercontent\.com|1drv\.ms|live\.com|sharepoint\.com|"
    r"amazonaws\.com)$"
)


@dataclass(frozen=True)
class Suppression:
    """An inline ``costwatch: ignore[RULE,...] reason`` comment."""

    rules: tuple[str, ...]
    reason: str
    line: int


@dataclass(frozen=True)
class LinkOccurrence:
    """One link in one file: where, how it is used, and any suppression near it."""

    path: str
    line: int
    link: Link
    usage: str
    suppressions: tuple[Suppression, ...] = ()


@dataclass(frozen=True)
class ScanSettings:
    """What to scan: file size limit, build output, extra exclusions (glob patterns)."""

    max_file_bytes: int = DEFAULT_MAX_BYTES
    include_build_output: bool = False
    exclude: tuple[str, ...] = ()


@dataclass
class SiteScan:
    """What the scan found and what it had to skip."""

    occurrences: list[LinkOccurrence] = field(default_factory=list)
    skipped: list[Incomplete] = field(default_factory=list)
    files_scanned: int = 0
    bytes_scanned: int = 0


def is_interesting(link: Link) -> bool:
    """Could any link rule care about this URL? Cheap, so most URLs stop here."""
    if link.scheme == "gs":
        return True
    if _INTERESTING_HOST.search(link.host):
        return True
    return any(k.lower() in _SIGNATURE_PARAMS for k, _ in link.query)


_SIGNATURE_PARAMS = frozenset({"x-goog-signature", "x-amz-signature", "signature"})


# --- where a URL is used ------------------------------------------------------------------

_MD_IMAGE = re.compile(rb"!\[[^\]\n]*\]\(\s*<?$")
_MD_LINK = re.compile(rb"\]\(\s*<?$")
_CSS_URL = re.compile(rb"(?<![-\w.])url\(\s*(?:[\"']|&quot;)?$", re.IGNORECASE)
_ATTR = re.compile(rb"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*[\"']?$")
_SRCSET = re.compile(rb"srcset\s*=\s*[\"'][^\"'<>]*$", re.IGNORECASE)
_TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)[^<>]*$")
_KEY = re.compile(rb"[\"']?([A-Za-z_$][-A-Za-z0-9_$]*)[\"']?\s*[:=]\s*[\"'`]?$")
_IMAGE_ATTRS = frozenset(
    b"src srcset data-src data-srcset data-original data-lazy-src data-bg poster "
    b"background xlink:href".split()
)
_IMAGE_KEY = re.compile(
    rb"(?i)(img|image|src|thumb|photo|picture|pic|cover|poster|avatar|icon|logo|banner|"
    rb"background|hero|sprite|texture|illustration|artwork)"
)


def classify_usage(data: bytes, start: int) -> str:
    """How the URL at ``start`` is used: ``image`` (loaded as an asset), ``link`` or ``other``.

    ``start`` points at the scheme (or at ``//``); what precedes it on the same construct
    decides: an ``<img src>``, ``srcset``, CSS ``url()``, Markdown image or an image-like key
    in JSON/JS is an image use; ``<a href>`` and Markdown links are links.
    """
    window = data[max(0, start - 400) : start]
    line_start = window.rfind(b"\n")
    near = window[line_start + 1 :] if line_start >= 0 else window
    if _CSS_URL.search(near):
        return "image"
    if _MD_IMAGE.search(near):
        return "image"
    if _MD_LINK.search(near):
        return "link"
    if _SRCSET.search(window):
        return "image"
    tag = _TAG.search(window)
    attr = _ATTR.search(window)
    if tag and attr:
        name = attr.group(1).lower()
        tag_name = tag.group(1).lower()
        if name in _IMAGE_ATTRS:
            return "image"
        if name == b"href":
            return "image" if tag_name in (b"link", b"image", b"use") else "link"
        if name == b"content" and re.search(rb"image", tag.group(0), re.IGNORECASE):
            return "image"
        return "other"
    key = _KEY.search(near)
    if key:
        name = key.group(1)
        if name.lower() in (b"href", b"link", b"to"):
            return "link"
        if _IMAGE_KEY.search(name):
            return "image"
    return "other"


# --- reading files -------------------------------------------------------------------------


def _decode_to_ascii_compatible(data: bytes) -> bytes | None:
    """Bytes in which ASCII characters are single bytes, or None for a binary file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    head = data[:4096]
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
            return data.decode("utf-16-le", errors="replace").encode("utf-8")
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
            return data.decode("utf-16-be", errors="replace").encode("utf-8")
        return None
    return data


def extract_links(data: bytes, path: str) -> list[LinkOccurrence]:
    """Every interesting link in ``data`` with its line, usage and nearby suppressions."""
    if not any(needle in data for needle in _NEEDLES):
        return []
    found: list[LinkOccurrence] = []
    line, counted_to = 1, 0
    for match in _URL.finditer(data):
        start = match.start()
        scheme_match = _SCHEME.search(data, max(0, start - 17), start)
        scheme = scheme_match.group(1).decode("ascii") if scheme_match else ""
        if scheme and scheme.lower() not in ("http", "https", "gs"):
            continue
        link = parse_link(scheme, match.group(1).decode("ascii", errors="replace"))
        if link is None or not is_interesting(link):
            continue
        line += data.count(b"\n", counted_to, start)
        counted_to = start
        begin = scheme_match.start() if scheme_match else start
        found.append(
            LinkOccurrence(
                path=path,
                line=line,
                link=link,
                usage=classify_usage(data, begin),
                suppressions=_suppressions(data, start, line),
            )
        )
    return found


def _suppressions(data: bytes, pos: int, line: int) -> tuple[Suppression, ...]:
    """Ignore comments on the URL's line or the line before it."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    prev_start = data.rfind(b"\n", 0, max(0, line_start - 1)) + 1 if line_start else 0
    line_end = data.find(b"\n", pos)
    region = data[prev_start : line_end if line_end >= 0 else len(data)]
    if b"costwatch:" not in region:
        return ()
    out = []
    for match in _IGNORE.finditer(region):
        rules = tuple(
            r.strip().upper() for r in match.group(1).decode("ascii").split(",") if r.strip()
        )
        reason = match.group(2).decode("utf-8", errors="replace")
        reason = re.sub(r"\s*(?:-->|\*/|#}|%}|\}\}|\*\}).*$", "", reason).strip()
        at = line - 1 if prev_start + match.start() < line_start else line
        out.append(Suppression(rules, reason, at))
    return tuple(out)


def scan_paths(
    paths: Sequence[Path], root: Path, settings: ScanSettings = ScanSettings()
) -> SiteScan:
    """Scan files and folders; paths in findings are relative to ``root`` where possible."""
    scan = SiteScan()
    for file_path, display in _walk(paths, root, settings, scan):
        _scan_file(file_path, display, settings, scan)
    return scan


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _excluded(display: str, settings: ScanSettings) -> bool:
    from fnmatch import fnmatch

    return any(fnmatch(display, pattern) for pattern in settings.exclude)


def _walk(
    paths: Sequence[Path], root: Path, settings: ScanSettings, scan: SiteScan
) -> Iterator[tuple[Path, str]]:
    skip_dirs = SKIPPED_DIRS if settings.include_build_output else SKIPPED_DIRS | BUILD_DIRS
    seen_dirs: set[tuple[int, int]] = set()
    for top in paths:
        top = Path(os.path.abspath(top))
        try:
            info = top.stat()
        except OSError as exc:
            scan.skipped.append(Incomplete(SECTION, _display(top, root), _os_reason(exc)))
            continue
        if not stat.S_ISDIR(info.st_mode):
            yield top, _display(top, root)
            continue
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                key = (folder.stat().st_dev, folder.stat().st_ino)
            except OSError as exc:
                scan.skipped.append(Incomplete(SECTION, _display(folder, root), _os_reason(exc)))
                continue
            if key in seen_dirs:
                scan.skipped.append(
                    Incomplete(
                        SECTION, _display(folder, root), "symlink loop: folder already scanned"
                    )
                )
                continue
            seen_dirs.add(key)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                scan.skipped.append(Incomplete(SECTION, _display(folder, root), _os_reason(exc)))
                continue
            subdirs = []
            for entry in entries:
                entry_path = Path(entry.path)
                try:
                    is_dir = entry.is_dir()
                except OSError as exc:
                    scan.skipped.append(
                        Incomplete(SECTION, _display(entry_path, root), _os_reason(exc))
                    )
                    continue
                if is_dir:
                    if entry.name not in skip_dirs and not _excluded(
                        _display(entry_path, root), settings
                    ):
                        subdirs.append(entry_path)
                    continue
                if os.path.splitext(entry.name)[1].lower() not in SCANNED_SUFFIXES:
                    if entry.is_symlink() and not os.path.exists(entry.path):
                        _note_broken_link(entry_path, root, scan)
                    continue
                display = _display(entry_path, root)
                if not _excluded(display, settings):
                    yield entry_path, display
            stack.extend(reversed(subdirs))


def _note_broken_link(path: Path, root: Path, scan: SiteScan) -> None:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            scan.skipped.append(Incomplete(SECTION, _display(path, root), "symlink loop"))


def _os_reason(exc: OSError) -> str:
    if exc.errno == 40:
        return "symlink loop"
    if exc.errno == 2:
        return "no such file or folder"
    if exc.errno == 13:
        return "permission denied"
    return exc.strerror or str(exc)


def _scan_file(path: Path, display: str, settings: ScanSettings, scan: SiteScan) -> None:
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > settings.max_file_bytes:
                scan.skipped.append(
                    Incomplete(
                        SECTION,
                        display,
                        f"larger than the {settings.max_file_bytes:,}-byte limit ({size:,} bytes)",
                    )
                )
                return
            data = handle.read()
    except OSError as exc:
        scan.skipped.append(Incomplete(SECTION, display, _os_reason(exc)))
        return
    text = _decode_to_ascii_compatible(data)
    if text is None:
        scan.skipped.append(Incomplete(SECTION, display, "binary file (not text)"))
        return
    scan.files_scanned += 1
    scan.bytes_scanned += len(data)
    scan.occurrences.extend(extract_links(text, display))
