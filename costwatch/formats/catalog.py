"""``costwatch rules``: the rule catalogue, read from the rules' own docstrings."""

from __future__ import annotations

import json

from costwatch.errors import CostwatchError
from costwatch.formats.base import OutputFormat
from costwatch.rules.registry import all_rule_docs


def render_catalog(fmt: OutputFormat) -> str:
    docs = all_rule_docs()
    if fmt is OutputFormat.JSON:
        return (
            json.dumps(
                {
                    "rules": [
                        {
                            "id": d.id,
                            "severity": d.severity.value,
                            "family": d.family,
                            "title": d.title,
                            "help": d.body,
                            **({"applies_to": d.applies_to} if d.applies_to else {}),
                        }
                        for d in docs
                    ]
                },
                indent=2,
            )
            + "\n"
        )
    if fmt is OutputFormat.MARKDOWN:
        lines = ["# costwatch rules", ""]
        lines += ["| id | severity | title |", "|---|---|---|"]
        lines += [f"| {d.id} | {d.severity.value} | {d.title} |" for d in docs]
        for d in docs:
            lines += ["", f"## {d.id}: {d.title}", "", f"Severity: {d.severity.value}.", "", d.body]
            if d.applies_to:
                lines += ["", f"Applies to: {d.applies_to}."]
        return "\n".join(lines) + "\n"
    if fmt is OutputFormat.TABLE:
        width = max(len(d.severity.value) for d in docs)
        return "".join(f"{d.id}  {d.severity.value.ljust(width)}  {d.title}\n" for d in docs)
    raise CostwatchError(f"`costwatch rules` cannot write {fmt.value}; use table, json or markdown")
