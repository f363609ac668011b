"""Deterministic inline SVG charts for the report pages and ``latest.svg``.

Hand-written on purpose: a charting library would add megabytes or a CDN script and random
element ids; these charts are a few shapes whose bytes depend only on the data, so golden
tests and ``git diff`` of a reports folder stay meaningful. Every chart has a ``<title>`` and
a ``<desc>`` that says in words what it shows, and the pages put the figures in tables too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from html import escape as escape_html
from typing import Any

from costwatch.billing import PACIFIC
from costwatch.textsafe import safe_text
from costwatch.units import GIB


def escape(text: str) -> str:
    """Text for SVG: control and bidi characters shown as escapes, then HTML-escaped."""
    return escape_html(safe_text(text))


WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 40

STYLE = (
    "<style>"
    ".cw-bg{fill:#fff}.cw-axis{stroke:#767676;stroke-width:1}"
    ".cw-grid{stroke:#d0d0d0;stroke-width:1}"
    ".cw-text{fill:#333;font:12px system-ui,sans-serif}.cw-small{font-size:11px}"
    ".cw-used{fill:#2f6fb0}.cw-used-line{stroke:#2f6fb0;stroke-width:2.5;fill:none}"
    ".cw-pace{stroke:#2e8540;stroke-width:2;fill:none;stroke-dasharray:2 3}"
    ".cw-forecast{stroke:#c0392b;stroke-width:2.5;fill:none;stroke-dasharray:7 4}"
    ".cw-limit{stroke:#333;stroke-width:1.5;fill:none}"
    ".cw-cross{stroke:#c0392b;stroke-width:1.5}"
    ".cw-a{fill:#8e5bb5}.cw-b{fill:#d68a1a}.cw-prev{fill:none;stroke:#333;stroke-width:1.5;"
    "stroke-dasharray:3 2}"
    ".cw-error{stroke:#c0392b;stroke-width:2;fill:none}"
    ".cw-warning{stroke:#d68a1a;stroke-width:2;fill:none}"
    ".cw-note{stroke:#2f6fb0;stroke-width:2;fill:none}"
    ".cw-sw-error{fill:#c0392b}.cw-sw-warning{fill:#d68a1a}.cw-sw-note{fill:#2f6fb0}"
    "@media (prefers-color-scheme:dark){.cw-bg{fill:#1b1d21}.cw-text{fill:#e4e4e4}"
    ".cw-grid{stroke:#3a3d44}.cw-limit{stroke:#e4e4e4}.cw-prev{stroke:#e4e4e4}"
    ".cw-used{fill:#6ea8e8}.cw-used-line{stroke:#6ea8e8}.cw-note{stroke:#6ea8e8}"
    ".cw-sw-note{fill:#6ea8e8}.cw-pace{stroke:#5cc273}}"
    "</style>"
)


def _n(value: float) -> str:
    """A coordinate with one decimal and no trailing zeros: the same bytes for the same data."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="cw-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{STYLE}'
        f'<rect class="cw-bg" x="0" y="0" width="{WIDTH}" height="{HEIGHT}"/>'
    )
    return head + "".join(body) + "</svg>\n"


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return (
        f'<text class="cw-text" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return f'<line class="{cls}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def _message(chart_id: str, title: str, message: str) -> str:
    return _svg(chart_id, title, message, [_text(WIDTH / 2, HEIGHT / 2, message, "middle")])


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 10.0 ** len(str(int(value))) / 10
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * step >= value:
            return factor * step
    return value


def _day_label(day: date) -> str:
    return day.strftime("%b %d").replace(" 0", " ")


def egress_month(document: Mapping[str, Any]) -> str:
    """This month's egress so far (cumulative per Pacific day) against the even pace.

    The even pace runs from zero to the allowance at the month's end; the forecast runs from
    what was used to the month-end forecast; a vertical line marks when the allowance runs out.
    """
    title = "Egress this month: used, even pace and forecast"
    usage = document.get("usage")
    if not isinstance(usage, dict) or not isinstance(usage.get("egress"), dict):
        return _message("egress", title, "No usage section in this run: egress was not read.")
    egress = usage["egress"]
    period = usage.get("period", {})
    start, end, as_of = (_parse(period.get(k)) for k in ("start", "end", "as_of"))
    used, forecast = egress.get("used_bytes"), egress.get("forecast_bytes")
    allowance = egress.get("allowance_bytes") or 0
    if start is None or end is None or as_of is None:
        return _message("egress", title, "The billing period is unknown in this run.")
    if used is None or forecast is None:
        reason = egress.get("unknown") or "Monitoring could not be read"
        return _message("egress", title, f"Egress unknown: {reason}.")
    first = start.astimezone(PACIFIC).date()
    last = (end - timedelta(seconds=1)).astimezone(PACIFIC).date()
    days = (last - first).days + 1
    length = (end - start).total_seconds()
    top = _nice_top(max(allowance, forecast, used) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(moment: datetime) -> float:
        return LEFT + plot_w * min(max((moment - start).total_seconds() / length, 0.0), 1.0)

    def y_at(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    body = _grid(top, lambda v: f"{v / GIB:,.0f} GiB", y_at)
    total = 0.0
    slot = plot_w / days
    daily = usage.get("daily")
    rows: list[Any] = daily if isinstance(daily, list) else []
    points = [f"{_n(LEFT)},{_n(y_at(0))}"]
    for row in rows:
        value = row.get("egress_bytes")
        if not isinstance(value, int | float):
            continue
        total += value
        day = date.fromisoformat(str(row.get("date")))
        x = LEFT + slot * ((day - first).days)
        height = y_at(0) - y_at(total)
        body.append(
            f'<rect class="cw-used" x="{_n(x + 1)}" y="{_n(y_at(total))}" '
            f'width="{_n(max(slot - 2, 1))}" height="{_n(height)}" opacity="0.35">'
            f"<title>{escape(_day_label(day))}: {value / GIB:,.2f} GiB "
            f"(month so far {total / GIB:,.2f} GiB)</title></rect>"
        )
        points.append(f"{_n(x + slot)},{_n(y_at(total))}")
    body.append(f'<polyline class="cw-used-line" points="{" ".join(points)}"/>')
    body.append(_line(LEFT, y_at(0), x_at(end), y_at(allowance), "cw-pace"))
    body.append(_line(x_at(as_of), y_at(used), x_at(end), y_at(forecast), "cw-forecast"))
    body.append(_line(LEFT, y_at(allowance), WIDTH - RIGHT, y_at(allowance), "cw-limit"))
    body.append(_text(LEFT + 4, y_at(allowance) - 5, f"allowance {allowance / GIB:,.0f} GiB"))
    crossing = _parse(egress.get("crossing_at"))
    crossing_words = "the forecast stays within the allowance"
    if crossing is not None:
        cx = x_at(crossing)
        label = _day_label(crossing.astimezone(PACIFIC).date())
        body.append(_line(cx, TOP, cx, y_at(0), "cw-cross"))
        body.append(_text(cx - 4, TOP + 12, f"runs out {label}", "end"))
        crossing_words = f"the allowance runs out on {label} at this pace"
    for offset in range(0, days, 5 if days > 10 else 1):
        day = first + timedelta(days=offset)
        body.append(_text(LEFT + slot * offset + 2, HEIGHT - BOTTOM + 16, _day_label(day)))
    body.append(
        _legend([("cw-used", "used"), ("cw-pace-sw", "even pace"), ("cw-fc-sw", "forecast")])
    )
    desc = (
        f"Egress used this month: {used / GIB:,.2f} GiB as of "
        f"{_day_label(as_of.astimezone(PACIFIC).date())}; "
        f"forecast at month end {forecast / GIB:,.2f} GiB against an allowance of "
        f"{allowance / GIB:,.0f} GiB ({forecast / allowance:.0%} of it); {crossing_words}."
        if allowance
        else f"Egress used this month: {used / GIB:,.2f} GiB; forecast {forecast / GIB:,.2f} GiB."
    )
    return _svg("egress", title, desc, body)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    parts = []
    x = LEFT
    colors = {
        "cw-pace-sw": '<line class="cw-pace" x1="{x}" y1="14" x2="{x2}" y2="14"/>',
        "cw-fc-sw": '<line class="cw-forecast" x1="{x}" y1="14" x2="{x2}" y2="14"/>',
    }
    for cls, label in items:
        if cls in colors:
            parts.append(colors[cls].format(x=_n(x), x2=_n(x + 14)))
        else:
            parts.append(f'<rect class="{cls}" x="{_n(x)}" y="8" width="14" height="10"/>')
        parts.append(_text(x + 18, 18, label))
        x += 26 + 7 * len(label)
    return "".join(parts)


def _grid(top: float, label: Any, y_at: Any, steps: int = 4) -> list[str]:
    body = []
    for step in range(steps + 1):
        value = top * step / steps
        y = y_at(value)
        body.append(_line(LEFT, y, WIDTH - RIGHT, y, "cw-grid" if step else "cw-axis"))
        body.append(_text(LEFT - 6, y + 4, label(value), "end"))
    return body


def _share(used: Any, allowance: Any) -> float | None:
    if not isinstance(used, int | float) or not isinstance(allowance, int | float):
        return None
    return used / allowance * 100 if allowance else None


def month_over_month(months: Sequence[Mapping[str, Any]]) -> str:
    """Egress, Class A and Class B operations as a share of the allowance, per billing month.

    ``months`` rows carry ``month``, the figures and allowances of the month's latest run, and
    for a month in progress ``previous_same_point``: the previous month's figures at the same
    point of the month, drawn as an outline beside the bar.
    """
    title = "Month over month: egress and operations against the allowance"
    rows = list(months)[-12:]
    if not rows:
        return _message("months", title, "No runs recorded yet.")
    series = (
        ("egress_used_bytes", "egress_allowance_bytes", "cw-used", "egress"),
        ("class_a_used", "class_a_allowance", "cw-a", "Class A"),
        ("class_b_used", "class_b_allowance", "cw-b", "Class B"),
    )
    shares = [_share(row.get(u), row.get(a)) for row in rows for u, a, _, _ in series] + [
        _share(row["previous_same_point"].get(u), row.get(a))
        for row in rows
        if isinstance(row.get("previous_same_point"), Mapping)
        for u, a, _, _ in series
    ]
    top = _nice_top(max([100.0, *(s for s in shares if s is not None)]) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_at(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    body = _grid(top, lambda v: f"{v:,.0f}%", y_at)
    group = plot_w / len(rows)
    bar = min(group / 4.5, 28)
    words = []
    for index, row in enumerate(rows):
        x0 = LEFT + group * index + (group - bar * 3) / 2
        previous = row.get("previous_same_point")
        for position, (used_key, allowance_key, cls, label) in enumerate(series):
            share = _share(row.get(used_key), row.get(allowance_key))
            x = x0 + bar * position
            if share is None:
                body.append(_text(x + bar / 2, y_at(0) - 4, "?", "middle"))
                continue
            body.append(
                f'<rect class="{cls}" x="{_n(x)}" y="{_n(y_at(share))}" width="{_n(bar - 2)}" '
                f'height="{_n(y_at(0) - y_at(share))}"><title>{escape(str(row["month"]))} '
                f"{label}: {share:.0f}% of the allowance</title></rect>"
            )
            if isinstance(previous, Mapping):
                before = _share(previous.get(used_key), row.get(allowance_key))
                if before is not None:
                    body.append(
                        f'<rect class="cw-prev" x="{_n(x)}" y="{_n(y_at(before))}" '
                        f'width="{_n(bar - 2)}" height="{_n(y_at(0) - y_at(before))}"/>'
                    )
        egress_share = _share(row.get("egress_used_bytes"), row.get("egress_allowance_bytes"))
        words.append(
            f"{row['month']}: egress "
            + ("unknown" if egress_share is None else f"{egress_share:.0f}%")
            + (" (in progress)" if row.get("in_progress") else "")
        )
        label = str(row["month"]) + ("*" if row.get("in_progress") else "")
        body.append(
            f'<text class="cw-text cw-small" x="{_n(LEFT + group * index + group / 2)}" '
            f'y="{_n(HEIGHT - BOTTOM + 16)}" text-anchor="middle">{escape(label)}</text>'
        )
    body.append(_line(LEFT, y_at(100), WIDTH - RIGHT, y_at(100), "cw-limit"))
    body.append(
        _legend(
            [
                ("cw-used", "egress"),
                ("cw-a", "Class A"),
                ("cw-b", "Class B"),
                ("cw-prev", "previous month, same day"),
            ]
        )
    )
    desc = (
        "Share of the free allowance used per billing month (Pacific time), from each month's "
        "latest run; a month in progress is marked * and outlined with the previous month at "
        "the same point of the month. " + "; ".join(words) + "."
    )
    return _svg("months", title, desc, body)


def findings_over_time(runs: Sequence[Mapping[str, Any]]) -> str:
    """Errors, warnings and notes per run over time."""
    title = "Findings over time"
    if not runs:
        return _message("findings", title, "No runs recorded yet.")
    moments = [_parse(r["as_of"]) for r in runs]
    first, last = moments[0], moments[-1]
    assert first is not None and last is not None
    span = max((last - first).total_seconds(), 1.0)
    peak = max(max(r["summary"].values(), default=0) for r in runs)
    top = float(-(-max(peak * 1.1, 4) // 4) * 4)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(moment: datetime | None) -> float:
        assert moment is not None
        if len(runs) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (moment - first).total_seconds() / span

    def y_at(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    body = _grid(top, lambda v: f"{v:,.0f}", y_at)
    for severity in ("error", "warning", "note"):
        points = " ".join(
            f"{_n(x_at(m))},{_n(y_at(r['summary'][severity]))}"
            for m, r in zip(moments, runs, strict=True)
        )
        if len(runs) == 1:
            x, y = x_at(moments[0]), y_at(runs[0]["summary"][severity])
            body.append(f'<circle class="cw-sw-{severity}" cx="{_n(x)}" cy="{_n(y)}" r="4"/>')
        body.append(f'<polyline class="cw-{severity}" points="{points}"/>')
    body.append(_text(LEFT, HEIGHT - BOTTOM + 16, _day_label(first.date()) + f" {first.year}"))
    body.append(
        _text(WIDTH - RIGHT, HEIGHT - BOTTOM + 16, _day_label(last.date()) + f" {last.year}", "end")
    )
    body.append(
        _legend([("cw-sw-error", "errors"), ("cw-sw-warning", "warnings"), ("cw-sw-note", "notes")])
    )
    latest = runs[-1]["summary"]
    desc = (
        f"Errors, warnings and notes in each of {len(runs)} runs from "
        f"{first.date().isoformat()} to {last.date().isoformat()}; the latest run has "
        f"{latest['error']} errors, {latest['warning']} warnings and {latest['note']} notes."
    )
    return _svg("findings", title, desc, body)
