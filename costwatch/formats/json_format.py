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


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def pretty(document: dict[str, Any]) -> str:
    """Indented JSON with one list item per line: readable, and fast for long finding lists.

    ``json.dumps(indent=...)`` runs the pure-Python encoder, many times slower than the C one
    on reports with tens of thousands of findings; items here are encoded by the C encoder.
    """
    lines = ["{"]
    keys = list(document)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, list) and value:
            items = [f"    {_dumps(item)}" for item in value]
            lines.append(f"  {_dumps(key)}: [")
            lines.append(",\n".join(items))
            lines.append(f"  ]{comma}")
        else:
            nested = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            lines.append(f"  {_dumps(key)}: {nested}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(report: Report) -> str:
    return pretty(report_dict(report))
