"""JSON: a stable contract (``schema_version`` 1). Fields are added, never renamed.

The document itself is :func:`costwatch.report.report_to_json`; this module lays it out.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any

from costwatch.report import Report, report_to_json


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
            nested = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            lines.append(f"  {_dumps(key)}: {nested.replace(chr(10), chr(10) + '  ')}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(report: Report) -> str:
    return pretty(report_to_json(report))
