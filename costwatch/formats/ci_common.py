"""What the CI formats share: the order findings are shown in and where each one points."""

from __future__ import annotations

from costwatch.findings import FailOn, Finding
from costwatch.fixes import fix_text
from costwatch.formats.layout import finding_text
from costwatch.report import Report

FALLBACK_PATH = "costwatch.toml"


def location(finding: Finding, report: Report) -> tuple[str, int]:
    """File and line a finding points at; a live bucket's finding points at the config."""
    if finding.path:
        return finding.path, finding.line or 1
    path = report.config_path or FALLBACK_PATH
    return path, report.config_lines.get(finding.resource, 1)


def most_important_first(findings: tuple[Finding, ...]) -> list[Finding]:
    """Severity first; the report already sorts within a severity."""
    return sorted(findings, key=lambda f: -f.severity.rank)


def failing(finding: Finding, fail_on: FailOn) -> bool:
    return fail_on.trips(finding.severity)


def full_message(finding: Finding) -> str:
    """The message with its fix, written for where the finding is."""
    return finding_text(finding.message, fix_text(finding))
