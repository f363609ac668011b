"""Walking a site and pulling links out of it: syntaxes, encodings, skipped files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costwatch.config import LinkSettings as ScanSettings
from costwatch.linkscan import TARGETS
from costwatch.sources.link_context import classify_use
from costwatch.sources.site import extract_links, scan_paths

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")

DRIVE = "https://drive.google.com/uc?id=1AbC"


def hosts(data: bytes) -> list[str]:
    return [o.link.host for o in extract_links(data, "f", TARGETS)]


@pytest.mark.parametrize(
    ("snippet", "usage"),
    [
        ('<img src="{u}">', "image"),
        ("<img alt='x' class=\"a\" src='{u}'>", "image"),
        ('<img srcset="/a.png 1x, {u} 2x">', "image"),
        ('<source data-srcset="{u}">', "image"),
        ('<video poster="{u}">', "image"),
        ('<link rel="icon" href="{u}">', "image"),
        ('<meta property="og:image" content="{u}">', "image"),
        ('<a href="{u}">x</a>', "link"),
        ('<a class="btn"\n   href="{u}">x</a>', "link"),
        ("div {{ background: url({u}) }}", "image"),
        ('div {{ background: url("{u}") }}', "image"),
        ("![alt text]({u})", "image"),
        ("[text]({u})", "link"),
        ('{{"image": "{u}"}}', "image"),
        ('{{"thumbnailUrl":"{u}"}}', "image"),
        ("const coverPhoto = '{u}';", "image"),
        ("const art = {{ src: `{u}` }};", "image"),
        ('{{"href": "{u}"}}', "link"),
        ("see {u} for details", "other"),
        ('fetch("{u}")', "other"),
    ],
)
def test_usage_classification(snippet: str, usage: str) -> None:
    data = snippet.format(u=DRIVE).encode()
    (occurrence,) = extract_links(data, "f")
    assert occurrence.used_as == usage
    assert classify_use(data, data.index(b"https")) == usage


@pytest.mark.parametrize(
    "text",
    [
        '<img src="https://drive.google.com/uc?export=view&amp;id=1AbC">',
        '{"u": "https:\\/\\/drive.google.com\\/uc?id=1AbC"}',
        "<img src='//drive.google.com/uc?id=1AbC'>",
        "const u = `https://drive.google.com/uc?id=1AbC`;",
        "key: https://drive.google.com/uc?id=1AbC\n",
        "<loc>https://drive.google.com/uc?id=1AbC</loc>",
    ],
)
def test_url_spellings(text: str) -> None:
    (occurrence,) = extract_links(text.encode(), "f")
    assert occurrence.link.host == "drive.google.com"
    assert occurrence.link.param("id") == "1AbC"


def test_rule_hosts_and_gs_uris_in_any_case_and_as_templates() -> None:
    data = (
        b'<img src="gs://${bucket}/a.png"> <img src="GS://my-bucket/b.png">\n'
        b"// a comment, then //STORAGE.GoogleAPIs.com/c/d.png and // not a link\n"
        b'<img src="https://cdn.x.storage.googleapis.com/e.png">'
    )
    assert hosts(data) == [
        "${bucket}",
        "my-bucket",
        "storage.googleapis.com",
        "cdn.x.storage.googleapis.com",
    ]


def test_percent_encoded_parameters_are_decoded() -> None:
    data = b'<img src="https://x.storage.googleapis.com/a?X-Goog-Credential=a%40b.com%2F2026">'
    (occurrence,) = extract_links(data, "f")
    assert occurrence.link.param("x-goog-credential") == "a@b.com/2026"


def test_uninteresting_urls_are_not_parsed() -> None:
    data = b'<a href="https://example.com/x">x</a> <img src="https://cdn.example.org/a.png">'
    assert hosts(data) == []


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "shift_jis", "euc_jp", "iso2022_jp", "latin-1", "cp1252", "iso8859_2", "utf-8-sig"],
)
def test_encodings(encoding: str) -> None:
    text = '画像ギャラリー — Café Zürich żółć\n<img alt="作品" src="https://drive.google.com/uc?id=1AbC">作品\n'
    data = text.encode(encoding, errors="replace")
    (occurrence,) = extract_links(data, "f")
    assert occurrence.link.param("id") == "1AbC"
    assert occurrence.line == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(
        '<p>héllo</p>\n<img src="https://drive.google.com/uc?id=1AbC">'.encode(encoding)
    )
    scan = scan_paths([tmp_path], tmp_path)
    assert scan.skipped == []
    (occurrence,) = scan.occurrences
    assert (occurrence.path, occurrence.line) == ("page.html", 2)


def _site(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "App.jsx").write_text(f'<img src="{DRIVE}" />\n')
    (tmp_path / "node_modules" / "lib").mkdir(parents=True)
    (tmp_path / "node_modules" / "lib" / "x.js").write_text(f'"{DRIVE}"')
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(DRIVE)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "bundle.js").write_text(f'"{DRIVE}"')
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + DRIVE.encode())
    return tmp_path


def test_walk_skips_dependencies_vcs_and_build_output(tmp_path: Path) -> None:
    scan = scan_paths([_site(tmp_path)], tmp_path)
    assert [o.path for o in scan.occurrences] == ["src/App.jsx"]
    assert scan.files_scanned == 1


def test_build_output_when_asked(tmp_path: Path) -> None:
    scan = scan_paths([_site(tmp_path)], tmp_path, ScanSettings(include_build_output=True))
    assert sorted(o.path for o in scan.occurrences) == ["dist/bundle.js", "src/App.jsx"]


def test_exclude_globs(tmp_path: Path) -> None:
    scan = scan_paths([_site(tmp_path)], tmp_path, ScanSettings(exclude=("src/*",)))
    assert scan.occurrences == []


def test_paths_relative_to_root_with_forward_slashes(tmp_path: Path) -> None:
    _site(tmp_path)
    scan = scan_paths([tmp_path / "src" / "App.jsx"], tmp_path)
    assert scan.occurrences[0].path == "src/App.jsx"


def test_binary_large_and_broken_files_are_skipped_and_listed(tmp_path: Path) -> None:
    (tmp_path / "ok.html").write_text(f'<img src="{DRIVE}">')
    (tmp_path / "weird.js").write_bytes(b"\x00\x01\x02\x03binary\x00\xff\xfe" * 50)
    (tmp_path / "huge.json").write_text("x" * 2000)
    (tmp_path / "gone.html").symlink_to(tmp_path / "missing.html")
    (tmp_path / "a.html").symlink_to(tmp_path / "b.html")
    (tmp_path / "b.html").unlink(missing_ok=True)
    os.symlink(tmp_path / "a.html", tmp_path / "b.html")
    (tmp_path / "loop").symlink_to(tmp_path)
    scan = scan_paths([tmp_path], tmp_path, ScanSettings(max_file_bytes=1000))
    reasons = {item.resource: item.reason for item in scan.skipped}
    assert reasons["weird.js"] == "binary file (not text)"
    assert "larger than the 1,000-byte limit" in reasons["huge.json"]
    assert reasons["gone.html"] == "no such file or folder"
    assert reasons["a.html"] == "symlink loop"
    assert reasons["loop"].startswith("symlink loop")
    assert [o.path for o in scan.occurrences] == ["ok.html"]


def test_missing_path_is_listed(tmp_path: Path) -> None:
    scan = scan_paths([tmp_path / "nope"], tmp_path)
    assert scan.skipped[0].reason == "no such file or folder"


def test_inline_suppressions_are_read() -> None:
    data = (
        b"<!-- costwatch: ignore[CW301, cw304] legacy page, removed in v2 -->\n"
        b'<img src="https://drive.google.com/uc?id=1">\n'
        b'<img src="https://drive.google.com/uc?id=2"> // costwatch: ignore[CW301]\n'
    )
    first, second = extract_links(data, "f")
    (s1,) = first.suppressions
    assert s1.rules == ("CW301", "CW304")
    assert s1.reason == "legacy page, removed in v2"
    assert s1.line == 1
    (s2,) = second.suppressions
    assert s2.reason == "" and s2.line == 3


SECRET = "ZZsecretTOKENvalue123"
URL_SHAPES = [
    "https://raw.githubusercontent.com/o/r/main/a.png?token={s}",
    "https://private-user-images.githubusercontent.com/1/a.png?jwt={s}",
    "https://storage.googleapis.com/b-b/a.png?X-Goog-Signature={s}&X-Goog-Date=20261101T000000Z&X-Goog-Expires=60",
    "https://storage.googleapis.com/b-b/a.png?GoogleAccessId=x&Expires=1&Signature={s}",
    "https://b.s3.amazonaws.com/a?X-Amz-Signature={s}&X-Amz-Credential={s}",
    "https://user:{s}@storage.googleapis.com/b-b/a.png",
    "https://storage.cloud.google.com/b-b/a.png?key={s}",
    "https://drive.google.com/uc?id=1&access_token={s}",
    "https:\\/\\/raw.githubusercontent.com\\/o\\/r\\/a.png?token={s}",
    "//raw.githubusercontent.com/o/r/a.png?TOKEN={s}",
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    prefix=st.binary(max_size=200),
    suffix=st.binary(max_size=200),
    shape=st.sampled_from(URL_SHAPES),
    wrapper=st.sampled_from(
        ['<img src="{}">', "url({})", "![]({})", '{{"image":"{}"}}', "{}", "`{}`"]
    ),
    encoding=st.sampled_from(["utf-8", "utf-16", "shift_jis", "latin-1"]),
)
def test_scanner_never_crashes_or_leaks(
    prefix: bytes, suffix: bytes, shape: str, wrapper: str, encoding: str
) -> None:
    from datetime import UTC, datetime

    from costwatch.formats.base import OutputFormat, render
    from costwatch.linkscan import judge_links
    from costwatch.report import build_report
    from costwatch.rules.link_base import LinkContext

    url = shape.format(s=SECRET)
    middle = wrapper.format(url).encode(encoding)
    data = middle if encoding == "utf-16" else prefix + b"\n" + middle + b"\n" + suffix
    occurrences = extract_links(data, "f.html")
    findings = judge_links(
        occurrences, LinkContext(as_of=datetime(2026, 11, 5, tzinfo=UTC))
    ).findings
    report = build_report("links", datetime(2026, 11, 5, tzinfo=UTC), findings)
    for fmt in OutputFormat:
        assert SECRET not in render(report, fmt)
    for occurrence in occurrences:
        assert SECRET not in occurrence.link.redacted


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    for occurrence in extract_links(b"https://drive.google.com " + data, "f"):
        assert occurrence.line >= 1


@pytest.mark.parametrize(
    "text",
    [
        "<img src='HTTPS://DRIVE.GOOGLE.COM/uc?id=1AbC'>",
        "<img src='https://Drive.Google.com/uc?id=1AbC'>",
        "![](GS://B-B/x.png)",
    ],
)
def test_hosts_and_schemes_ignore_case(text: str) -> None:
    (occurrence,) = extract_links(text.encode(), "f")
    assert occurrence.link.host in ("drive.google.com", "b-b")


@pytest.mark.parametrize(
    "data", [b"\x00\x01", b"\x00\x01\x00\x02\x00\x03\x00\x04" * 20, b"\x01\x00\x02\x00" * 40]
)
def test_zero_bytes_that_are_not_utf16_text_are_binary(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "x.js").write_bytes(data)
    scan = scan_paths([tmp_path], tmp_path)
    assert [item.reason for item in scan.skipped] == ["binary file (not text)"]
