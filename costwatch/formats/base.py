"""The output format choice and the one function that dispatches on it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from costwatch.report import Report


class OutputFormat(StrEnum):
    """Every output format costwatch can write."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"


def render(report: Report, fmt: OutputFormat, *, color: bool = False) -> str:
    """Render ``report`` as ``fmt``; ``color`` only affects the table format."""
    if fmt is OutputFormat.TABLE:
        from costwatch.formats import table

        return table.render(report, color=color)
    if fmt is OutputFormat.JSON:
        from costwatch.formats import json_format

        return json_format.render(report)
    if fmt is OutputFormat.MARKDOWN:
        from costwatch.formats import markdown

        return markdown.render(report)
    if fmt is OutputFormat.SARIF:
        from costwatch.formats import sarif

        return sarif.render(report)
    assert_never(fmt)
