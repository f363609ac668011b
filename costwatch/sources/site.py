"""Find the links in a site's source, offline: no network, no Google Cloud libraries.

Files are read as bytes. URLs are ASCII, so the scan works on UTF-8 and on the legacy
encodings Japanese and European sites use (Shift_JIS, EUC-JP, ISO-8859-x, Windows-125x);
UTF-16 files are recognised by their byte-order mark or their zero bytes and converted first.
Only URLs that some rule can care about are parsed (the :class:`LinkTargets` the rules
declare), which keeps the scan fast.

Hostile input is expected: only regular files are opened (a named pipe would block forever),
each URL is read for at most :data:`MAX_URL_BYTES` and never past the start of the next URL, so
the scan is linear in the input however long a line is, and file names that are not valid
UTF-8 are shown escaped (``caf\\xe9.html``).
"""

from __future__ import annotations

import bisect
import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from costwatch.config import LinkSettings
from costwatch.findings import Incomplete, IncompleteKind
from costwatch.lazy import lazy
from costwatch.model import Suppression
from costwatch.sources.link_context import (
    BLOCK_LITERALS,
    LINE_COMMENT_REACH,
    Blocks,
    block_comments,
    classify,
    comment_syntax,
    file_suffix,
)
from costwatch.sources.link_targets import LinkTargets, is_interesting
from costwatch.sources.own_outputs import OWN_NAME, is_costwatch_output
from costwatch.sources.probe import PlainProbe, Probe, probe_maker
from costwatch.urls import Link, parse_link

SECTION = "links"

SCANNED_SUFFIXES = frozenset(
    [
        # Pages, components and styles.
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
        ".css",
        ".scss",
        ".vue",
        ".svelte",
        ".astro",
        # Templates and server pages hold the same links as HTML.
        ".php",
        ".njk",
        ".liquid",
        ".ejs",
        ".hbs",
        ".handlebars",
        ".erb",
        ".twig",
        ".pug",
        ".jinja",
        ".j2",
        # Data, config, front matter and prose.
        ".json",
        ".yaml",
        ".yml",
        ".toml",
        ".xml",
        ".txt",
        ".rst",
        ".adoc",
        ".ipynb",
        ".csv",
        ".tsv",
    ]
)
#: Names ending in two suffixes that are read although the last alone is not.
SCANNED_COMPOUND_SUFFIXES = (".html.tmpl",)
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

DEFAULT_MAX_BYTES = LinkSettings.max_file_bytes
#: A URL is read for at most this many bytes: longer than any real one (signed URLs run to
#: about 1,500), and it bounds the work and the message for any line.
MAX_URL_BYTES = 4096


class FileText:
    """One file's text (ASCII-compatible bytes) and what is worked out about it once.

    Shared by the file's link occurrences, so comment spans and ignore comments are found in
    one pass per file however many links the file has.
    """

    def __init__(
        self,
        data: bytes,
        path: str,
        ignores: Sequence[Suppression] | None = None,
        probe: Probe | None = None,
    ) -> None:
        self.data = data
        self.path = path
        self._ignores = ignores
        self._probe = probe

    @lazy
    def ignores(self) -> tuple[Suppression, ...]:
        if self._ignores is not None:
            return tuple(self._ignores)
        return ignore_comments(self.data)

    @lazy
    def _ignores_by_line(self) -> dict[int, tuple[Suppression, ...]]:
        by_line: dict[int, list[Suppression]] = {}
        for suppression in self.ignores:
            by_line.setdefault(suppression.line, []).append(suppression)
        return {line: tuple(found) for line, found in by_line.items()}

    def suppressions_at(self, line: int) -> tuple[Suppression, ...]:
        """Ignore comments on ``line`` or the line before it."""
        if not self.ignores:
            return ()
        by_line = self._ignores_by_line
        return by_line.get(line - 1, ()) + by_line.get(line, ())

    @lazy
    def _comment_kind(self) -> tuple[Blocks, re.Pattern[bytes] | None]:
        return comment_syntax(self.path)

    @lazy
    def _block_spans(self) -> tuple[list[int], list[int]]:
        has = self._probe.has if self._probe is not None else None
        return block_comments(self.data, self._comment_kind[0], has)

    def in_comment(self, offset: int) -> bool:
        """Is ``offset`` inside a comment (HTML, JS/CSS block or line, template)?

        Block comments are found once per file (they are few); a line comment is looked for
        on the link's own line, at most :data:`LINE_COMMENT_REACH` bytes back, so files with
        a comment on every line cost no more and minified lines stay linear.
        """
        starts, ends = self._block_spans
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < ends[index]:
            return True
        line_pattern = self._comment_kind[1]
        if line_pattern is None:
            return False
        reach = max(0, offset - LINE_COMMENT_REACH)
        line_start = self.data.rfind(b"\n", reach, offset) + 1 or reach
        return line_pattern.search(self.data, line_start, offset) is not None


