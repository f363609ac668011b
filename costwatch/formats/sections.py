"""How the optional report sections (site links, usage) are laid out as blocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from costwatch.billing import PACIFIC
from costwatch.formats.blocks import Block, plural
from costwatch.formats.object_sections import capacity_layout, objects_layout

GIB = 1024**3
CHART_WIDTH = 40


def links_layout(section: dict[str, Any]) -> list[Block]:
    megabytes = section["bytes_scanned"] / 1_000_000
    lines = [
        f"{plural(section['files_scanned'], 'file')} ({megabytes:.1f} MB) scanned, "
        f"{plural(section['links_checked'], 'image-host link')} checked, "
        f"{plural(section['files_skipped'], 'file')} skipped, "
        f"{plural(section['suppressed_inline'], 'finding')} suppressed inline.",
    ]
    baseline = section.get("baseline")
    if baseline:
        lines.append(f"Baseline {baseline['path']}: {baseline['accepted']} findings accepted.")
    blocks = [Block("Site links", text=tuple(lines))]
    stale_inline = section.get("stale_suppressions") or []
    if stale_inline:
        blocks.append(
            Block(
                "Inline suppressions that silence nothing (remove them)",
                ("where", "rules"),
                tuple((f"{s['path']}:{s['line']}", ", ".join(s["rules"])) for s in stale_inline),
            )
        )
    if baseline and baseline["stale"]:
        blocks.append(
            Block(
                "Stale baseline entries (match nothing now; remove them)",
                ("rule", "path", "url"),
                tuple((e["rule_id"], e["path"], e["url"]) for e in baseline["stale"]),
            )
        )
    return blocks


def _when(value: str | None) -> str:
    if value is None:
        return "-"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(PACIFIC)
    return moment.strftime("%b %d %H:%M %Z")


def _gib(value: float | None) -> str:
    return "no data" if value is None else f"{value / GIB:,.2f} GiB"


def _count(value: float | None) -> str:
    return "no data" if value is None else f"{value:,.0f}"


def _share(used: float | None, allowance: float) -> str:
    return "-" if used is None or not allowance else f"{used / allowance * 100:.0f}%"


def usage_layout(section: dict[str, Any]) -> list[Block]:
    period = section["period"]
    rows = []
    for label, key, unit, fmt in (
        ("egress", "egress", "bytes", _gib),
        ("Class A operations", "class_a_ops", "", _count),
        ("Class B operations", "class_b_ops", "", _count),
        ("Standard storage", "storage", "gib_months", None),
    ):
        data = section[key]
        used_key, forecast_key, allowance_key = _keys(unit)
        allowance = data[allowance_key]
        if "unknown" in data:
            rows.append((label, "unknown", "unknown", _amount(allowance, fmt), "-", "-", "-"))
            continue
        used, forecast = data[used_key], data[forecast_key]
        overage = data.get("overage_usd") or 0.0
        rows.append(
            (
                label,
                _amount(used, fmt),
                _amount(forecast, fmt),
                _amount(allowance, fmt),
                _share(forecast, allowance),
                _when(data["crossing_at"]),
                f"${overage:,.2f}",
            )
        )
    blocks = [
        Block(
            f"Usage this month ({_when(period['start'])} to {_when(period['end'])}, "
            f"as of {_when(period['as_of'])})",
            ("resource", "used", "forecast", "allowance", "forecast %", "crossing", "overage"),
            tuple(rows),
            notes=tuple(section["notes"]),
        )
    ]
    headers = ("bucket", "location", "egress", "class A", "class B", "stored now")
    for free, title in (
        (True, "Free-region buckets (they share the allowance)"),
        (False, "Buckets billed from the first byte (outside us-west1, us-central1, us-east1)"),
    ):
        bucket_rows = tuple(
            (
                b["name"],
                b["location"] or "?",
                _gib(b["egress_bytes"]),
                _count(b["class_a_ops"]),
                _count(b["class_b_ops"]),
                _gib(b["storage_bytes"]),
            )
            for b in section["buckets"]
            if b["free_region"] is free
        )
        if bucket_rows:
            blocks.append(Block(title, headers, bucket_rows))
    if section["unknown_methods"]:
        blocks.append(
            Block(
                "Operations of unknown class (not counted)",
                ("method", "count"),
                tuple((m["method"], _count(m["count"])) for m in section["unknown_methods"]),
            )
        )
    if section["daily"] and "unknown" not in section["egress"]:
        blocks.append(_chart(section))
    return blocks


def _keys(unit: str) -> tuple[str, str, str]:
    if unit == "bytes":
        return "used_bytes", "forecast_bytes", "allowance_bytes"
    if unit == "gib_months":
        return "used_gib_months", "forecast_gib_months", "allowance_gib_months"
    return "used", "forecast", "allowance"


def _amount(value: float | None, fmt: Callable[[float | None], str] | None) -> str:
    if fmt is not None:
        return fmt(value)
    return "no data" if value is None else f"{value:,.2f} GiB-months"


def _chart(section: dict[str, Any]) -> Block:
    """Daily egress of free-region buckets as bars, with the allowance's even daily pace."""
    days = section["daily"]
    pace = section["egress"]["allowance_bytes"] / max(1, _days_in_period(section))
    top = max([pace, *(d["egress_bytes"] for d in days)])
    scale = CHART_WIDTH / top if top else 0
    marker = round(pace * scale)
    lines = []
    for day in days:
        value = day["egress_bytes"]
        bar = "#" * round(value * scale)
        cells = bar.ljust(CHART_WIDTH + 1)
        cells = cells[:marker] + ("|" if len(bar) <= marker else "#") + cells[marker + 1 :]
        lines.append(f"{day['date'][5:]} {cells} {value / GIB:7.2f} GiB")
    lines.append(f"{'':5} {' ' * marker}^ even pace for the allowance: {pace / GIB:.2f} GiB/day")
    return Block(
        "Daily egress, free-region buckets (Pacific days)", text=tuple(lines), preformatted=True
    )


def _days_in_period(section: dict[str, Any]) -> int:
    start = datetime.fromisoformat(section["period"]["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(section["period"]["end"].replace("Z", "+00:00"))
    return (end.astimezone(PACIFIC).date() - start.astimezone(PACIFIC).date()).days


#: How each optional report section is laid out, by its key in ``Report.sections``.
SECTION_LAYOUTS: dict[str, Callable[[Any], list[Block]]] = {
    "links": links_layout,
    "usage": usage_layout,
    "objects": objects_layout,
    "capacity": capacity_layout,
}
