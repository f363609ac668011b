"""JSON: a stable contract (``schema_version`` 1). Fields are added, never renamed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from costwatch.findings import Finding
from costwatch.report import SCHEMA_VERSION, Report


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def finding_dict(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "resource": finding.resource,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
    }
    if finding.path is not None:
        out["path"] = finding.path
    if finding.line is not None:
        out["line"] = finding.line
    return out


def report_dict(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "costwatch", "version": report.version},
        "command": report.command,
        "generated_at": iso(report.generated_at),
        "summary": report.counts(),
        "findings": [finding_dict(f) for f in report.findings],
        "incomplete": [
            {
                "section": i.section,
                "resource": i.resource,
                "reason": i.reason,
                "blocking": i.blocking,
            }
            for i in report.incomplete
        ],
    }
    if report.command == "audit":
        out["buckets"] = [
            {
                "name": b.name,
                "location": b.location,
                "location_type": b.location_type,
                "storage_class": b.storage_class,
                "public": b.public,
                "free_tier_eligible": b.free_tier_eligible,
            }
            for b in report.buckets
        ]
    out.update(report.sections)
    return out


def render(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
