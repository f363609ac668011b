"""JUnit (read back with junitparser), GitHub workflow commands, GitLab Code Quality."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from costwatch.check_section import CheckedBucket, CheckSection
from costwatch.findings import FailOn, Finding, Fix, Incomplete, Severity
from costwatch.formats import github, gitlab, junit
from costwatch.model import Origin, SourceKind
from costwatch.report import Report, build_report
from tests.formats.sample import sample_report

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def check_report(findings: list[Finding]) -> Report:
    section = CheckSection(
        {"terraform": 1, "shell": 1},
        (
            CheckedBucket("gs://g", "main.tf:3", "terraform", "US"),
            CheckedBucket("gs://clean", "main.tf:20", "terraform", "US-WEST1"),
        ),
    )
    return build_report(
        "check",
        NOW,
        findings,
        [Incomplete("check", "deploy.sh", "binary file, not text", blocking=False)],
        sections=[section],
    )


def tf_finding(rule: str, severity: Severity, line: int, message: str, **extra: object) -> Finding:
    origin = Origin(SourceKind.TERRAFORM, "main.tf", line, "google_storage_bucket.g")
    return Finding(
        rule,
        severity,
        "gs://g",
        message,
        path="main.tf",
        line=line,
        origin=origin,
        **extra,  # type: ignore[arg-type]
    )


def test_junit_reads_back_with_one_case_per_resource(tmp_path: object) -> None:
    findings = [
        tf_finding(
            "CW102",
            Severity.ERROR,
            3,
            "multi-region",
            fix=Fix(setting="location", value="us-west1"),
        ),
        tf_finding("CW106", Severity.WARNING, 3, "soft delete 7 days"),
    ]
    text = junit.render(check_report(findings), FailOn.ERROR)
    xml = JUnitXml.fromstring(text)
    suites = list(xml)
    assert len(suites) == 1
    cases = {(case.classname, case.name): case for case in suites[0]}
    assert set(cases) == {
        ("main.tf", "gs://g (main.tf:3)"),
        ("main.tf", "gs://clean (main.tf:20)"),
        ("not checked", "deploy.sh"),
    }
    failing = cases[("main.tf", "gs://g (main.tf:3)")]
    results = failing.result
    assert [type(r) for r in results] == [Failure]
    assert results[0].type == "CW102" and 'location = "US-WEST1"' in results[0].message
    assert "CW106" in (failing.system_out or "")
    assert cases[("main.tf", "gs://clean (main.tf:20)")].is_passed
    assert isinstance(cases[("not checked", "deploy.sh")].result[0], Skipped)
    assert (suites[0].tests, suites[0].failures, suites[0].errors, suites[0].skipped) == (
        3,
        1,
        0,
        1,
    )
    # --fail-on warning turns the warning into a failure too.
    warned = JUnitXml.fromstring(junit.render(check_report(findings), FailOn.WARNING))
    assert next(iter(warned)).failures == 2


def test_junit_blocking_incomplete_is_an_error() -> None:
    xml = JUnitXml.fromstring(junit.render(sample_report(), FailOn.ERROR))
    suite = next(iter(xml))
    assert suite.errors == 1
    kinds = [type(r) for case in suite for r in case.result]
    assert Error in kinds and Failure in kinds


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100% done", "100%25 done", "100%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x:y,z", "x:y,z", "x%3Ay%2Cz"),
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_github_annotations_are_escaped_and_point_at_the_line() -> None:
    finding = Finding(
        "CW102", Severity.ERROR, "gs://g", "50% of\nit", path="dir,a/main:x.tf", line=7
    )
    lines = github.render(check_report([finding])).splitlines()
    assert lines[0] == "::error file=dir%2Ca/main%3Ax.tf,line=7,title=CW102::50%25 of%0Ait"


def test_github_shows_ten_of_each_most_important_first() -> None:
    findings = [
        Finding("CW114", Severity.WARNING, f"gs://w{i}", f"w{i}", path="d.sh", line=i)
        for i in range(14)
    ] + [
        Finding("CW102", Severity.ERROR, f"gs://e{i}", f"e{i}", path="d.sh", line=i)
        for i in range(12)
    ]
    lines = github.render(check_report(findings)).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 10
    assert lines.index(errors[-1]) < lines.index(warnings[0])
    assert any("2 more errors, 4 more warnings not shown" in line for line in lines)


def test_github_summary_is_markdown_under_one_mebibyte() -> None:
    findings = [
        Finding("CW114", Severity.WARNING, f"gs://b{i}", "x" * 400, path="d.sh", line=i)
        for i in range(4000)
    ]
    text = github.summary(check_report(findings))
    assert text.startswith("# costwatch check")
    assert len(text.encode("utf-8")) < 1024 * 1024
    assert "Summary cut to stay under GitHub's 1 MiB limit" in text


def test_gitlab_code_quality_fields() -> None:
    same = [
        tf_finding("CW106", Severity.WARNING, 3, "soft delete"),
        tf_finding("CW106", Severity.WARNING, 3, "soft delete"),
        tf_finding("CW102", Severity.ERROR, 3, "multi-region"),
        Finding("CW103", Severity.NOTE, "gs://n", "note"),
    ]
    issues = json.loads(gitlab.render(check_report(same)))
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert [i["severity"] for i in issues] == ["critical", "major", "major", "info"]
    assert issues[-1]["location"]["path"] == "costwatch.toml"


def test_gitlab_fingerprint_ignores_line_numbers() -> None:
    moved = [tf_finding("CW102", Severity.ERROR, line, "multi-region") for line in (3, 30)]
    first = json.loads(gitlab.render(check_report(moved[:1])))[0]["fingerprint"]
    second = json.loads(gitlab.render(check_report(moved[1:])))[0]["fingerprint"]
    assert first == second


SCHEMA = Path(__file__).parent / "jenkins-junit.xsd"


@pytest.mark.parametrize("report", ["sample", "check"])
def test_junit_is_valid_against_the_jenkins_schema(report: str) -> None:
    import xmlschema

    rendered = (
        sample_report()
        if report == "sample"
        else check_report(
            [
                tf_finding("CW102", Severity.ERROR, 3, "multi-region"),
                tf_finding("CW112", Severity.ERROR, 3, "admin"),
            ]
        )
    )
    schema = xmlschema.XMLSchema(str(SCHEMA))
    schema.validate(junit.render(rendered, FailOn.WARNING))
