"""JSON: a stable contract (``schema_version`` 1). Fields are added, never renamed.

The document itself is :func:`costwatch.report.report_to_json`; this module lays it out.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Sequence
from typing import Any

from costwatch.findings import Finding
from costwatch.model import SourceKind
from costwatch.report import Report, finding_to_json, report_to_json


def _refuse(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _item_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, allow_nan=False)``, byte for byte, but faster.

    ``json.dumps`` builds a new encoder for every call; a report with tens of thousands of
    findings spends most of its JSON time doing that. The C encoder is built once here; where
    the C accelerator is missing, ``json.dumps`` itself is used.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    quote = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or quote is None:
        return lambda value: json.dumps(value, ensure_ascii=False, allow_nan=False)
    encode = make(None, _refuse, quote, None, ": ", ", ", False, False, False)
    return lambda value: "".join(encode(value, 0))


_dumps = _item_encoder()
#: A JSON string literal for a ``str``, as ``json.dumps(ensure_ascii=False)`` writes it.
_quote: Callable[[str], str] = json.encoder.encode_basestring


class _EncodedItems(list[str]):
    """A list whose items are already encoded as JSON, written as they are."""


def _encoded_findings(findings: Sequence[Finding]) -> _EncodedItems:
    """:func:`finding_to_json`'s entries, already encoded as ``_dumps`` would write them.

    Most findings (every link finding) have no fix and no origin beyond the live one; their
    entry is written straight from the fields, which takes half the time of building a
    dictionary and encoding it, and matters for reports with tens of thousands of findings.
    """
    return _EncodedItems(map(_encoded_finding, findings))


def _encoded_finding(finding: Finding) -> str:
    origin = finding.origin
    line = finding.line
    if (
        finding.fix is not None
        or (origin is not None and origin.kind is not SourceKind.LIVE)
        or (line is not None and type(line) is not int)
    ):
        return _dumps(finding_to_json(finding))
    parts = [
        '{"rule_id": ',
        _quote(finding.rule_id),
        ', "severity": ',
        _quote(finding.severity),  # a StrEnum: its text is its value
        ', "resource": ',
        _quote(finding.resource),
        ', "message": ',
        _quote(finding.message),
        ', "fingerprint": ',
        _quote(finding.fingerprint),
    ]
    if finding.path is not None:
        parts += (', "path": ', _quote(finding.path))
    if line is not None:
        parts += (', "line": ', int.__repr__(line))
    parts.append("}")
    return "".join(parts)


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
            encoded = value if type(value) is _EncodedItems else map(_dumps, value)
            items = [f"    {item}" for item in encoded]
            lines.append(f"  {_dumps(key)}: [")
            lines.append(",\n".join(items))
            lines.append(f"  ]{comma}")
        else:
            nested = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            lines.append(f"  {_dumps(key)}: {nested.replace(chr(10), chr(10) + '  ')}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(report: Report) -> str:
    return pretty(report_to_json(report, _encoded_findings))
