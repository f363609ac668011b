"""GitLab Code Quality report: a JSON array GitLab shows in merge requests.

Fields: ``description``, ``check_name``, ``fingerprint`` (unique in the report and free of
line numbers, so moving code does not churn), ``severity`` (info, minor, major, critical,
blocker), ``location.path`` and ``location.lines.begin``.
"""

from __future__ import annotations

import json
from typing import Any

from costwatch.findings import Severity, fingerprint
from costwatch.formats.ci_common import full_message, location
from costwatch.report import Report

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "info"}


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for finding in report.findings:
        path, line = location(finding, report)
        base = fingerprint(finding.fingerprint, path)
        # Two identical findings in one file still need distinct fingerprints.
        seen[base] = seen.get(base, 0) + 1
        unique = base if seen[base] == 1 else fingerprint(base, str(seen[base]))
        issues.append(
            {
                "description": full_message(finding),
                "check_name": finding.rule_id,
                "fingerprint": unique,
                "severity": SEVERITY[finding.severity],
                "location": {"path": path, "lines": {"begin": line}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
