"""Find the links in a site's source, offline: no network, no Google Cloud libraries.

Files are read as bytes. URLs are ASCII, so the scan works on UTF-8 and on the legacy
encodings Japanese and European sites use (Shift_JIS, EUC-JP, ISO-8859-x, Windows-125x);
UTF-16 files are recognised by their byte-order mark or their zero bytes and converted first.
Only URLs that some rule can care about are parsed, which keeps the scan fast.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cached_property
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

# A file is worth parsing only if it mentions something a rule looks at. Hosts are matched
# without regard to case; the needles leave out first letters so "Google" counts too.
_NEEDLES = (
    b"oogle",
    b"ithub",
    b"gs:",
    b"ignature=",
    b"ropbox",
    b"1drv",
    b"nedrive",
    b"harepoint",
    b"OOGLE",
    b"ITHUB",
    b"GS:",
    b"IGNATURE=",
    b"ROPBOX",
    b"1DRV",
    b"NEDRIVE",
    b"HAREPOINT",
)
#: Hosts some link rule judges. A rule that looks at a new host must add it here.
RULE_HOST_SUFFIXES = (
    "drive.google.com",
    "docs.google.com",
    "drive.usercontent.google.com",
    "lh3.googleusercontent.com",
    "raw.githubusercontent.com",
    "private-user-images.githubusercontent.com",
    "storage.googleapis.com",
    "storage.cloud.google.com",
    "dropbox.com",
    "dropboxusercontent.com",
    "1drv.ms",
    "onedrive.live.com",
    "sharepoint.com",
)
# Each pattern starts with a literal, which the regex engine skips to fast; the host follows.
_RULE_HOSTS = re.compile(
    rb"//(?:((?:[A-Za-z0-9_-]+\.)*?(?:"
    + b"|".join(re.escape(h.encode()) for h in RULE_HOST_SUFFIXES)
    + rb"))(?![A-Za-z0-9_.-])|(?<=gs://)([A-Za-z0-9_.-]+))",
    re.IGNORECASE,
)
_RULE_HOST_NAME = re.compile(
    r"(?:^|\.)(?:" + "|".join(re.escape(h) for h in RULE_HOST_SUFFIXES) + r")$"
)
_ANY_HOST = re.compile(rb"//([A-Za-z0-9_.-]+)")
_ESCAPED_ANY_HOST = re.compile(rb"\\/\\/([A-Za-z0-9_.-]+)")
_REST = re.compile(rb"(?:[^\s\"'<>`(){}\[\]|^\\\x00-\x1f\x7f-\xff]|\\/)*")
_SCHEME = re.compile(rb"([A-Za-z][A-Za-z0-9+.-]{0,15}):$")
_IGNORE = re.compile(rb"costwatch:\s*ignore\[([A-Za-z0-9_, ]*)\][ \t]*([^\r\n]*)")
_SIGNATURE_PARAMS = frozenset({"x-goog-signature", "x-amz-signature", "signature"})


@dataclass(frozen=True)
class Suppression:
    """An inline ``costwatch: ignore[RULE,...] reason`` comment."""

    rules: tuple[str, ...]
    reason: str
    line: int


@dataclass(frozen=True)
class LinkOccurrence:
    """One link in one file: where, how it is used, and any suppression near it.

    ``usage`` and ``suppressions`` are read from the file's bytes when a rule first asks:
    most links (a known bucket's images) never need them, and a large site has many.
    """

    path: str
    line: int
    link: Link
    source: bytes = field(default=b"", repr=False, compare=False)
    offset: int = field(default=0, repr=False, compare=False)
    may_be_suppressed: bool = field(default=True, repr=False, compare=False)

    @cached_property
    def usage(self) -> str:
        """``image``, ``link`` or ``other``: see :func:`classify_usage`."""
        return classify_usage(self.source, self.offset)

    @cached_property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Inline ignore comments on this link's line or the line before."""
        if not self.may_be_suppressed:
            return ()
        return _suppressions(self.source, self.offset, self.line)


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
    #: Every inline ignore comment seen, by file, so unused ones can be reported.
    ignores: list[tuple[str, Suppression]] = field(default_factory=list)


def is_interesting(link: Link) -> bool:
    """Could any link rule care about this URL? Cheap, so most URLs stop here."""
    if link.scheme == "gs":
        return True
    if _RULE_HOST_NAME.search(link.host):
        return True
    return any(k.lower() in _SIGNATURE_PARAMS for k, _ in link.query)


# --- where a URL is used ------------------------------------------------------------------

_MD_IMAGE = re.compile(rb"!\[[^\]\n]*\]\(\s*<?$")
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")
_WORD_TAIL = re.compile(rb"([A-Za-z_$:][-A-Za-z0-9_$:.]*)[\"']?\s*$")
_IMAGE_ATTRS = frozenset(
    b"src srcset data-src data-srcset data-original data-lazy-src data-bg poster "
    b"background xlink:href".split()
)
_LINK_KEYS = frozenset((b"href", b"link", b"to"))
_IMAGE_KEY = re.compile(
    rb"(?i)(img|image|src|thumb|photo|picture|pic|cover|poster|avatar|icon|logo|banner|"
    rb"background|hero|sprite|texture|illustration|artwork)"
)
_QUOTES = b"\"'` \t<"


def classify_usage(data: bytes, start: int) -> str:
    """How the URL at ``start`` is used: ``image`` (loaded as an asset), ``link`` or ``other``.

    ``start`` points at the scheme (or at ``//``); what precedes it decides: an ``<img src>``,
    ``srcset``, CSS ``url()``, Markdown image or an image-like key in JSON/JS is an image use;
    ``<a href>`` and Markdown links are links.
    """
    low = max(0, start - 400)
    newline = data.rfind(b"\n", low, start)
    before = data[newline + 1 if newline >= 0 else low : start]
    bare = before.rstrip(_QUOTES)
    if bare.endswith(b"&quot;"):
        bare = bare[:-6]
    if bare[-4:].lower() == b"url(" and not bare[-5:-4].isalnum():
        return "image"
    if bare.endswith(b"]("):
        return "image" if _MD_IMAGE.search(before[-300:]) else "link"
    window = data[low:start]
    open_tag = window.rfind(b"<")
    if open_tag > window.rfind(b">"):
        return _tag_usage(window[open_tag:])
    if bare.endswith((b":", b"=")):
        key = _WORD_TAIL.search(bare[-80:-1])
        if key:
            name = key.group(1).lower()
            if name in _LINK_KEYS:
                return "link"
            if _IMAGE_KEY.search(name):
                return "image"
    return "other"


def _tag_usage(tag: bytes) -> str:
    """Usage of a URL inside the attribute value that ends ``tag`` (an unclosed ``<...``)."""
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
    if attr in _IMAGE_ATTRS:
        return "image"
    if attr == b"href":
        return "image" if tag_name in (b"link", b"image", b"use") else "link"
    if attr == b"content" and b"image" in tag.lower():
        return "image"
    return "other"


# --- reading files -------------------------------------------------------------------------


def _decode_to_ascii_compatible(data: bytes) -> bytes | None:
    """Bytes in which ASCII characters are single bytes, or None for a binary file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    head = data[:4096]
    if b"\x00" not in head:
        return data
    even, odd = head[0::2], head[1::2]
    for encoding, zeros, chars in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > len(zeros) * 0.4 and chars.count(0) < len(chars) * 0.05:
            text = data.decode(encoding, errors="replace")
            if _looks_like_text(text[:2048]):
                return text.encode("utf-8")
    return None


def _looks_like_text(sample: str) -> bool:
    """Mostly printable characters: tells UTF-16 text from binary with zero bytes."""
    if len(sample) < 4:
        return False
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\r\n\t")
    return printable >= len(sample) * 0.9


def _candidates(data: bytes) -> list[re.Match[bytes]]:
    """Matches of ``//host`` worth parsing, in file order; the host is the last group.

    Most files need one pass, for ``gs://`` and the hosts rules judge; signed URLs (any host)
    and JSON's escaped slashes need another pass only in the files that have them.
    """
    signed = b"ignature=" in data or b"IGNATURE=" in data
    matches = list((_ANY_HOST if signed else _RULE_HOSTS).finditer(data))
    if b"\\/\\/" in data:
        matches += _ESCAPED_ANY_HOST.finditer(data)
        unique = {m.end(m.lastindex or 1): m for m in matches}
        matches = sorted(unique.values(), key=lambda m: m.start())
    return matches


def _scheme_before(data: bytes, slashes: int) -> tuple[str, int]:
    """The URL scheme ending just before ``slashes`` (lower case, or "") and where it starts."""
    for scheme in (b"https:", b"http:", b"gs:"):
        start = slashes - len(scheme)
        if data[start:slashes].lower() == scheme and not data[start - 1 : start].isalnum():
            return scheme[:-1].decode(), start
    if data[slashes - 1 : slashes] != b":":
        return "", slashes
    match = _SCHEME.search(data, max(0, slashes - 17), slashes)
    if match is None:
        return "", slashes
    return match.group(1).decode("ascii").lower(), match.start()


def extract_links(
    data: bytes, path: str, *, has_ignores: bool | None = None
) -> list[LinkOccurrence]:
    """Every interesting link in ``data`` with its line, usage and nearby suppressions.

    ``has_ignores`` says whether the file has any ignore comment, if the caller knows.
    """
    if not any(needle in data for needle in _NEEDLES):
        return []
    found: list[LinkOccurrence] = []
    line, counted_to = 1, 0
    if has_ignores is None:
        has_ignores = b"costwatch:" in data
    for match in _candidates(data):
        group = match.lastindex or 1
        host_start = match.start(group)
        slashes = match.start()
        rest_end = _REST.match(data, match.end(group)).end()  # type: ignore[union-attr]
        scheme, begin = _scheme_before(data, slashes)
        if scheme and scheme not in ("http", "https", "gs"):
            continue
        body = data[host_start:rest_end].decode("ascii", errors="replace")
        link = parse_link(scheme, body)
        # _RULE_HOSTS matched only hosts (and gs:// URIs) rules judge; other passes need a look.
        if link is None or (match.re is not _RULE_HOSTS and not is_interesting(link)):
            continue
        line += data.count(b"\n", counted_to, slashes)
        counted_to = slashes
        found.append(LinkOccurrence(path, line, link, data, begin, has_ignores))
    return found


def _suppression(match: re.Match[bytes], line: int) -> Suppression:
    rules = tuple(r.strip().upper() for r in match.group(1).decode("ascii").split(",") if r.strip())
    reason = match.group(2).decode("utf-8", errors="replace")
    # The reason ends where the comment does (HTML, CSS/JS block, template comments).
    reason = re.sub(r"\s*(?:-->|\*/|#}|%}|\}\}|\*\}).*$", "", reason).strip()
    return Suppression(rules, reason, line)


def _suppressions(data: bytes, pos: int, line: int) -> tuple[Suppression, ...]:
    """Ignore comments on the URL's line or the line before it."""
    line_start = data.rfind(b"\n", 0, pos) + 1
    prev_start = data.rfind(b"\n", 0, max(0, line_start - 1)) + 1 if line_start else 0
    line_end = data.find(b"\n", pos)
    region = data[prev_start : line_end if line_end >= 0 else len(data)]
    if b"costwatch:" not in region:
        return ()
    return tuple(
        _suppression(match, line - 1 if prev_start + match.start() < line_start else line)
        for match in _IGNORE.finditer(region)
    )


def ignore_comments(data: bytes) -> tuple[Suppression, ...]:
    """Every ``costwatch: ignore[...]`` comment in a file, with its line."""
    if b"costwatch:" not in data:
        return ()
    return tuple(
        _suppression(match, data.count(b"\n", 0, match.start()) + 1)
        for match in _IGNORE.finditer(data)
    )


def scan_paths(
    paths: Sequence[Path], root: Path, settings: ScanSettings = ScanSettings()
) -> SiteScan:
    """Scan files and folders; paths in findings are relative to ``root`` where possible."""
    scan = SiteScan()
    files = list_files(paths, root, settings, scan)
    return scan_files(files, settings, scan)


def list_files(
    paths: Sequence[Path], root: Path, settings: ScanSettings, scan: SiteScan
) -> list[tuple[str, str]]:
    """(path, display name) of every file to scan; what cannot be walked goes to ``scan``."""
    return list(_walk(paths, root, settings, scan))


def scan_files(
    files: Sequence[tuple[str, str]], settings: ScanSettings, scan: SiteScan | None = None
) -> SiteScan:
    """Read and extract links from ``files`` (from :func:`list_files`)."""
    scan = scan if scan is not None else SiteScan()
    for file_path, display in files:
        scan.occurrences.extend(scan_file(file_path, display, settings, scan))
    return scan


class _Namer:
    """Display names: relative to the root with forward slashes, else the path as given."""

    def __init__(self, root: Path) -> None:
        self.prefix = os.path.join(os.path.abspath(root), "")

    def __call__(self, path: str) -> str:
        if path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        return path.replace(os.sep, "/")


def _excluded(display: str, settings: ScanSettings) -> bool:
    return bool(settings.exclude) and any(fnmatch(display, p) for p in settings.exclude)


def _walk(
    paths: Sequence[Path], root: Path, settings: ScanSettings, scan: SiteScan
) -> Iterator[tuple[str, str]]:
    name_of = _Namer(root)
    skip_dirs = SKIPPED_DIRS if settings.include_build_output else SKIPPED_DIRS | BUILD_DIRS
    seen_dirs: set[tuple[int, int]] = set()

    def skip(path: str, reason: str) -> None:
        scan.skipped.append(Incomplete(SECTION, name_of(path), reason))

    for top_path in paths:
        top = os.path.abspath(top_path)
        try:
            is_dir = stat.S_ISDIR(os.stat(top).st_mode)
        except OSError as exc:
            skip(top, _os_reason(exc))
            continue
        if not is_dir:
            yield top, name_of(top)
            continue
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                info = os.stat(folder)
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                skip(folder, _os_reason(exc))
                continue
            if (info.st_dev, info.st_ino) in seen_dirs:
                skip(folder, "symlink loop: folder already scanned")
                continue
            seen_dirs.add((info.st_dev, info.st_ino))
            subdirs = []
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError as exc:
                    skip(entry.path, _os_reason(exc))
                    continue
                if is_folder:
                    if entry.name not in skip_dirs and not _excluded(name_of(entry.path), settings):
                        subdirs.append(entry.path)
                    continue
                dot = entry.name.rfind(".")
                if dot < 0 or entry.name[dot:].lower() not in SCANNED_SUFFIXES:
                    if entry.is_symlink() and not os.path.exists(entry.path):
                        _note_symlink_loop(entry.path, skip)
                    continue
                display = name_of(entry.path)
                if not _excluded(display, settings):
                    yield entry.path, display
            stack.extend(reversed(subdirs))


def _note_symlink_loop(path: str, skip: Callable[[str, str], None]) -> None:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            skip(path, "symlink loop")


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read(path: str, limit: int) -> bytes:
    """The file's bytes, read with one system call where possible (no buffered file object)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise _TooLarge(size)
        data = os.read(fd, size + 1)
        if len(data) > size:  # the file grew while being read, or size was not reported
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                if sum(map(len, chunks)) > limit:
                    raise _TooLarge(sum(map(len, chunks)))
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def scan_file(
    path: str, display: str, settings: ScanSettings, scan: SiteScan
) -> list[LinkOccurrence]:
    """The links in one file; a file that cannot be read is recorded in ``scan.skipped``."""
    try:
        data = _read(path, settings.max_file_bytes)
    except _TooLarge as exc:
        limit = f"{settings.max_file_bytes:,}-byte limit"
        scan.skipped.append(
            Incomplete(SECTION, display, f"larger than the {limit} ({exc.size:,} bytes)")
        )
        return []
    except OSError as exc:
        scan.skipped.append(Incomplete(SECTION, display, _os_reason(exc)))
        return []
    text = _decode_to_ascii_compatible(data)
    if text is None:
        scan.skipped.append(Incomplete(SECTION, display, "binary file (not text)"))
        return []
    scan.files_scanned += 1
    scan.bytes_scanned += len(data)
    comments = ignore_comments(text)
    scan.ignores.extend((display, comment) for comment in comments)
    return extract_links(text, display, has_ignores=bool(comments))
