"""The site scan against hostile trees: special files, undecodable names, long lines, its own files."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costwatch.config import LinkSettings
from costwatch.linkscan import TARGETS
from costwatch.sources.own_outputs import is_costwatch_output
from costwatch.sources.site import (
    MAX_URL_BYTES,
    SCANNED_SUFFIXES,
    SiteScan,
    display_name,
    extract_links,
    scan_paths,
)

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")

DRIVE = "https://drive.google.com/uc?id=1AbC"
T = TypeVar("T")


def finishes(call: Callable[[], T], seconds: float = 20) -> T:
    """``call()``, failing (not hanging) if it blocks: a hang is the bug these tests catch."""
    box: list[T] = []
    worker = threading.Thread(target=lambda: box.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"still running after {seconds} s"
    return box[0]


# --- only regular files are opened ---------------------------------------------------------


def test_a_named_pipe_in_the_tree_is_skipped_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.json")
    (tmp_path / "via-link.json").symlink_to(tmp_path / "feed.json")
    (tmp_path / "ok.html").write_text(f'<img src="{DRIVE}">')
    scan = finishes(lambda: scan_paths([tmp_path], tmp_path))
    reasons = {item.resource: item.reason for item in scan.skipped}
    assert reasons == {
        "feed.json": "not a regular file (named pipe)",
        "via-link.json": "not a regular file (named pipe)",
    }
    assert [o.path for o in scan.occurrences] == ["ok.html"]


def test_a_named_pipe_given_as_a_path_is_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "feed.json")
    (tmp_path / "link.json").symlink_to(tmp_path / "feed.json")
    scan = finishes(lambda: scan_paths([tmp_path / "feed.json", tmp_path / "link.json"], tmp_path))
    assert [i.reason for i in scan.skipped] == ["not a regular file (named pipe)"] * 2


def test_a_socket_and_a_device_are_skipped(tmp_path: Path) -> None:
    import socket

    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "s.json"))
        (tmp_path / "null.html").symlink_to("/dev/null")
        (tmp_path / "zero.txt").symlink_to("/dev/zero")
        scan = finishes(lambda: scan_paths([tmp_path], tmp_path))
    finally:
        server.close()
    reasons = {item.resource: item.reason for item in scan.skipped}
    assert reasons == {
        "s.json": "not a regular file (socket)",
        "null.html": "not a regular file (character device)",
        "zero.txt": "not a regular file (character device)",
    }


def test_a_pipe_swapped_in_after_listing_is_refused_on_open(tmp_path: Path) -> None:
    from costwatch.sources.site import scan_file

    os.mkfifo(tmp_path / "late.html")
    scan = SiteScan()
    found = finishes(
        lambda: scan_file(str(tmp_path / "late.html"), "late.html", LinkSettings(), scan)
    )
    assert found == []
    assert [i.reason for i in scan.skipped] == ["not a regular file (named pipe)"]


# --- file names that are not UTF-8 ----------------------------------------------------------


def test_undecodable_names_are_shown_escaped_and_stable(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    with open(os.path.join(root, b"caf\xe9.html"), "wb") as handle:
        handle.write(f'<img src="{DRIVE}">'.encode())
    first = scan_paths([tmp_path], tmp_path)
    second = scan_paths([tmp_path], tmp_path)
    assert [o.path for o in first.occurrences] == ["caf\\xe9.html"]
    assert [o.path for o in second.occurrences] == ["caf\\xe9.html"]
    json.dumps([o.path for o in first.occurrences], ensure_ascii=False).encode("utf-8")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.binary(min_size=1, max_size=40).filter(
        lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
    )
)
def test_any_file_name_gives_valid_text(tmp_path: Path, name: bytes) -> None:
    folder = os.path.join(os.fsencode(tmp_path), os.urandom(6).hex().encode())
    os.mkdir(folder)
    with open(os.path.join(folder, name + b".html"), "wb") as handle:
        handle.write(f'<img src="{DRIVE}">'.encode())
    scan = scan_paths([Path(os.fsdecode(folder))], Path(os.fsdecode(folder)))
    for item in [o.path for o in scan.occurrences] + [i.resource for i in scan.skipped]:
        item.encode("utf-8")  # never a lone surrogate
    assert len(scan.occurrences) == 1


def test_display_name_escapes_only_undecodable_bytes() -> None:
    assert display_name("plain/ünïcode.html") == "plain/ünïcode.html"
    assert display_name(os.fsdecode(b"caf\xe9.html")) == "caf\\xe9.html"


# --- long lines: linear, and a URL never swallows the next -----------------------------------

_SEPARATORS = st.sampled_from([",", ";", "!", "*", "=", " ", ",,", ", ", "', '", '","'])
_URLS = st.sampled_from(
    [
        "https://storage.googleapis.com/bucket-{i}/a.png",
        "https://drive.google.com/uc?id={i}",
        "//raw.githubusercontent.com/o/r/{i}.png?token=T{i}",
        "gs://bucket-{i}/x.png",
        "https://x{i}.storage.googleapis.com/a,b.png",
    ]
)


@settings(max_examples=150, deadline=None)
@given(shapes=st.lists(_URLS, min_size=1, max_size=60), separator=_SEPARATORS)
def test_urls_on_one_line_are_each_read_once(shapes: list[str], separator: str) -> None:
    urls = [shape.format(i=i) for i, shape in enumerate(shapes)]
    data = ("x=" + separator.join(urls) + separator + "tail" * 50).encode()
    occurrences = extract_links(data, "bundle.js", TARGETS)
    assert len(occurrences) == len(urls)
    total = sum(len(o.link.raw) for o in occurrences)
    # Each link holds its own URL (and at most the trailing junk for the last one): no link
    # reads over the next, so the work and the output are linear in the line.
    assert total <= len(data)
    for occurrence, url in zip(occurrences, urls, strict=True):
        assert url.split("//", 1)[1].split("?")[0].lower() in occurrence.link.raw.lower()


def test_a_url_is_read_for_a_bounded_length() -> None:
    data = b'"https://storage.googleapis.com/b/' + b"a" * 1_000_000 + b'"'
    (occurrence,) = extract_links(data, "a.js", TARGETS)
    assert len(occurrence.link.raw) <= MAX_URL_BYTES + 10


def test_one_ignore_comment_is_read_once_for_a_whole_bundle() -> None:
    links = ";".join(f'a{i}="{DRIVE}{i}"' for i in range(3000))
    data = f"/* costwatch: ignore[CW307] partner bucket */{links}".encode()
    occurrences = extract_links(data, "bundle.min.js", TARGETS)
    assert len(occurrences) == 3000
    # One file context for all of them: comments and ignores are worked out once per file.
    assert len({id(o.file) for o in occurrences}) == 1
    (suppression,) = occurrences[-1].suppressions
    assert suppression.reason == "partner bucket"


def test_an_ignore_reason_is_bounded_on_a_minified_line() -> None:
    from costwatch.sources.site import ignore_comments

    data = b"// costwatch: ignore[CW301] reason " + b"x" * 100_000
    (comment,) = ignore_comments(data)
    assert len(comment.reason) <= 300


# --- costwatch's own files ------------------------------------------------------------------


def _own_outputs() -> dict[str, str]:
    from datetime import UTC, datetime

    from costwatch.findings import Finding, Severity
    from costwatch.formats.base import OutputFormat, render
    from costwatch.report import build_report

    finding = Finding(
        "CW301", Severity.ERROR, "a.html", f"Drive ({DRIVE})", key=DRIVE, path="a.html", line=1
    )
    report = build_report("links", datetime(2026, 11, 5, tzinfo=UTC), [finding])
    return {fmt.value: render(report, fmt) for fmt in OutputFormat}


def test_costwatch_reports_are_recognised_by_content() -> None:
    outputs = _own_outputs()
    assert {"json", "sarif", "markdown", "table"} <= set(outputs)
    for fmt, text in outputs.items():
        assert is_costwatch_output(text.encode()), fmt


def test_costwatch_html_pages_are_recognised() -> None:
    page = b'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="costwatch">'
    assert is_costwatch_output(page + f'<img src="{DRIVE}">'.encode())


def test_a_baseline_is_recognised_and_skipped(tmp_path: Path) -> None:
    from costwatch.baseline import write_baseline
    from costwatch.findings import Finding, Severity

    (tmp_path / "a.html").write_text(f'<img src="{DRIVE}">')
    write_baseline(
        tmp_path / "anything.json",
        [Finding("CW301", Severity.ERROR, "a.html", "m", key=DRIVE, path="a.html", line=1)],
    )
    scan = scan_paths([tmp_path], tmp_path)
    assert [o.path for o in scan.occurrences] == ["a.html"]
    assert scan.own_outputs == ["anything.json"]


@pytest.mark.parametrize(
    "text",
    [
        f'{{"tool": "costwatch-like", "schema_version": 1, "image": "{DRIVE}"}}',
        f'{{"name": "my site", "description": "checked with costwatch", "image": "{DRIVE}"}}',
        f"# costwatch notes\n\nWe use costwatch. ![]({DRIVE})",
        f'{{"tool": "costwatch", "image": "{DRIVE}"}}',
    ],
)
def test_site_files_that_mention_costwatch_are_still_scanned(text: str) -> None:
    assert not is_costwatch_output(text.encode())


# --- file types -----------------------------------------------------------------------------

NEW_TYPES = [
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
    ".html.tmpl",
    ".toml",
    ".rst",
    ".adoc",
    ".ipynb",
    ".csv",
    ".tsv",
]


@pytest.mark.parametrize("suffix", NEW_TYPES)
def test_template_and_data_files_are_read(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"page{suffix}").write_text(f'<img src="{DRIVE}">\n')
    scan = scan_paths([tmp_path], tmp_path)
    assert [o.path for o in scan.occurrences] == [f"page{suffix}"]
    assert not scan.unread_types


def test_files_not_read_are_counted_by_type(tmp_path: Path) -> None:
    for name in ["a.png", "b.PNG", "c.woff2", "LICENSE", "d.tmpl", "e.py", "f.html"]:
        (tmp_path / name).write_text("x")
    scan = scan_paths([tmp_path], tmp_path)
    assert dict(scan.unread_types) == {".png": 2, ".woff2": 1, "": 1, ".tmpl": 1, ".py": 1}
    assert scan.files_scanned == 1


def test_every_listed_suffix_is_a_suffix() -> None:
    assert all(s.startswith(".") and s == s.lower() for s in SCANNED_SUFFIXES)


@pytest.mark.parametrize(
    ("text", "use"),
    [
        ('const imageOg =\n    "https://drive.google.com/uc?id=1";', "image"),
        ("Image:\n\nhttps://drive.google.com/uc?id=1", "other"),
        ("a = 1;\n  'https://drive.google.com/uc?id=1'", "other"),
    ],
)
def test_a_key_counts_only_on_the_line_right_before(text: str, use: str) -> None:
    (occurrence,) = extract_links(text.encode(), "a.js", TARGETS)
    assert occurrence.used_as == use


SECRET = "QQplantedSECRET42"
LEAKY_SHAPES = [
    "https://storage.googleapis.com/b-b/a.png?X-Goog-Date=20261101T000000Z&#038;X-Goog-Expires=60&#038;X-Goog-Signature={s}",
    "https://raw.githubusercontent.com/o/r/a.png?w=1&#x0026;token={s}",
    "https://raw.githubusercontent.com/o/r/a.png?w=1&amp;amp;token={s}",
    "https://raw.githubusercontent.com/o/r/a.png?w=1;token={s}",
    "https://storage.googleapis.com/b-b/a.png?next=https://raw.githubusercontent.com/o/r/a.png?token={s}",
    "https://storage.googleapis.com/b-b/a.png?next=https%3A%2F%2Fx.com%2Fa%3Ftoken%3D{s}",
    "https://storage.googleapis.com/b-b/a.png,https://raw.githubusercontent.com/o/r/a.png?token={s}",
    "https://www.dropbox.com/scl/fi/x/a.png?rlkey={s}&dl=1",
    "https://onedrive.live.com/embed?resid=A!1&authkey={s}&em=2",
    "https://drive.google.com/file/d/1/view?resourcekey={s}",
    "https://u:{s}@storage.googleapis.com/b-b/a.png",
    "https://firebasestorage.googleapis.com/v0/b/p.appspot.com/o/a.png?alt=media&token={s}",
    "https://storage.googleapis.com/b-b/a.png?token\\u003d{s}",
    "https://storage.googleapis.com/b-b/a.png\\?X-Goog-Signature\\={s}\\&X-Goog-Expires\\=60",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.binary(max_size=120),
    suffix=st.binary(max_size=120),
    shape=st.sampled_from(LEAKY_SHAPES),
    wrapper=st.sampled_from(
        [
            '<img src="{}">',
            '<a href="{}">x</a>',
            "url({})",
            '{{"image":"{}"}}',
            "<!-- {} -->",
            "// {}",
            "{}",
        ]
    ),
    name=st.sampled_from(["a.html", "a.js", "a.md", "a.json", "a.php", "a.csv"]),
)
def test_no_planted_secret_reaches_any_format(
    prefix: bytes, suffix: bytes, shape: str, wrapper: str, name: str
) -> None:
    from datetime import UTC, datetime

    from costwatch.formats.base import OutputFormat, render
    from costwatch.linkscan import judge_links
    from costwatch.report import build_report
    from costwatch.rules.link_base import LinkContext

    data = prefix + b"\n" + wrapper.format(shape.format(s=SECRET)).encode() + b"\n" + suffix
    occurrences = extract_links(data, name, TARGETS)
    when = datetime(2026, 11, 5, tzinfo=UTC)
    findings = judge_links(occurrences, LinkContext(as_of=when)).findings
    report = build_report("links", when, findings)
    for fmt in OutputFormat:
        assert SECRET not in render(report, fmt)
    for occurrence in occurrences:
        assert SECRET not in occurrence.link.redacted


def test_a_symlinked_folder_outside_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.html").write_text(f'<img src="{DRIVE}">')
    project = tmp_path / "project"
    (project / "site" / "shared").mkdir(parents=True)
    (project / "shared").mkdir()
    (project / "shared" / "y.html").write_text(f'<img src="{DRIVE}">')
    (project / "site" / "root").symlink_to("/")
    (project / "site" / "ext").symlink_to(outside)
    (project / "site" / "common").symlink_to(project / "shared")
    scan = finishes(lambda: scan_paths([project / "site"], project))
    assert [o.path for o in scan.occurrences] == ["site/common/y.html"]
    reasons = {item.resource: item.reason for item in scan.skipped}
    assert reasons == {
        "site/ext": "symlink to a folder outside the project: not followed",
        "site/root": "symlink to a folder outside the project: not followed",
    }
    # Named explicitly, a folder outside the project is scanned as asked.
    named = scan_paths([project / "site", outside], project)
    assert any(o.path.endswith("x.html") for o in named.occurrences)