@dataclass(frozen=True)
class LinkOccurrence:
    """One link in one file: where, how it is used, and any suppression near it.

    ``used_as``, ``in_comment`` and ``suppressions`` are read from the file when a rule first
    asks: most links (a known bucket's images) never need them, and a large site has many.
    """

    path: str
    line: int
    link: Link
    file: FileText | None = field(default=None, repr=False, compare=False)
    offset: int = field(default=0, repr=False, compare=False)

    @property
    def source(self) -> bytes:
        """The file's text (ASCII-compatible bytes) the link was read from."""
        return self.file.data if self.file else b""

    @lazy
    def _use(self) -> tuple[str, str | None]:
        return classify(self.file.data, self.offset) if self.file else ("other", None)

    @property
    def used_as(self) -> str:
        """``image``, ``embed``, ``link`` or ``other``: see ``link_context.classify_use``."""
        return self._use[0]

    @property
    def use_key(self) -> str | None:
        """The JS/JSON key (lower case) the use was judged by, None if markup decided it.

        Markup (``<img src>``, CSS ``url()``, a Markdown image) is certain; a key name is a
        guess whose strength a rule may weigh (``thumbnail`` is an image, ``src`` may feed
        an iframe).
        """
        return self._use[1]

    @lazy
    def in_comment(self) -> bool:
        """Inside a comment or commented-out code, so the page never loads it."""
        return self.file.in_comment(self.offset) if self.file else False

    @property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Inline ignore comments on this link's line or the line before."""
        file = self.file
        # Most files have none: answered without a call, as every link is asked.
        if file is None or not file.ignores:
            return ()
        return file.suppressions_at(self.line)


#: The scan's settings are the config's ``[links]`` table: one class, also under this name.
ScanSettings = LinkSettings


@dataclass
class SiteScan:
    """What the scan found and what it had to skip."""

    occurrences: list[LinkOccurrence] = field(default_factory=list)
    skipped: list[Incomplete] = field(default_factory=list)
    files_scanned: int = 0
    bytes_scanned: int = 0
    #: Every inline ignore comment seen, by file, so unused ones can be reported.
    ignores: list[tuple[str, Suppression]] = field(default_factory=list)
    #: Files not read because of their type, by lower-case suffix ("" for none).
    unread_types: Counter[str] = field(default_factory=Counter)
    #: costwatch's own reports and baselines found in the tree, not scanned.
    own_outputs: list[str] = field(default_factory=list)

    def add(self, other: SiteScan) -> None:
        """Take in what another share of the files produced (links are not merged)."""
        self.skipped += other.skipped
        self.ignores += other.ignores
        self.files_scanned += other.files_scanned
        self.bytes_scanned += other.bytes_scanned
        self.unread_types.update(other.unread_types)
        self.own_outputs += other.own_outputs


# --- finding URLs ---------------------------------------------------------------------------

