"""The capacity section on the report page: figures, the sentence, escaping, a real browser."""

from __future__ import annotations

import json
from pathlib import Path

from costwatch.formats.base import OutputFormat, render
from costwatch.formats.html import render_latest
from tests.browser import needs_chromium
from tests.browser import render as open_in_chromium
from tests.formats.test_objects_golden import objects_report

HOSTILE_PAGE = '<img src=x onerror="alert(1)">'


def document() -> dict[str, object]:
    doc = json.loads(render(objects_report(), OutputFormat.JSON))
    doc["run"] = {"status": "incomplete", "exit_code": 2, "record": "2026-11-20T1200Z.json"}
    doc["capacity"]["pages"][0]["name"] = HOSTILE_PAGE
    return doc


def test_latest_page_shows_the_capacity_sentence_and_table() -> None:
    page = render_latest(document())
    assert "Capacity: page views the free allowances carry" in page
    assert "The gallery page (4.36 MB in 25 objects a view) carries 1,200 more views" in page
    assert '<td class="num">14,776</td>' in page
    assert HOSTILE_PAGE not in page
    assert "&lt;img src=x onerror=" in page


def test_no_capacity_no_section() -> None:
    doc = document()
    del doc["capacity"]
    assert "Capacity:" not in render_latest(doc)


@needs_chromium
def test_capacity_page_renders_without_console_errors(tmp_path: Path) -> None:
    path = tmp_path / "latest.html"
    path.write_text(render_latest(document()), encoding="utf-8")
    rendered = open_in_chromium(path, tmp_path / "capacity.png")
    assert rendered.console == []
    assert rendered.screenshot.stat().st_size > 20_000
