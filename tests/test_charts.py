"""The SVG charts: byte-stable, escaped, and described in words."""

from __future__ import annotations

import copy
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from costwatch import charts
from costwatch.history import chart_months, summarize
from costwatch.report import report_from_json, report_to_json
from tests.formats.sample import sample_report

GOLDEN = Path(__file__).parent / "formats" / "golden"
SVG = "{http://www.w3.org/2000/svg}"


def document() -> dict[str, Any]:
    return report_to_json(sample_report())


def runs() -> list[dict[str, Any]]:
    out = []
    for as_of, egress in (
        ("2026-09-30T12:00:00Z", 40),
        ("2026-10-05T12:00:00Z", 12),
        ("2026-10-31T12:00:00Z", 90),
        ("2026-11-05T12:00:00Z", 30),
    ):
        doc = document()
        doc["as_of"] = as_of
        doc["usage"]["egress"]["used_bytes"] = egress * 1024**3
        out.append(summarize(as_of[:10] + "T1200Z.json", report_from_json(doc), 1))
    return out


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("COSTWATCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("egress-month.svg", lambda: charts.egress_month(document())),
        ("months.svg", lambda: charts.month_over_month(chart_months(runs()))),
        ("findings.svg", lambda: charts.findings_over_time(runs())),
    ],
)
def test_charts_are_byte_stable_valid_svg_with_text_alternatives(name: str, make: Any) -> None:
    first, second = make(), make()
    assert first == second
    check_golden(name, first)
    root = ET.fromstring(first)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text and len(desc.text) > 60
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_egress_chart_marks_the_crossing_and_says_it() -> None:
    svg = charts.egress_month(document())
    assert "runs out Nov 19" in svg  # 2026-11-20T03:00Z is Nov 19 in Pacific time
    assert 'class="cw-forecast"' in svg and 'class="cw-pace"' in svg


def test_unknown_egress_is_said_not_drawn_as_zero() -> None:
    doc = document()
    doc["usage"]["egress"].update(used_bytes=None, forecast_bytes=None, unknown="permission denied")
    svg = charts.egress_month(doc)
    assert "Egress unknown: permission denied." in svg
    assert "<polyline" not in svg


def test_month_in_progress_is_compared_at_the_same_point() -> None:
    months = chart_months(runs())
    assert [m["month"] for m in months] == ["2026-09", "2026-10", "2026-11"]
    assert [m["in_progress"] for m in months] == [False, False, True]
    november = months[-1]
    assert november["previous_same_point"]["as_of"] == "2026-10-05T12:00:00Z"
    assert november["previous_same_point"]["egress_used_bytes"] == 12 * 1024**3
    assert months[1]["egress_used_bytes"] == 90 * 1024**3


def test_text_from_the_data_is_escaped() -> None:
    doc = document()
    doc["usage"]["egress"].update(used_bytes=None, unknown="<script>x</script> & more")
    svg = charts.egress_month(doc)
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt; &amp; more" in svg
    ET.fromstring(svg)


def test_twelve_months_at_most() -> None:
    base = runs()[0]
    many = []
    for index in range(20):
        run = copy.deepcopy(base)
        year, month = 2025 + (index + 3) // 12, (index + 3) % 12 + 1
        run["as_of"] = f"{year}-{month:02d}-15T12:00:00Z"
        run["month"] = f"{year}-{month:02d}"
        run["record"] = f"{year}-{month:02d}-15T1200Z.json"
        many.append(run)
    svg = charts.month_over_month(chart_months(many))
    assert svg.count("egress: ") == 12
    assert "2025-04" not in svg and "2026-11" in svg
