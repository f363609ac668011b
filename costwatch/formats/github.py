"""GitHub Actions workflow commands: one annotation per finding, most important first.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, so the rest are
counted in one plain line; the job summary (``summary``) lists every finding. Escaping
follows the Actions toolkit (``command.ts``): data escapes ``%``, CR and LF; properties also
escape ``:`` and ``,``.
"""

from __future__ import annotations

from costwatch.findings import Severity
from costwatch.formats.blocks import plural
from costwatch.formats.ci_common import full_message, location, most_important_first
from costwatch.report import Report
from costwatch.textsafe import safe_lines

ANNOTATIONS_PER_LEVEL = 10
#: GitHub refuses a step summary over 1 MiB; stay clear of it.
SUMMARY_LIMIT = 1024 * 1024 - 4096
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    # The job log is a terminal: control sequences are shown as escapes (costwatch.textsafe).
    return safe_lines(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines: list[str] = []
    shown = {level: 0 for level in _LEVEL.values()}
    hidden = {level: 0 for level in _LEVEL.values()}
    for finding in most_important_first(report.findings):
        level = _LEVEL[finding.severity]
        if shown[level] >= ANNOTATIONS_PER_LEVEL:
            hidden[level] += 1
            continue
        shown[level] += 1
        path, line = location(finding, report)
        properties = ",".join(
            f"{key}={escape_property(value)}"
            for key, value in (("file", path), ("line", str(line)), ("title", finding.rule_id))
        )
        lines.append(f"::{level} {properties}::{escape_data(full_message(finding))}")
    for item in report.incomplete:
        if item.blocking and shown["error"] < ANNOTATIONS_PER_LEVEL:
            shown["error"] += 1
            lines.append(
                f"::error title=not checked::{escape_data(item.resource + ': ' + item.reason)}"
            )
    more = [f"{n} more {level}s" for level, n in hidden.items() if n]
    if more:
        lines.append(
            f"costwatch: {', '.join(more)} not shown as annotations (GitHub shows 10 of each "
            "per step); the job summary lists them all"
        )
    counts = report.counts()
    summary_line = ", ".join(plural(n, name) for name, n in counts.items())
    lines.append(f"costwatch {report.command}: {summary_line}")
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """The Markdown job summary of every finding, cut to stay under GitHub's 1 MiB limit."""
    from costwatch.formats import markdown

    text = markdown.render(report)
    data = text.encode("utf-8")
    if len(data) <= SUMMARY_LIMIT:
        return text
    note = "\n\n> Summary cut to stay under GitHub's 1 MiB limit; see the full report.\n"
    cut = data[: SUMMARY_LIMIT - len(note.encode("utf-8"))].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n") + 1] + note
