"""How the ``objects`` and ``capacity`` report sections are laid out as blocks."""

from __future__ import annotations

from typing import Any

from costwatch.formats.blocks import Block


def _size(value: float | None) -> str:
    if value is None:
        return "unknown"
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


def _count(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def objects_layout(section: dict[str, Any]) -> list[Block]:
    rows = tuple(
        (
            b["name"],
            b["source"],
            f"{b['objects']:,}" + ("" if b["complete"] else " (incomplete)"),
            _size(b["bytes"]),
            _count(b["list_pages"]),
            "-" if b["class_a_share_percent"] is None else f"{b['class_a_share_percent']:g}%",
        )
        for b in section.get("buckets", [])
    )
    notes = tuple(section.get("notes", ())) + tuple(
        f"not applicable: {n}" for n in section.get("not_applicable", ())
    )
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


def capacity_layout(section: dict[str, Any]) -> list[Block]:
    pages = section.get("pages", [])
    rows = tuple(
        (
            p["name"],
            _size(p["bytes_per_view"]),
            f"{p['objects_per_view']:,}",
            _count(p["views_by_egress"]),
            _count(p["views_by_class_b"]),
            _limit(p["first_limit"]),
            f"${p['cost_per_1000_views_usd']:,.2f}",
        )
        for p in pages
    )
    notes = [
        f"Budget: {section['basis']}; browser cache hit ratio {section['cache_hit_ratio']:g}.",
        *section.get("notes", ()),
    ]
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
            text=tuple(s[0].upper() + s[1:] for s in section.get("summary", ())),
            notes=tuple(notes),
        )
    ]
    observed = section.get("observed")
    if observed and observed.get("bytes_per_object") is not None:
        blocks.append(
            Block(
                "Observed this month (Cloud Monitoring)",
                text=(
                    f"{_count(observed['read_requests'])} object reads sent "
                    f"{_size(observed['sent_bytes'])}: {_size(observed['bytes_per_object'])} per "
                    f"object; the egress left carries {_count(observed['object_loads_by_egress'])} "
                    f"more loads, the Class B operations left "
                    f"{_count(observed['object_loads_by_class_b'])}.",
                ),
                notes=(observed["note"],) if observed.get("note") else (),
            )
        )
    webp = section.get("webp") or {}
    if webp.get("conversions"):
        blocks.append(
            Block(
                f"What would raise the {webp['page']} page's views most: convert to WebP",
                ("object", "size", "as WebP (estimate)", "views (egress) after"),
                tuple(
                    (
                        c["name"],
                        _size(c["bytes"]),
                        _size(c["webp_bytes"]),
                        _count(c["views_by_egress"]),
                    )
                    for c in webp["conversions"]
                ),
                notes=(webp["basis"],),
            )
        )
    return blocks
