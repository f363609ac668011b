"""How the optional report sections (site links, usage) are laid out as blocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from costwatch.billing import PACIFIC
from costwatch.capacity import CapacitySection
from costwatch.check_section import CheckSection
from costwatch.config import free_region_names
from costwatch.formats.blocks import Block, plural
from costwatch.formats.check_layout import check_layout
from costwatch.formats.object_sections import capacity_layout, objects_layout
from costwatch.objects_model import ObjectsSection
from costwatch.report import LinksSection, RawSection, Section, UsageSection
from costwatch.units import GIB

CHART_WIDTH = 40
_FREE = free_region_names()


def links_layout(section: LinksSection) -> list[Block]:
    megabytes = section.bytes_scanned / 1_000_000
    lines = [
        f"{plural(section.files_scanned, 'file')} ({megabytes:.1f} MB) scanned, "
        f"{plural(section.links_checked, 'image-host link')} checked, "
        f"{plural(section.files_skipped, 'file')} skipped, "
        f"{plural(section.suppressed_inline, 'finding')} suppressed inline.",
    ]
    if section.files_not_read:
        by_type = ", ".join(
            f"{suffix} {count}"
            for suffix, count in sorted(
                section.files_not_read_by_type.items(), key=lambda item: (-item[1], item[0])
            )
        )
        lines.append(
            f"{plural(section.files_not_read, 'file')} not read because of their type: {by_type}."
        )
    if section.costwatch_outputs_skipped:
        lines.append(
            f"{plural(len(section.costwatch_outputs_skipped), 'costwatch report or baseline')} "
            "left alone."
        )
    baseline = section.baseline
    if baseline:
        lines.append(f"Baseline {baseline.path}: {baseline.accepted} findings accepted.")
    blocks = [Block("Site links", text=tuple(lines))]
    if section.stale_suppressions:
        blocks.append(
            Block(
                "Inline suppressions that silence nothing (remove them)",
                ("where", "rules"),
                tuple(
                    (f"{s.path}:{s.line}", ", ".join(s.rules)) for s in section.stale_suppressions
                ),
            )
        )
    if baseline and baseline.stale:
        blocks.append(
            Block(
                "Stale baseline entries (match nothing now; remove them)",
                ("rule", "path", "url"),
                tuple((str(e["rule_id"]), str(e["path"]), str(e["url"])) for e in baseline.stale),
            )
        )
    return blocks


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(PACIFIC).strftime("%b %d %H:%M %Z")


def _gib(value: float | None) -> str:
    return "no data" if value is None else f"{value / GIB:,.2f} GiB"


def _count(value: float | None) -> str:
    return "no data" if value is None else f"{value:,.0f}"


def _share(used: float | None, allowance: float) -> str:
    if used is None:
        return "-"
    if allowance == 0:
        # Any use of an allowance of 0 is over it; a percentage of 0 has no meaning.
        return "over (allowance 0)" if used > 0 else "-"
    return f"{used / allowance * 100:.0f}%"


def usage_layout(section: UsageSection) -> list[Block]:
    rows = []
    for label, key, fmt in (
        ("egress", "egress", _gib),
        ("Class A operations", "class_a_ops", _count),
        ("Class B operations", "class_b_ops", _count),
        ("Standard storage", "storage", None),
    ):
        data = section.figure(key)
        allowance = data.allowance
        if data.unknown:
            rows.append((label, "unknown", "unknown", _amount(allowance, fmt), "-", "-", "-"))
            continue
        overage = data.overage_usd or 0.0
        rows.append(
            (
                label,
                _amount(data.used, fmt),
                _amount(data.forecast, fmt),
                _amount(allowance, fmt),
                _share(data.forecast, allowance),
                _when(data.crossing_at),
                f"${overage:,.2f}",
            )
        )
    blocks = [
        Block(
            f"Usage this month ({_when(section.start)} to {_when(section.end)}, "
            f"as of {_when(section.as_of)})",
            ("resource", "used", "forecast", "allowance", "forecast %", "crossing", "overage"),
            tuple(rows),
            notes=section.notes,
        )
    ]
    headers = ("bucket", "location", "egress", "class A", "class B", "stored now")
    unknown = {
        key: bool(section.figure(key).unknown)
        for key in ("egress", "class_a_ops", "class_b_ops", "storage")
    }

    def cell(value: float | None, key: str, fmt: Callable[[float | None], str]) -> str:
        # A bucket's figure is unknown (not "no data") when the metric could not be read or
        # held values that cannot be summed.
        return "unknown" if value is None and unknown[key] else fmt(value)

    for free, title in (
        (True, "Free-region buckets (they share the allowance)"),
        (False, f"Buckets billed from the first byte (outside {_FREE})"),
        (None, "Buckets whose location is unknown (free region or billed: not known)"),
    ):
        bucket_rows = tuple(
            (
                b.name,
                b.location or "unknown",
                cell(b.egress_bytes, "egress", _gib),
                cell(b.class_a_ops, "class_a_ops", _count),
                cell(b.class_b_ops, "class_b_ops", _count),
                cell(b.storage_bytes, "storage", _gib),
            )
            for b in section.buckets
            if b.free_region is free
        )
        if bucket_rows:
            blocks.append(Block(title, headers, bucket_rows))
    if section.unknown_methods:
        blocks.append(
            Block(
                "Operations of unknown class (not counted)",
                ("method", "count"),
                tuple((m, _count(n)) for m, n in section.unknown_methods),
            )
        )
    if section.daily and not section.figure("egress").unknown:
        blocks.append(_chart(section))
    return blocks


def _amount(value: float | None, fmt: Callable[[float | None], str] | None) -> str:
    if fmt is not None:
        return fmt(value)
    return "no data" if value is None else f"{value:,.2f} GiB-months"


def _chart(section: UsageSection) -> Block:
    """Daily egress of free-region buckets as bars, with the allowance's even daily pace."""
    days = section.daily
    pace = section.figure("egress").allowance / max(1, _days_in_period(section))
    top = max([pace, *(free for _, free, _ in days)])
    scale = CHART_WIDTH / top if top else 0
    marker = round(pace * scale)
    lines = []
    for day, value, _ in days:
        bar = "#" * max(0, min(CHART_WIDTH, round(value * scale)))
        cells = bar.ljust(CHART_WIDTH + 1)
        cells = cells[:marker] + ("|" if len(bar) <= marker else "#") + cells[marker + 1 :]
        lines.append(f"{day.isoformat()[5:]} {cells} {value / GIB:7.2f} GiB")
    lines.append(f"{'':5} {' ' * marker}^ even pace for the allowance: {pace / GIB:.2f} GiB/day")
    return Block(
        "Daily egress, free-region buckets (Pacific days)", text=tuple(lines), preformatted=True
    )


def _days_in_period(section: UsageSection) -> int:
    return (section.end.astimezone(PACIFIC).date() - section.start.astimezone(PACIFIC).date()).days


#: How each typed report section is laid out; a section type not listed has no blocks in the
#: table and Markdown (its data is in the JSON).
SECTION_LAYOUTS: dict[type[Any], Callable[[Any], list[Block]]] = {
    LinksSection: links_layout,
    UsageSection: usage_layout,
    CheckSection: check_layout,
    ObjectsSection: objects_layout,
    CapacitySection: capacity_layout,
}


def register_layout(cls: type[Any], layout: Callable[[Any], list[Block]]) -> None:
    """Lay out sections of type ``cls`` with ``layout`` in the table and Markdown formats."""
    SECTION_LAYOUTS[cls] = layout


def section_blocks(section: Section) -> list[Block]:
    if isinstance(section, RawSection):
        return []
    layout = SECTION_LAYOUTS.get(type(section))
    return layout(section) if layout is not None else []
