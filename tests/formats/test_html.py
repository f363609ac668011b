"""The report pages: escaping, self-containment, and a real browser's rendering."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from costwatch.formats.html import render_index, render_latest
from costwatch.history import summarize
from costwatch.report import report_from_json, report_to_json
from tests.browser import needs_chromium, render
from tests.formats.sample import sample_report

HOSTILE_FILE = 'site/<img src=x onerror="alert(1)">.html'
HOSTILE_URL = 'https://cdn.example/"><script>alert(2)</script>?token=REDACTED'


def document() -> dict[str, Any]:
    doc = report_to_json(sample_report())
    doc["run"] = {"status": "incomplete", "exit_code": 2, "record": "2026-11-05T1200Z.json"}
    hostile = {
        "rule_id": "CW301",
        "severity": "error",
        "resource": HOSTILE_FILE,
        "message": f"Drive link ({HOSTILE_URL}) `gcloud storage <b>x</b>`",
        "fingerprint": "f00",
        "path": HOSTILE_FILE,
        "line": 3,
    }
    doc["findings"].append(hostile)
    doc["changes"] = {
        "since": "2026-11-04T12:00:00Z",
        "new": [hostile],
        "resolved": [doc["findings"][0]],
        "unchanged": 4,
    }
    return doc


class Resources(HTMLParser):
    """Every tag and attribute that could load something from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.tags: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_style = tag == "style"
        if tag in ("script", "link", "iframe", "object", "embed", "img", "base"):
            self.loads.append(f"<{tag}>")
        for name, value in attrs:
            if name in ("src", "srcset", "background", "poster", "action", "formaction"):
                self.loads.append(f"{tag} {name}={value}")
            if name in ("href", "xlink:href") and value and re.match(r"^([a-z]+:|//)", value):
                self.loads.append(f"{tag} {name}={value}")
            if name.startswith("on"):
                self.loads.append(f"{tag} {name}")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and ("url(" in data or "@import" in data):
            self.loads.append("style loads a resource")


def loads(page: str) -> Resources:
    parser = Resources()
    parser.feed(page)
    parser.close()
    return parser


def test_latest_escapes_every_hostile_value() -> None:
    page = render_latest(document())
    assert "<script>alert(2)" not in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "<code>gcloud storage &lt;b&gt;x&lt;/b&gt;</code>" in page
    assert "?token=REDACTED" in page
    assert loads(page).loads == []


@pytest.mark.parametrize("which", ["latest", "index"])
def test_pages_are_self_contained(which: str) -> None:
    doc = document()
    page = (
        render_latest(doc)
        if which == "latest"
        else render_index([summarize("2026-11-05T1200Z.json", report_from_json(doc), 1)])
    )
    found = loads(page)
    assert found.loads == []
    assert "script" not in found.tags
    assert "default-src 'none'" in page
    assert "prefers-color-scheme:dark" in page
    assert "@media print" in page
    assert page.count("<svg") == page.count("<title id=") >= 1
    assert page.count("<desc id=") == page.count("<svg")


def test_usage_table_says_unknown_not_zero() -> None:
    page = render_latest(document())
    row = re.search(r"<th scope=\"row\">Class B operations</th>(.*?)</tr>", page)
    assert row is not None and "unknown" in row.group(1)
    assert "Class B operations unknown: permission denied" in page


def test_index_lists_runs_newest_first_with_links() -> None:
    doc = document()
    older = copy.deepcopy(doc)
    older["as_of"] = "2026-10-05T12:00:00Z"
    runs = [
        summarize("2026-10-05T1200Z.json", report_from_json(older), 1),
        summarize("2026-11-05T1200Z.json", report_from_json(doc), 1),
    ]
    page = render_index(runs)
    assert page.index('href="2026-11-05T1200Z.json"') < page.index('href="2026-10-05T1200Z.json"')
    assert "2026-11 (in progress" in page


@needs_chromium
@pytest.mark.parametrize("dark", [False, True])
def test_pages_render_in_chromium_without_console_errors(tmp_path: Path, dark: bool) -> None:
    from costwatch.demo.reporting import write_demo_reports

    folder = tmp_path / "reports"
    write_demo_reports(folder, warn=lambda message: pytest.fail(message))
    shots = tmp_path / "shots"
    for page in ("latest.html", "index.html"):
        rendered = render(
            folder / page, shots / f"{page}-{'dark' if dark else 'light'}.png", dark=dark
        )
        assert rendered.screenshot.stat().st_size > 20_000, rendered.log[-2000:]
        assert rendered.console == [], rendered.console


@needs_chromium
def test_console_check_sees_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<p>x</p><script>console.error('broken page')</script>")
    rendered = render(page, tmp_path / "bad.png", width=400, height=300)
    assert any("broken page" in line for line in rendered.console)


@needs_chromium
def test_hostile_page_runs_no_script(tmp_path: Path) -> None:
    page = tmp_path / "latest.html"
    page.write_text(render_latest(document()))
    rendered = render(page, tmp_path / "hostile.png")
    assert rendered.console == []
    assert json.dumps(rendered.console) == "[]"
