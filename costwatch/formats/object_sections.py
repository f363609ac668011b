"""How the ``objects`` and ``capacity`` report sections are laid out as blocks."""

from __future__ import annotations

from costwatch.capacity import WEBP_BASIS, CapacitySection, megabytes
from costwatch.formats.blocks import Block
from costwatch.objects_model import ObjectsSection


def _size(value: float | None) -> str:
    if value is None:
        return "unknown"
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


def _count(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def objects_layout(section: ObjectsSection) -> list[Block]:
    rows = tuple(
        (
            b.name,
            b.source,
            f"{b.objects:,}" + ("" if b.complete else " (incomplete)"),
            _size(b.bytes),
            "-" if b.list_pages is None else f"{b.list_pages:,}",
            "-" if b.class_a_share_percent is None else f"{b.class_a_share_percent:g}%",
        )
        for b in section.buckets
    )
    notes = section.notes + tuple(f"not applicable: {n}" for n in section.not_applicable)
    return [
        Block(
            "Objects",
            ("bucket", "source", "objects", "size", "list pages (Class A)", "of free Class A"),
            rows,
            notes=notes,
        )
    ]


def _limit(value: str | None) -> str:
    return {"egress": "egress", "class_b": "Class B"}.get(value or "", "unknown")


def capacity_layout(section: CapacitySection) -> list[Block]:
    rows = tuple(
        (
            p.name,
            megabytes(p.bytes_per_view),
            f"{p.objects_per_view:,}",
            _count(p.views_by_egress),
            _count(p.views_by_class_b),
            _limit(p.first_limit),
            f"${p.cost_per_1000_views_usd:,.2f}",
        )
        for p in section.pages
    )
    notes = (
        f"Budget: {section.budget.basis}; browser cache hit ratio {section.cache_hit_ratio:g}.",
        *section.notes,
    )
    blocks = [
        Block(
            "Capacity: page views a month the free allowances carry",
            (
                "page",
                "per view",
                "objects",
                "views (egress)",
                "views (Class B)",
                "first limit",
                "per 1,000 views past",
            ),
            rows,
            text=tuple(s[0].upper() + s[1:] for s in section.summary()),
            notes=notes,
        )
    ]
    seen = section.observed
    if seen is not None and seen.bytes_per_object is not None:
        blocks.append(
            Block(
                "Observed this month (Cloud Monitoring)",
                text=(
                    f"{_count(seen.read_requests)} object reads sent {_size(seen.sent_bytes)}: "
                    f"{_size(seen.bytes_per_object)} per object; the egress left carries "
                    f"{_count(seen.object_loads_by_egress)} more loads, the Class B operations "
                    f"left {_count(seen.object_loads_by_class_b)}.",
                ),
                notes=(seen.note,) if seen.note else (),
            )
        )
    if section.conversions:
        blocks.append(
            Block(
                f"What would raise the {section.heaviest} page's views most: convert to WebP",
                ("object", "size", "as WebP (estimate)", "views (egress) after"),
                tuple(
                    (c.name, _size(c.size), _size(c.webp_size), _count(c.views_by_egress))
                    for c in section.conversions
                ),
                notes=(WEBP_BASIS,),
            )
        )
    return blocks
