"""CI formats under hostile names: JUnit stays XML every parser reads, GitHub annotations stay
one line each and show control sequences as escapes in the job log."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.formats.base import OutputFormat, render
from costwatch.textsafe import encodable
from tests.formats.test_safe import HOSTILE, TERMINAL_UNSAFE, hostile_report


def _check_junit(text: str) -> None:
    import junitparser

    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    xml = junitparser.JUnitXml.fromstring(text)
    assert sum(1 for suite in xml for _ in suite) >= 1


def _check_github(text: str) -> None:
    for line in text.splitlines():
        assert line.startswith(("::error ", "::warning ", "::notice ", "costwatch ")), line
        assert not TERMINAL_UNSAFE.search(line), line


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_ci_formats_survive_hostile_text(text: str) -> None:
    report = hostile_report(text)
    _check_junit(encodable(render(report, OutputFormat.JUNIT)))
    _check_github(render(report, OutputFormat.GITHUB))
    if "\udce9" not in text:  # names that are not UTF-8 reach no report (the scanner's job)
        json.loads(encodable(render(report, OutputFormat.GITLAB)))


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_gives_valid_junit_and_one_line_annotations(text: str) -> None:
    report = hostile_report(text)
    _check_junit(encodable(render(report, OutputFormat.JUNIT)))
    _check_github(render(report, OutputFormat.GITHUB))


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_html_pages_show_hostile_text_as_text(text: str) -> None:
    from costwatch.formats import html
    from costwatch.report import report_to_json

    page = html.render_latest(report_to_json(hostile_report(text)))
    assert not TERMINAL_UNSAFE.search(page.replace("\n", "")), page
    assert "<img src=x" not in page
