"""Terminal output: rich tables on a colour terminal, aligned plain text otherwise."""

from __future__ import annotations

import io
import textwrap

from costwatch.formats.blocks import Block, headline
from costwatch.formats.layout import layout
from costwatch.report import Report

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
_WRAP = 100


def render(report: Report, *, color: bool = False) -> str:
    blocks = layout(report)
    if color:
        return _render_rich(report, blocks)
    return _render_plain(report, blocks)


def _render_plain(report: Report, blocks: list[Block]) -> str:
    lines = [headline(report)]
    for block in blocks:
        lines += ["", block.title, "-" * len(block.title)]
        if block.headers:
            lines += _plain_table(block.headers, block.rows)
        lines += list(block.text)
        lines += [f"note: {n}" for n in block.notes]
    return "\n".join(lines) + "\n"


def _plain_table(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[str]:
    """Columns padded to width; the last column wraps under itself."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    widths[-1] = len(headers[-1])
    indent = sum(widths[:-1]) + 2 * (len(widths) - 1)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        head = "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths[:-1], strict=True))
        width = max(40, _WRAP - indent)
        tail = textwrap.wrap(row[-1], width, break_on_hyphens=False, break_long_words=False) or [""]
        out.append(f"{head}  {tail[0]}" if head else tail[0])
        out += [" " * (indent + 2) + part for part in tail[1:]]
    return out


def _render_rich(report: Report, blocks: list[Block]) -> str:
    # Every string goes in as a Text, never as a str: rich would read "[link=...]" markup and
    # ":emoji:" codes in a str, and a file name must show as itself.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system="standard")
    console.print(Text(headline(report), style="bold"))
    for block in blocks:
        console.print()
        if block.headers:
            table = Table(title=Text(block.title, style="bold"), title_justify="left")
            for header in block.headers:
                table.add_column(Text(header), overflow="fold")
            for i, row in enumerate(block.rows):
                style = _SEVERITY_STYLE.get(block.styles[i], "") if block.styles else ""
                cells = [Text(c) for c in row]
                if style:
                    cells[0].stylize(style)
                table.add_row(*cells)
            console.print(table)
        else:
            console.print(Text(block.title, style="bold"))
        for text in block.text:
            console.print(Text(text))
        for note in block.notes:
            console.print(Text(f"note: {note}", style="dim"))
    return buffer.getvalue()
