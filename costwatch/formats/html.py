"""HTML pages of a reports folder: ``latest.html`` (one run) and ``index.html`` (the history).

Rendered through Jinja2 with autoescape on: every value that came from a bucket, a file, a
link or a record is escaped, so a hostile file name or URL cannot inject markup. The charts
are built by :mod:`costwatch.charts`, which escapes its own text. Pages are self-contained:
no script, no external stylesheet, font or image; they read the same with JavaScript off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader
from markupsafe import Markup, escape

from costwatch import charts, history
from costwatch.billing import PACIFIC
from costwatch.textsafe import safe_text
from costwatch.units import GIB, parse_iso

_CODE = re.compile(r"`([^`]+)`")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("costwatch.formats", "templates"),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_shown,
    )
    env.filters.update(
        gib=gib,
        count=count,
        share=share,
        when=when,
        pacific_day=pacific_day,
        message=message,
    )
    return env


def _shown(value: Any) -> Any:
    """Every value a page shows passes the output boundary (:mod:`costwatch.textsafe`): a
    right-to-left override or control character in a name is shown as an escape."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe_text(value)
    return value


def gib(value: Any) -> str:
    return "unknown" if not isinstance(value, int | float) else f"{value / GIB:,.2f} GiB"


def count(value: Any) -> str:
    return "unknown" if not isinstance(value, int | float) else f"{value:,.0f}"


def share(used: Any, allowance: Any) -> str:
    if not isinstance(used, int | float) or not isinstance(allowance, int | float):
        return "unknown"
    return f"{used / allowance:.0%}" if allowance else "-"


def when(value: Any) -> str:
    """``2026-11-20 20:00 UTC`` from an ISO moment; anything else as it is."""
    if not isinstance(value, str):
        return "-"
    try:
        moment = parse_iso(value)
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def pacific_day(value: Any) -> str:
    if not isinstance(value, str):
        return "-"
    moment = parse_iso(value)
    return moment.astimezone(PACIFIC).strftime("%b %d, %H:%M %Z").replace(" 0", " ")


def message(text: Any) -> Markup:
    """A finding message, escaped, with its `backquoted` commands shown as code."""
    parts = _CODE.split(safe_text(str(text)))
    out = Markup("")
    for index, part in enumerate(parts):
        out += Markup("<code>{}</code>").format(part) if index % 2 else escape(part)
    return out


def _fix_commands(finding: Mapping[str, Any]) -> list[str]:
    fix = finding.get("fix")
    if isinstance(fix, str):
        return [fix]
    if isinstance(fix, Mapping):
        return [str(v) for k, v in fix.items() if k != "kind" and isinstance(v, str) and v]
    return []


def _usage_rows(usage: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, used, forecast, allowance, title, fmt in (
        ("egress", "used_bytes", "forecast_bytes", "allowance_bytes", "Egress", gib),
        ("class_a_ops", "used", "forecast", "allowance", "Class A operations", count),
        ("class_b_ops", "used", "forecast", "allowance", "Class B operations", count),
        (
            "storage",
            "used_gib_months",
            "forecast_gib_months",
            "allowance_gib_months",
            "Standard storage",
            None,
        ),
    ):
        figures = usage.get(key)
        if not isinstance(figures, Mapping):
            continue

        def shown(value: Any, fmt: Any = fmt) -> str:
            if fmt is None:
                if not isinstance(value, int | float):
                    return "unknown"
                return f"{value:,.2f} GiB-months"
            return str(fmt(value))

        # Colour only: the page does not know the config's warn_at_percent, so it marks the
        # default 80% as near; the findings (CW201-CW204) carry the configured judgement.
        forecast_share = None
        if isinstance(figures.get(forecast), int | float) and figures.get(allowance):
            forecast_share = figures[forecast] / figures[allowance]
        rows.append(
            {
                "title": title,
                "used": shown(figures.get(used)),
                "forecast": shown(figures.get(forecast)),
                "allowance": shown(figures.get(allowance)),
                "share": share(figures.get(forecast), figures.get(allowance)),
                "level": (
                    "unknown"
                    if forecast_share is None
                    else "over"
                    if forecast_share >= 1
                    else "near"
                    if forecast_share >= 0.8
                    else "ok"
                ),
                "crossing": figures.get("crossing_at"),
                "overage": figures.get("overage_usd"),
                "unknown": figures.get("unknown"),
            }
        )
    return rows


def render_latest(document: Mapping[str, Any]) -> str:
    """``latest.html``: status, what changed, usage and its chart, buckets, findings."""
    found = document.get("usage")
    usage: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    findings = list(document.get("findings", []))
    groups = [
        (
            severity,
            [dict(f, fixes=_fix_commands(f)) for f in findings if f.get("severity") == severity],
        )
        for severity in ("error", "warning", "note")
    ]
    run = document.get("run", {})
    return (
        _environment()
        .get_template("latest.html.j2")
        .render(
            doc=document,
            run=run,
            project=document.get("project") or usage.get("project"),
            changes=document.get("changes")
            or {"since": None, "new": [], "resolved": [], "unchanged": 0},
            usage=usage,
            usage_rows=_usage_rows(usage),
            chart=Markup(charts.egress_month(document)),
            groups=groups,
            incomplete=[i for i in document.get("incomplete", []) if i.get("blocking", True)],
            skipped=[i for i in document.get("incomplete", []) if not i.get("blocking", True)],
            links=document.get("links") if isinstance(document.get("links"), Mapping) else None,
        )
    )


def render_index(runs: Sequence[Mapping[str, Any]], folder: Path | None = None) -> str:
    """``index.html``: month over month, findings over time, and every run (newest first)."""
    months = history.chart_months(runs)
    latest = runs[-1] if runs else None
    return (
        _environment()
        .get_template("index.html.j2")
        .render(
            runs=list(reversed(runs)),
            latest=latest,
            months=list(reversed(months)),
            months_chart=Markup(charts.month_over_month(months)),
            findings_chart=Markup(charts.findings_over_time(runs)),
            generated=latest["as_of"] if latest else None,
            folder_name=folder.name if folder else "reports",
        )
    )
