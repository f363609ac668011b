"""SARIF 2.1.0 for GitHub code scanning.

Every result has a non-empty artifact URI: a file finding points at its file and line; a
bucket or usage finding has no source line, so it points at the config file naming the bucket.
``ruleId`` is the permanent rule ID and ``partialFingerprints`` the content fingerprint.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from costwatch.capacity import CapacitySection
from costwatch.findings import Finding
from costwatch.fixes import fix_text
from costwatch.formats.layout import finding_text
from costwatch.report import Report
from costwatch.rules.base import RuleDoc
from costwatch.rules.registry import all_rule_docs

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FALLBACK_URI = "costwatch.toml"


def _rule(doc: RuleDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "name": "".join(w.capitalize() for w in doc.title.replace("`", "").split()[:8])[:60]
        or doc.id,
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": doc.body.split("\nFix:")[0].removeprefix("Why: ")},
        "help": {"text": doc.body, "markdown": doc.body},
        "defaultConfiguration": {"level": doc.severity.value},
        "properties": {"tags": ["costwatch", doc.family]},
    }


#: Characters a URI path may hold as they are (RFC 3986 ``pchar`` less ``:``, plus ``/``).
#: ``:`` is encoded because in the first segment of a relative reference it would read as a
#: scheme (``c:/x``); everything else (space, ``#``, ``?``, ``%``, non-ASCII as UTF-8
#: bytes) is percent-encoded.
_URI_SAFE = "/!$&'()*+,;=@-._~"


def artifact_uri(path: str) -> str:
    """A file path as a relative URI reference: ``my page #1.html`` -> ``my%20page%20%231.html``.

    A name that was not valid UTF-8 (decoded with ``surrogateescape``) is encoded as its
    original bytes. Paths arrive with ``/`` separators, so a backslash is part of a name.
    """
    return quote(path, safe=_URI_SAFE, errors="surrogateescape")


def _location(finding: Finding, config_uri: str, config_lines: Mapping[str, int]) -> dict[str, Any]:
    line = finding.line if finding.path else config_lines.get(finding.resource, 1)
    physical: dict[str, Any] = {
        "artifactLocation": {
            "uri": artifact_uri(finding.path or config_uri),
            "uriBaseId": "%SRCROOT%",
        },
        "region": {"startLine": line or 1},
    }
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.path is None:
        location["logicalLocations"] = [{"name": finding.resource, "kind": "resource"}]
    return location


def render(report: Report) -> str:
    docs = {d.id: d for d in all_rule_docs()}
    used = sorted(set(report.rules) | {f.rule_id for f in report.findings})
    rules = [docs[i] for i in used if i in docs]
    index = {doc.id: n for n, doc in enumerate(rules)}
    config_uri = report.config_path or FALLBACK_URI
    results = []
    for finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule_id,
            "level": finding.severity.value,
            "message": {"text": finding_text(finding.message, fix_text(finding))},
            "locations": [_location(finding, config_uri, report.config_lines)],
            "partialFingerprints": {"costwatch/v1": finding.fingerprint},
        }
        if finding.rule_id in index:
            result["ruleIndex"] = index[finding.rule_id]
        results.append(result)
    notifications = [
        {
            "level": "error" if item.blocking else "warning",
            "message": {"text": f"not checked: {item.resource}: {item.reason}"},
            "descriptor": {"id": item.section},
        }
        for item in report.incomplete
    ]
    log: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "costwatch",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "rules": [_rule(doc) for doc in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not any(i.blocking for i in report.incomplete),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
                **(
                    {"properties": {"api_calls": report.api_calls.to_json()}}
                    if report.api_calls is not None
                    else {}
                ),
            }
        ],
    }
    capacity = report.section(CapacitySection)
    if capacity is not None:
        # SARIF has no place for figures; the run's property bag carries the sentences.
        log["runs"][0]["properties"] = {"capacity": capacity.summary()}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
