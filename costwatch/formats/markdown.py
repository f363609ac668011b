"""Markdown for pull-request comments, job summaries and committed reports.

Every value is text, never markup: the blocks arrive with control characters and line breaks
already escaped (:mod:`costwatch.textsafe`), and here every character Markdown or HTML
would read as syntax is backslash-escaped, so a file named ``<img src=x>`` or
``a | b `c` [d](e)`` shows as itself and a table row always ends where costwatch ends it.
"""

from __future__ import annotations

import re

from costwatch.formats.blocks import headline
from costwatch.formats.layout import layout
from costwatch.report import Report
from costwatch.textsafe import safe_text

# CommonMark lets any ASCII punctuation be backslash-escaped; these start HTML (< >),
# entities (&), code (`), emphasis (* _ ~), links and images ([ ]), math ($), escapes (\)
# and, in a GFM table, a new cell (|).
# An underscore between two letters or digits (``my_photo.png``) can neither open nor close
# emphasis in CommonMark, so it is left as it is; every other underscore is escaped.
_SYNTAX = re.compile(r"([\\`*~\[\]<>&|$]|(?<![^\W_])_|_(?![^\W_]))")


def escape(text: str) -> str:
    """``text`` as literal Markdown text (one line: line breaks were escaped before)."""
    return _SYNTAX.sub(r"\\\1", safe_text(text))


# At the start of a line these begin a heading, list, quote, setext underline or thematic break.
_LINE_START = re.compile(r"^(\s*(?:\d+)?)([#+\-=>.)])")


def escape_line(text: str) -> str:
    """``text`` as literal Markdown on a line of its own (no heading, list or quote)."""
    escaped = escape(text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped, count=1)


def _with_code(cell: str, code: str) -> str:
    """``cell`` as Markdown text, its tail ``code`` (costwatch's own fix text) with its
    `backquoted` commands as code spans. Whatever the text holds, a code span can only show it:
    no HTML, entity or emphasis is read inside one, and a pipe is escaped for the table."""
    if not code or not cell.endswith(code):
        return escape(cell)
    parts = code.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: show the tail as plain text
        return escape(cell)
    out = [escape(cell[: len(cell) - len(code)])]
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(escape(part))
        elif part.strip():
            out.append("`" + part.replace("|", "\\|") + "`")
        else:
            out.append(escape(f"`{part}`"))
    return "".join(out)


def _fence(lines: tuple[str, ...]) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def render(report: Report) -> str:
    lines = [f"# costwatch {escape(report.command)}", "", escape_line(headline(report))]
    for block in layout(report):
        lines += ["", f"## {escape(block.title)}", ""]
        if block.headers:
            lines.append("| " + " | ".join(escape(h) for h in block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            for index, row in enumerate(block.rows):
                code = block.code[index] if index < len(block.code) else ""
                cells = [escape(c) for c in row[:-1]] + [_with_code(row[-1], code)]
                lines.append("| " + " | ".join(cells) + " |")
        if block.text:
            if block.headers:
                lines.append("")
            if block.preformatted:
                fence = _fence(block.text)
                lines += [fence, *block.text, fence]
            else:
                lines.append("  \n".join(escape_line(t) for t in block.text))
        for note in block.notes:
            lines += ["", f"> {escape(note)}"]
    return "\n".join(lines) + "\n"