_ANY_HOST = re.compile(rb"//([A-Za-z0-9_.-]+)")
_ESCAPED_ANY_HOST = re.compile(rb"\\/\\/([A-Za-z0-9_.-]+)")
# The rest of a URL after its host. Separators that may sit inside a URL (`,;!*=`) end it
# when the next URL starts right after them, so URLs listed on one line never swallow each
# other; template expressions (`${bucket}`, `{{ site.cdn }}`, `<%= host %>`) are kept whole.
_REST = re.compile(
    rb"(?:[^\s\"'<>`(){}\[\]|^\\\x00-\x1f\x7f-\xff,;!*=]+"
    rb"|\\[/?=&]"
    rb"|[,;!*=](?![,;!*=]?(?:[A-Za-z][A-Za-z0-9+.-]{0,15}:)?(?:\\?/){2})"
    rb"|\$\{[^{}\s\"'`<>\\]{1,100}\}"
    rb"|\{\{[^{}\n\"'`<>\\]{1,100}\}\}"
    rb"|\{[A-Za-z_][A-Za-z0-9_.]{0,60}\}"
    rb"|<%=?[^%\n\"'`<>\\]{1,100}%>"
    rb")*"
)
_SCHEME = re.compile(rb"([A-Za-z][A-Za-z0-9+.-]{0,15}):$")
# The reason is read for at most 300 bytes: it ends with the comment, and a minified bundle's
# line would otherwise become the reason.
_IGNORE = re.compile(rb"costwatch:[ \t]*ignore\[([A-Za-z0-9_, ]{0,200})\][ \t]*([^\r\n]{0,300})")
_COMMENT_END = re.compile(r"\s*(?:-->|\*/|#}|%}|\}\}|\*\}|%>).*$")
#: The substrings the scan asks a file about besides the targets' own needles.
SCAN_LITERALS = (b"\\/\\/", b"costwatch:", OWN_NAME, *BLOCK_LITERALS)
ESCAPED_SLASHES = SCAN_LITERALS[0]
IGNORE_MARKER = SCAN_LITERALS[1]


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


def _candidates(data: bytes, targets: LinkTargets | None, probe: Probe) -> list[re.Match[bytes]]:
    """Matches of ``//host`` worth parsing, in file order; the host is the last group.

    Most files need one pass, for the schemes and hosts rules judge; URLs with parameters a
    rule reads (signatures, on any host) and JSON's escaped slashes need another pass only in
    the files that have them.
    """
    if targets is None or any(probe.has(needle) for needle in targets.param_needles):
        matches = list(_ANY_HOST.finditer(data))
    else:
        matches = probe.host_matches()
    if probe.has(ESCAPED_SLASHES):
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
    data: bytes,
    path: str,
    targets: LinkTargets | None = None,
    *,
    ignores: Sequence[Suppression] | None = None,
    probe: Probe | None = None,
) -> list[LinkOccurrence]:
    """Every link in ``data`` a rule could care about, with its line and file context.

    Without ``targets`` every ``http(s)``, ``gs`` and protocol-relative link counts.
    ``ignores`` are the file's ignore comments, if the caller has already read them, and
    ``probe`` what is known of its bytes (see ``probe``).
    Linear in ``data``: each URL is read up to the next URL or :data:`MAX_URL_BYTES`.
    """
    if probe is None:
        probe = PlainProbe(data, targets)
    if targets is not None and not any(probe.has(needle) for needle in targets.needles):
        return []
    found: list[LinkOccurrence] = []
    line, counted_to = 1, 0
    file = FileText(data, path, ignores, probe)
    size = len(data)
    # In a CSV file a comma ends the cell, and so the URL.
    cells = path.lower().endswith(".csv")
    for match in _candidates(data, targets, probe):
        group = match.lastindex or 1
        host_start = match.start(group)
        slashes = match.start()
        host_end = match.end(group)
        rest = _REST.match(data, host_end, min(size, host_start + MAX_URL_BYTES))
        rest_end = rest.end() if rest else host_end
        if cells:
            comma = data.find(b",", host_end, rest_end)
            rest_end = rest_end if comma < 0 else comma
        scheme, begin = _scheme_before(data, slashes)
        if scheme and scheme not in ("http", "https", "gs"):
            continue
        body = data[host_start:rest_end].decode("ascii", errors="replace")
        link = parse_link(scheme, body)
        if link is None:
            continue
        # The targets' host pattern matched only hosts (and schemes) rules judge; the other
        # passes found every host, so those links need a look.
        if match.re is not _host_pattern(targets) and not is_interesting(link, targets):
            continue
        line += data.count(b"\n", counted_to, slashes)
        counted_to = slashes
        found.append(LinkOccurrence(path, line, link, file, begin))
    return found


def _host_pattern(targets: LinkTargets | None) -> re.Pattern[bytes] | None:
    return targets.host_pattern if targets is not None else None


def _suppression(match: re.Match[bytes], line: int) -> Suppression:
    rules = tuple(r.strip().upper() for r in match.group(1).decode("ascii").split(",") if r.strip())
    reason = match.group(2).decode("utf-8", errors="replace")
    # The reason ends where the comment does (HTML, CSS/JS block, template comments).
    reason = _COMMENT_END.sub("", reason).strip()
    return Suppression(rules, reason, line)


