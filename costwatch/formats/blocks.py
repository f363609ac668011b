"""A report laid out as titled tables and text, shared by the table and markdown formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from costwatch.findings import IncompleteKind
from costwatch.footprint import ApiCalls
from costwatch.report import Report
from costwatch.textsafe import safe_text
from costwatch.units import iso


@dataclass(frozen=True)
class Block:
    """A titled table (``headers`` + ``rows``) and/or preformatted ``text`` lines.

    ``code`` marks, per row, the tail of the last cell that is costwatch's own text with
    `backquoted` commands (a finding's fix): Markdown shows those as code, everything else in
    a cell as plain text. Empty for rows without one.
    """

    title: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    text: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    styles: tuple[str, ...] = field(default=())
    preformatted: bool = False
    code: tuple[str, ...] = ()


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def headline(report: Report) -> str:
    counts = report.counts()
    summary = ", ".join(plural(n, name) for name, n in counts.items())
    blocking = sum(1 for i in report.incomplete if i.blocking)
    skipped = sum(
        1 for i in report.incomplete if not i.blocking and i.kind is IncompleteKind.SKIPPED
    )
    unknown = len(report.incomplete) - blocking - skipped
    state = "incomplete" if blocking else "complete"
    if skipped:
        state += f", {skipped} skipped"
    if unknown:
        state += f", {unknown} not checked"
    return safe_text(
        f"costwatch {report.command} {report.version} at {iso(report.generated_at)}: "
        f"{summary} ({state})"
    )


def api_calls_block(calls: ApiCalls) -> Block:
    """What the run itself spent from the allowance it watches."""
    return Block(
        "API calls this run",
        text=(
            f"Cloud Storage: {plural(calls.class_a, 'Class A operation')} and "
            f"{plural(calls.class_b, 'Class B operation')} billed; "
            f"{plural(calls.storage_requests, 'request')} sent, failed and retried ones included.",
            f"Cloud Monitoring: {plural(calls.monitoring_calls, 'call')}, "
            "pages and retries included.",
        ),
    )
