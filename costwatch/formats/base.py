"""The output format choice and the one function that dispatches on it."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from costwatch.findings import FailOn
from costwatch.report import Report


class OutputFormat(StrEnum):
    """Every output format costwatch can write."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    GITLAB = "gitlab"


def render(
    report: Report, fmt: OutputFormat, *, color: bool = False, fail_on: FailOn = FailOn.ERROR
) -> str:
    """Render ``report`` as ``fmt``; ``color`` only affects the table format, ``fail_on``
    which findings JUnit counts as failures."""
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
    if fmt is OutputFormat.JUNIT:
        from costwatch.formats import junit

        return junit.render(report, fail_on)
    if fmt is OutputFormat.GITHUB:
        from costwatch.formats import github

        return github.render(report)
    if fmt is OutputFormat.GITLAB:
        from costwatch.formats import gitlab

        return gitlab.render(report)
    assert_never(fmt)