def ignore_comments(data: bytes, probe: Probe | None = None) -> tuple[Suppression, ...]:
    """Every ``costwatch: ignore[...]`` comment in a file, with its line (one pass)."""
    if not (probe.has(IGNORE_MARKER) if probe is not None else IGNORE_MARKER in data):
        return ()
    found = []
    line, counted_to = 1, 0
    for match in _IGNORE.finditer(data):
        line += data.count(b"\n", counted_to, match.start())
        counted_to = match.start()
        found.append(_suppression(match, line))
    return tuple(found)


# --- walking and reading --------------------------------------------------------------------


def scan_paths(
    paths: Sequence[Path],
    root: Path,
    settings: LinkSettings | None = None,
    targets: LinkTargets | None = None,
) -> SiteScan:
    """Scan files and folders; paths in findings are relative to ``root`` where possible."""
    settings = settings or LinkSettings()
    scan = SiteScan()
    files = list_files(paths, root, settings, scan)
    return scan_files(files, settings, scan, targets)


def list_files(
    paths: Sequence[Path], root: Path, settings: LinkSettings, scan: SiteScan
) -> list[tuple[str, str]]:
    """(path, display name) of every file to scan; what cannot be walked goes to ``scan``."""
    return list(_walk(paths, root, settings, scan))


def scan_files(
    files: Iterable[tuple[str, str]],
    settings: LinkSettings,
    scan: SiteScan | None = None,
    targets: LinkTargets | None = None,
) -> SiteScan:
    """Read and extract links from ``files`` (from :func:`list_files`)."""
    scan = scan if scan is not None else SiteScan()
    probe = file_prober(targets)
    for file_path, display in files:
        scan.occurrences.extend(scan_file(file_path, display, settings, scan, targets, probe))
    return scan


