"""A report laid out as titled tables and text, shared by the table and markdown formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from costwatch.formats.json_format import iso
from costwatch.report import Report


@dataclass(frozen=True)
class Block:
    """A titled table (``headers`` + ``rows``) and/or preformatted ``text`` lines."""

    title: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    text: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    styles: tuple[str, ...] = field(default=())
    preformatted: bool = False


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def headline(report: Report) -> str:
    counts = report.counts()
    summary = ", ".join(plural(n, name) for name, n in counts.items())
    blocking = sum(1 for i in report.incomplete if i.blocking)
    skipped = len(report.incomplete) - blocking
    state = "incomplete" if blocking else "complete"
    if skipped:
        state += f", {skipped} skipped"
    return (
        f"costwatch {report.command} {report.version} at {iso(report.generated_at)}: "
        f"{summary} ({state})"
    )


def layout(report: Report) -> list[Block]:
    from costwatch.formats import sections

    blocks: list[Block] = []
    if report.buckets:
        blocks.append(
            Block(
                "Buckets",
                ("bucket", "location", "type", "class", "public", "free tier"),
                tuple(
                    (
                        f"gs://{b.name}",
                        b.location,
                        b.location_type,
                        b.storage_class,
                        "yes" if b.public else "no",
                        "eligible" if b.free_tier_eligible else "not eligible",
                    )
                    for b in report.buckets
                ),
            )
        )
    for name, section in report.sections.items():
        section_layout = sections.SECTION_LAYOUTS.get(name)
        if section_layout is not None:
            blocks.extend(section_layout(section))
    if report.findings:
        with_location = any(f.line is not None for f in report.findings)
        headers = ("severity", "rule", "where", "message")
        rows = tuple(
            (
                f.severity.value,
                f.rule_id,
                f"{f.path}:{f.line}" if with_location and f.line is not None else f.resource,
                f.message,
            )
            for f in report.findings
        )
        blocks.append(Block("Findings", headers, rows, styles=tuple(r[0] for r in rows)))
    else:
        blocks.append(Block("Findings", text=("No findings.",)))
    if report.incomplete:
        blocks.append(
            Block(
                "Not checked",
                ("section", "resource", "reason"),
                tuple(
                    (i.section, i.resource, i.reason if i.blocking else f"skipped: {i.reason}")
                    for i in report.incomplete
                ),
            )
        )
    return blocks
