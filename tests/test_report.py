from __future__ import annotations

from datetime import UTC, datetime

import pytest

from costwatch.findings import FailOn, Finding, Incomplete, Severity
from costwatch.report import Report, build_report

NOW = datetime(2026, 11, 5, tzinfo=UTC)


def report(*severities: Severity, incomplete: tuple[Incomplete, ...] = ()) -> Report:
    findings = [Finding("CW1", s, f"r{n}", "m") for n, s in enumerate(severities)]
    return build_report("audit", NOW, findings, incomplete)


@pytest.mark.parametrize(
    ("severities", "fail_on", "code"),
    [
        ((), FailOn.ERROR, 0),
        ((Severity.WARNING,), FailOn.ERROR, 0),
        ((Severity.WARNING,), FailOn.WARNING, 1),
        ((Severity.NOTE,), FailOn.WARNING, 0),
        ((Severity.NOTE,), FailOn.NOTE, 1),
        ((Severity.ERROR,), FailOn.NEVER, 0),
        ((Severity.ERROR,), FailOn.ERROR, 1),
    ],
)
def test_exit_codes(severities: tuple[Severity, ...], fail_on: FailOn, code: int) -> None:
    assert report(*severities).exit_code(fail_on) == code


def test_blocking_incomplete_wins_and_skipped_files_do_not() -> None:
    blocking = (Incomplete("buckets", "gs://x", "denied"),)
    skipped = (Incomplete("links", "a.js", "binary", blocking=False),)
    assert report(Severity.ERROR, incomplete=blocking).exit_code(FailOn.NEVER) == 2
    assert report(incomplete=skipped).exit_code(FailOn.ERROR) == 0


def test_findings_sorted_most_severe_first() -> None:
    built = report(Severity.NOTE, Severity.ERROR, Severity.WARNING)
    assert [f.severity for f in built.findings] == [Severity.ERROR, Severity.WARNING, Severity.NOTE]


def test_headline_tells_skipped_files_from_values_not_known() -> None:
    from costwatch.findings import IncompleteKind
    from costwatch.formats.blocks import headline

    built = report(
        incomplete=(
            Incomplete(
                "links", "a.bin", "binary file", blocking=False, kind=IncompleteKind.SKIPPED
            ),
            Incomplete(
                "buckets",
                "main.tf:2 (gs://x)",
                "CW101 not checked: location: location = var.region: no value",
                blocking=False,
                kind=IncompleteKind.UNKNOWN_VALUE,
            ),
        )
    )
    assert headline(built).endswith("(complete, 1 skipped, 1 not checked)")
