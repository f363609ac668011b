"""Markdown for pull-request comments, job summaries and committed reports."""

from __future__ import annotations

from costwatch.formats.blocks import headline
from costwatch.formats.layout import layout
from costwatch.report import Report


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    lines = [f"# costwatch {report.command}", "", headline(report)]
    for block in layout(report):
        lines += ["", f"## {block.title}", ""]
        if block.headers:
            lines.append("| " + " | ".join(block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
        if block.text:
            if block.headers:
                lines.append("")
            if block.preformatted:
                lines += ["```", *block.text, "```"]
            else:
                lines.append("  \n".join(block.text))
        for note in block.notes:
            lines += ["", f"> {note}"]
    return "\n".join(lines) + "\n"