def display_name(path: str) -> str:
    """``path`` as valid text: bytes that are not UTF-8 are shown escaped (``caf\\xe9``).

    The same bytes always give the same name, so fingerprints and baselines stay stable.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", errors="surrogateescape")
        return raw.decode("utf-8", errors="backslashreplace")
    return path


class _Namer:
    """Display names: relative to the root with forward slashes, else the path as given."""

    def __init__(self, root: Path) -> None:
        self.prefix = os.path.join(os.path.abspath(root), "")

    def __call__(self, path: str) -> str:
        if path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        return display_name(path.replace(os.sep, "/"))


def _excluded(display: str, settings: LinkSettings) -> bool:
    return bool(settings.exclude) and any(fnmatch(display, p) for p in settings.exclude)


def is_scanned_name(name: str) -> bool:
    """Is a file with this name read (by its suffix)?"""
    lowered = name.lower()
    return file_suffix(lowered) in SCANNED_SUFFIXES or lowered.endswith(SCANNED_COMPOUND_SUFFIXES)


_FILE_KINDS = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _not_regular_reason(mode: int) -> str:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "special file")
    return f"not a regular file ({kind})"


def _walk(
    paths: Sequence[Path], root: Path, settings: LinkSettings, scan: SiteScan
) -> Iterator[tuple[str, str]]:
    name_of = _Namer(root)
    skip_dirs = SKIPPED_DIRS if settings.include_build_output else SKIPPED_DIRS | BUILD_DIRS
    seen_dirs: set[tuple[int, int]] = set()
    # A symlinked folder is followed only while it stays inside the project (the root) or a
    # path named explicitly: a link to `/` or a home folder must not turn a site scan into a
    # scan of the machine.
    allowed = [os.path.realpath(root), *(os.path.realpath(p) for p in paths)]

    def skip(path: str, reason: str) -> None:
        scan.skipped.append(Incomplete(SECTION, name_of(path), reason, kind=_kind_of(reason)))

    for top_path in paths:
        top = os.path.abspath(top_path)
        try:
            mode = os.stat(top).st_mode
        except OSError as exc:
            skip(top, _os_reason(exc))
            continue
        if stat.S_ISREG(mode):
            yield top, name_of(top)
            continue
        if not stat.S_ISDIR(mode):
            skip(top, _not_regular_reason(mode))
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
                    is_file = not is_folder and entry.is_file()
                except OSError as exc:
                    skip(entry.path, _os_reason(exc))
                    continue
                if is_folder:
                    if entry.name in skip_dirs or _excluded(name_of(entry.path), settings):
                        continue
                    if entry.is_symlink() and not _inside(entry.path, allowed):
                        skip(entry.path, "symlink to a folder outside the project: not followed")
                        continue
                    subdirs.append(entry.path)
                    continue
                if not is_file:
                    _note_not_regular(entry.path, skip, settings, name_of)
                    continue
                if not is_scanned_name(entry.name):
                    scan.unread_types[file_suffix(entry.name)] += 1
                    continue
                display = name_of(entry.path)
                if not _excluded(display, settings):
                    yield entry.path, display
            stack.extend(reversed(subdirs))


def _inside(path: str, folders: Sequence[str]) -> bool:
    """Does ``path`` (symlinks resolved) lie in one of ``folders`` (already resolved)?"""
    real = os.path.realpath(path)
    return any(real == f or real.startswith(os.path.join(f, "")) for f in folders)


def _note_not_regular(
    path: str,
    skip: Callable[[str, str], None],
    settings: LinkSettings,
    name_of: Callable[[str], str],
) -> None:
    """A walked entry that is neither a folder nor a regular file: say what it is, if needed."""
    if _excluded(name_of(path), settings):
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        # A dangling link matters only where a file of that name would have been read.
        if exc.errno == errno.ELOOP or is_scanned_name(os.path.basename(path)):
            skip(path, _os_reason(exc))
        return
    skip(path, _not_regular_reason(mode))


def _kind_of(reason: str) -> IncompleteKind:
    """The machine-readable kind of a skip reason from :func:`_os_reason` and the reader."""
    if reason == "no such file or folder":
        return IncompleteKind.NOT_FOUND
    if reason == "permission denied":
        return IncompleteKind.PERMISSION
    return IncompleteKind.SKIPPED


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


class _NotRegular(Exception):
    def __init__(self, mode: int) -> None:
        super().__init__(mode)
        self.mode = mode


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Opened without blocking and checked on the open descriptor, so a named pipe, socket or
    device (also behind a symlink, or swapped in after the folder was listed) is refused with
    :class:`_NotRegular` instead of hanging the scan. Read with one system call where possible.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(info.st_mode)
        size = info.st_size
        if size > limit:
            raise _TooLarge(size)
        data = os.read(fd, size + 1)
        if len(data) > size:  # the file grew while being read, or size was not reported
            chunks = [data]
            total = len(data)
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise _TooLarge(total)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def _skip(scan: SiteScan, display: str, reason: str) -> None:
    scan.skipped.append(Incomplete(SECTION, display, reason, kind=_kind_of(reason)))


def scan_file(
    path: str,
    display: str,
    settings: LinkSettings,
    scan: SiteScan,
    targets: LinkTargets | None = None,
    probe: Callable[[bytes], Probe] | None = None,
) -> list[LinkOccurrence]:
    """The links in one file; a file that cannot be read is recorded in ``scan.skipped``.

    ``probe`` makes what is known of a file's bytes: pass :func:`file_prober`'s result when
    scanning many files, so it is set up once.
    """
    try:
        data = read_regular_file(path, settings.max_file_bytes)
    except _TooLarge as exc:
        limit = f"{settings.max_file_bytes:,}-byte limit"
        _skip(scan, display, f"larger than the {limit} ({exc.size:,} bytes)")
        return []
    except _NotRegular as exc:
        _skip(scan, display, _not_regular_reason(exc.mode))
        return []
    except OSError as exc:
        _skip(scan, display, _os_reason(exc))
        return []
    text = _decode_to_ascii_compatible(data)
    if text is None:
        _skip(scan, display, "binary file (not text)")
        return []
    probed = (probe or file_prober(targets))(text)
    # Asked once: costwatch's own outputs and ignore comments both hold the word.
    named = probed.has(OWN_NAME)
    if is_costwatch_output(text, named):
        scan.own_outputs.append(display)
        return []
    scan.files_scanned += 1
    scan.bytes_scanned += len(data)
    comments = ignore_comments(text, probed) if named else ()
    scan.ignores.extend((display, comment) for comment in comments)
    return extract_links(text, display, targets, ignores=comments, probe=probed)


def file_prober(targets: LinkTargets | None) -> Callable[[bytes], Probe]:
    """What the scan uses to learn about each file's bytes (one pass with Hyperscan)."""
    return probe_maker(targets, SCAN_LITERALS)
