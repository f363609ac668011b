"""Every format renders the shared sample report; the output is compared to golden files.

Set COSTWATCH_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costwatch.findings import Finding, Fix, Severity
from costwatch.formats.base import OutputFormat, render
from costwatch.model import Origin, SourceKind
from tests.formats.sample import sample_report

GOLDEN = Path(__file__).parent / "golden"
CASES = [
    (OutputFormat.TABLE, False, "report.txt"),
    (OutputFormat.TABLE, True, "report.ansi"),
    (OutputFormat.JSON, False, "report.json"),
    (OutputFormat.MARKDOWN, False, "report.md"),
    (OutputFormat.SARIF, False, "report.sarif"),
    (OutputFormat.JUNIT, False, "report.junit.xml"),
    (OutputFormat.GITHUB, False, "report.github.txt"),
    (OutputFormat.GITLAB, False, "report.gitlab.json"),
]


@pytest.mark.parametrize(("fmt", "color", "name"), CASES, ids=[c[2] for c in CASES])
def test_golden(fmt: OutputFormat, color: bool, name: str) -> None:
    text = render(sample_report(), fmt, color=color)
    path = GOLDEN / name
    if os.environ.get("COSTWATCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_every_format_is_covered() -> None:
    assert {c[0] for c in CASES} == set(OutputFormat)


def test_json_contract() -> None:
    data = json.loads(render(sample_report(), OutputFormat.JSON))
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "costwatch", "version": "0.0.0-test"}
    assert data["generated_at"] == "2026-11-05T12:30:00Z"
    assert data["summary"] == {"error": 3, "warning": 1, "note": 1}
    first = data["findings"][0]
    assert set(first) == {"rule_id", "severity", "resource", "message", "fingerprint"}
    assert [f["severity"] for f in data["findings"]] == [
        "error",
        "error",
        "error",
        "warning",
        "note",
    ]
    link = next(f for f in data["findings"] if f["rule_id"] == "CW302")
    assert link["path"] == "site/src/data/art.json"
    assert link["line"] == 12
    assert data["incomplete"][0] == {
        "section": "buckets",
        "resource": "gs://locked",
        "reason": "permission denied: needs storage.buckets.get",
        "blocking": True,
        "kind": "permission",
    }
    assert data["incomplete"][1]["blocking"] is False
    assert data["links"]["baseline"]["stale"][0]["rule_id"] == "CW304"
    assert data["buckets"][0]["free_tier_eligible"] is True
    assert data["buckets"][1]["free_tier_eligible"] is False


def test_fingerprints_are_stable_and_distinct() -> None:
    one = [f.fingerprint for f in sample_report().findings]
    two = [f.fingerprint for f in sample_report().findings]
    assert one == two
    assert len(set(one)) == len(one)


def test_markdown_escapes_table_cells() -> None:
    text = render(sample_report(), OutputFormat.MARKDOWN)
    assert "deleted objects \\| 7 days" in text


def test_plain_table_has_no_escape_codes() -> None:
    assert "\x1b[" not in render(sample_report(), OutputFormat.TABLE)
    assert "\x1b[" in render(sample_report(), OutputFormat.TABLE, color=True)


def test_sarif_validates_against_the_official_schema() -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(render(sample_report(), OutputFormat.SARIF))
    jsonschema.validate(log, schema)


def test_sarif_locations_and_fingerprints() -> None:
    log = json.loads(render(sample_report(), OutputFormat.SARIF))
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and not uri.startswith("/")
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["partialFingerprints"]["costwatch/v1"]
    link = next(r for r in run["results"] if r["ruleId"] == "CW302")
    location = link["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "site/src/data/art.json"
    assert location["region"] == {"startLine": 12}
    bucket = next(r for r in run["results"] if r["ruleId"] == "CW102")
    assert bucket["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "costwatch.toml"
    )
    assert run["invocations"][0]["executionSuccessful"] is False
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["shortDescription"]["text"]


def report_schema() -> dict[str, object]:
    from importlib import resources

    text = resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    schema: dict[str, object] = json.loads(text)
    return schema


def test_json_matches_its_schema() -> None:
    import jsonschema

    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(render(sample_report(), OutputFormat.JSON)), schema)


def test_schema_rejects_a_renamed_field() -> None:
    import jsonschema

    data = json.loads(render(sample_report(), OutputFormat.JSON))
    data["findings"][0]["rule"] = data["findings"][0].pop("rule_id")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema())


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=str)
def test_report_reads_back_and_renders_the_same(fmt: OutputFormat) -> None:
    from costwatch.report import report_from_json

    original = sample_report()
    again = report_from_json(json.loads(render(original, OutputFormat.JSON)))
    assert render(again, fmt) == render(original, fmt)


def test_reading_back_an_older_document_and_unknown_sections() -> None:
    """A version-1 document from before kinds, fixes, as_of and buckets were written."""
    from costwatch.report import RawSection, report_from_json

    old = {
        "schema_version": 1,
        "tool": {"name": "costwatch", "version": "0.1.0"},
        "command": "links",
        "generated_at": "2026-10-01T08:00:00Z",
        "summary": {"error": 1, "warning": 0, "note": 0},
        "findings": [
            {
                "rule_id": "CW305",
                "severity": "error",
                "resource": "a.html",
                "message": "gs:// link",
                "fingerprint": "0123456789abcdef",
                "path": "a.html",
                "line": 3,
            }
        ],
        "incomplete": [
            {"section": "links", "resource": "b.bin", "reason": "binary", "blocking": False}
        ],
        "inventory_from_the_future": {"objects": 3},
    }
    report = report_from_json(old)
    assert report.findings[0].line == 3
    assert report.incomplete[0].blocking is False
    assert report.section(RawSection) == RawSection("inventory_from_the_future", {"objects": 3})
    assert json.loads(render(report, OutputFormat.JSON))["inventory_from_the_future"] == {
        "objects": 3
    }


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"schema_version": 2, "tool": {"name": "costwatch"}},
        {"schema_version": 1, "tool": {"name": "other"}},
        {"schema_version": 1, "tool": {"name": "costwatch"}, "command": "audit"},
    ],
    ids=["not-object", "version-2", "foreign", "truncated"],
)
def test_loader_refuses_what_it_cannot_read(document: object) -> None:
    from costwatch.report import ReportFormatError, report_from_json

    with pytest.raises(ReportFormatError):
        report_from_json(document)


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [1.5, None, True], "c": {"d": 'é \u2028 \x1b "q"'}},
        ["x", 3, -0.0, 1e300],
        "plain",
    ],
)
def test_fast_item_encoder_writes_what_json_dumps_writes(value: object) -> None:
    from costwatch.formats.json_format import _dumps

    assert _dumps(value) == json.dumps(value, ensure_ascii=False, allow_nan=False)


def test_fast_item_encoder_refuses_what_json_dumps_refuses() -> None:
    from costwatch.formats.json_format import _dumps

    with pytest.raises(ValueError):
        _dumps({"x": float("nan")})
    with pytest.raises(TypeError):
        _dumps({"x": object()})


_text = st.text(st.characters(codec=None), max_size=40)


@given(
    rule_id=_text,
    severity=st.sampled_from(list(Severity)),
    resource=_text,
    message=_text,
    key=_text,
    path=st.none() | _text,
    line=st.none() | st.integers(min_value=-(2**70), max_value=2**70) | st.booleans(),
    fix=st.none() | st.builds(Fix, text=_text),
    origin=st.none()
    | st.builds(Origin, st.sampled_from(list(SourceKind)), st.none() | _text, st.none()),
)
def test_findings_written_directly_are_what_the_generic_encoder_writes(
    rule_id: str,
    severity: Severity,
    resource: str,
    message: str,
    key: str,
    path: str | None,
    line: int | None,
    fix: Fix | None,
    origin: Origin | None,
) -> None:
    """Link findings skip the dictionary on the way to JSON; the text must not change."""
    from costwatch.formats.json_format import _dumps, _encoded_findings
    from costwatch.report import finding_to_json

    print_ = "0123456789abcdef"  # given, so text the UTF-8 codec refuses needs no hashing
    finding = Finding(rule_id, severity, resource, message, key, path, line, print_, fix, origin)
    assert _encoded_findings([finding]) == [_dumps(finding_to_json(finding))]
