"""The output boundary: no untrusted string reaches a terminal or a Markdown page as control.

Every untrusted field of a report (file names, baseline entries, Monitoring labels, server
error text, the project, skip reasons) carries hostile text; every format must show it as
text: the table and Markdown escape it, JSON and SARIF stay valid and carry it exactly.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from costwatch.billing import billing_period
from costwatch.checks.forecast import usage_section
from costwatch.findings import Finding, Incomplete, IncompleteKind, Severity
from costwatch.formats.base import OutputFormat, render
from costwatch.formats.markdown import escape, escape_line
from costwatch.model import BucketUsage, Resource, UsageSummary
from costwatch.report import LinksSection, Report, build_report
from costwatch.textsafe import encodable, is_safe, safe_text

OSC8 = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J\x1b[H"
HOSTILE = [
    OSC8,
    CLEAR,
    "\x9b31m",  # C1 CSI
    "\x9d8;;https://evil.example\x9c",  # C1 OSC and ST
    "photo\u202egpj.exe",  # right-to-left override
    "a\u2066b\u2069c\u200fd\u061ce",  # isolates, RLM, Arabic letter mark
    "line\rbreak\nnew\x0bvertical\x0cform\x85next\u2028sep\u2029para",
    "caf\udce9.html",  # not UTF-8, decoded with surrogateescape
    "zero\u200bwidth\ufeffbom\u2060joiner",
    "tag\U000e0041chars",
    "<img src=x onerror=alert(1)> | `code` [link](https://evil.example) *b* _i_ ~s~ $x$ &amp;",
]
TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff"
    "\U000e0000-\U000e007f]"
)


def hostile_report(text: str) -> Report:
    """A report with ``text`` in every untrusted field the formats show."""
    period = billing_period(datetime(2026, 11, 5, 12, tzinfo=UTC))
    usage = UsageSummary(
        text or "p",
        period,
        {
            "egress": Resource("egress", "bytes", 100.0, unknown=f"server said: {text}"),
            "class_a_ops": Resource("class_a_ops", "operations", 5000, 1, 2),
            "class_b_ops": Resource("class_b_ops", "operations", 50000, 1, 2),
            "storage": Resource("storage", "GiB-months", 5, 0.1, 0.2),
        },
        (
            BucketUsage(f"b{text}", text, True, True, 1.0, 1, 1, 1.0, 0.1),
            BucketUsage(f"c{text}", text, False, False),
        ),
        (),
        ((text, 3.0),),
        (f"note {text}",),
    )
    links = LinksSection.from_json(
        {
            "files_scanned": 1,
            "bytes_scanned": 1,
            "links_checked": 1,
            "files_skipped": 1,
            "suppressed_inline": 0,
            "stale_suppressions": [{"path": f"s/{text}", "line": 2, "rules": ["CW307"]}],
            "as_of": "2026-11-05T12:30:00Z",
            "baseline": {
                "path": f"base{text}.json",
                "accepted": 0,
                "stale": [{"rule_id": "CW304", "path": f"p/{text}", "url": f"https://x/{text}"}],
            },
        }
    )
    return build_report(
        "links",
        datetime(2026, 11, 5, 12, 30, tzinfo=UTC),
        [
            Finding(
                "CW305",
                Severity.ERROR,
                f"site/{text}",
                f"browsers cannot load gs://b/{text}",
                path=f"site/{text}",
                line=3,
                fingerprint="0123456789abcdef",  # the scanner's job for undecodable names
            )
        ],
        [
            Incomplete("links", f"site/{text}.bin", f"binary {text}", blocking=False),
            Incomplete("usage", f"projects/{text}", text, kind=IncompleteKind.PERMISSION),
        ],
        sections=[usage_section(usage), links],
        project=text,
        config_path="costwatch.toml",
    )


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("color", [False, True], ids=["plain", "rich"])
def test_table_shows_no_control_sequence(text: str, color: bool) -> None:
    out = render(hostile_report(text), OutputFormat.TABLE, color=color)
    out.encode("utf-8")
    if color:
        # rich's own styling is the only escape sequence: SGR codes, never OSC or erase.
        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert not TERMINAL_UNSAFE.search(out.replace("\n", "")), repr(out)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_is_text_never_markup(text: str) -> None:
    out = render(hostile_report(text), OutputFormat.MARKDOWN)
    assert not TERMINAL_UNSAFE.search(out.replace("\n", ""))
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<img" not in html and "<a " not in html and "<code>" not in html
    assert "<em>" not in html and "<strong>" not in html
    _assert_tables_keep_their_shape(out, html)


def _assert_tables_keep_their_shape(markdown: str, html: str) -> None:
    """Every table row the Markdown writes is one row with as many cells as its header."""
    tables = re.findall(r"<table>.*?</table>", html, flags=re.S)
    written = markdown.count("\n|---|")
    assert len(tables) == written
    for table in tables:
        header_cells = len(re.findall(r"<th>", table))
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        for row in rows[1:]:
            assert len(re.findall(r"<td>", row)) == header_cells


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_json_and_sarif_stay_valid_and_exact(text: str) -> None:
    report = hostile_report(text)
    document = json.loads(encodable(render(report, OutputFormat.JSON)))
    if is_safe(text) or "\udce9" not in text:
        assert document["project"] == text
        assert document["findings"][0]["path"] == f"site/{text}"
    sarif = json.loads(encodable(render(report, OutputFormat.SARIF)))
    assert sarif["runs"][0]["results"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_safe_text_leaves_nothing_that_controls_a_terminal(text: str) -> None:
    shown = safe_text(text)
    shown.encode("utf-8")
    for char in shown:
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs", "Zl", "Zp")
        assert category != "Cf" or char in "\u200c\u200d"
    assert "\n" not in shown and "\r" not in shown


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_printable_ascii_is_shown_as_it_is(text: str) -> None:
    assert safe_text(text) == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_markdown_cell_is_always_one_cell_of_text(text: str) -> None:
    markdown = f"| a | b |\n|---|---|\n| {escape(text)} | end |\n"
    assert markdown.count("\n") == 3
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert html.count("<td>") == 2 and "<td>end</td>" in html
    for tag in ("<img", "<a ", "<code>", "<em>", "<strong>", "<s>", "<script"):
        assert tag not in html


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_markdown_line_is_never_a_heading_list_or_quote(text: str) -> None:
    html = MarkdownIt("commonmark").render(escape_line(text) + "\n")
    assert html == "" or html.startswith("<p>"), html


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_every_format_renders_any_text(text: str) -> None:
    from xml.etree import ElementTree

    report = hostile_report(text)
    for fmt in OutputFormat:
        if fmt is OutputFormat.GITLAB and any("\ud800" <= c <= "\udfff" for c in text):
            continue  # its fingerprints need text: names that are not UTF-8 are the scanner's
        out = encodable(render(report, fmt))
        out.encode("utf-8")
        if fmt in (OutputFormat.JSON, OutputFormat.SARIF, OutputFormat.GITLAB):
            json.loads(out)
        elif fmt is OutputFormat.JUNIT:
            ElementTree.fromstring(out.encode("utf-8"))
        else:
            assert not TERMINAL_UNSAFE.search(out.replace("\n", "")), fmt


def test_escapes_are_named_and_readable() -> None:
    assert safe_text("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert safe_text("\x1b[2J") == "\\x1b[2J"
    assert safe_text("\x9b") == "\\x9b"
    assert safe_text("x\u202ey") == "x\\u202ey"
    assert safe_text("\U000e0041") == "\\U000e0041"
    assert safe_text("caf\udce9") == "caf\\udce9"
    assert safe_text("café 写真 👨\u200d👩\u200d👧") == "café 写真 👨\u200d👩\u200d👧"


def test_golden_sample_is_unchanged_by_the_boundary() -> None:
    from tests.formats.sample import sample_report

    golden = Path(__file__).parent / "golden" / "report.txt"
    assert render(sample_report(), OutputFormat.TABLE) == golden.read_text(encoding="utf-8")


def _findings_markdown(message: str, fix: str) -> str:
    from costwatch.findings import Fix

    finding = Finding("CW106", Severity.WARNING, "gs://b", message, fix=Fix(text=fix))
    report = build_report("audit", datetime(2026, 11, 5, tzinfo=UTC), [finding])
    return render(report, OutputFormat.MARKDOWN)


def test_a_fix_shows_its_commands_as_code_and_nothing_else() -> None:
    out = _findings_markdown(
        "gs://b keeps <img src=x> `deleted` objects",
        "`gcloud storage buckets update gs://b --clear-soft-delete` (or `a | b`)",
    )
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<code>gcloud storage buckets update gs://b --clear-soft-delete</code>" in html
    assert "<code>a | b</code>" in html
    assert "<img" not in html and "&lt;img src=x&gt;" in html
    assert html.count("<code>") == 2  # the message's backticks stay text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30))
def test_any_message_and_fix_stay_one_row_of_text_and_code(message: str, fix: str) -> None:
    out = _findings_markdown(message, fix)
    row = next(line for line in out.splitlines() if line.startswith("| warning |"))
    html = MarkdownIt("commonmark").enable("table").render(out)
    table = html.split("<h2>Findings</h2>")[1].split("</table>")[0]
    assert table.count("<tr>") == 2 and table.count("<td>") == 4, (row, table)
    for tag in ("<img", "<a ", "<em>", "<strong>", "<s>", "<script", "<br"):
        assert tag not in table, (row, table)
