"""The reports folder's history: per-run records, ``history.jsonl``, months, what changed.

Every run leaves an immutable record, ``2026-11-20T2000Z.json`` (the run's moment in UTC, so
names sort by time), holding the audit JSON plus ``changes`` and ``run``. ``history.jsonl`` has
one summary line per run; it is a cache that can always be rebuilt from the records, and a
line is trusted only while its record still has the size the line says, so a truncated or
rewritten record is read again. Anything in the folder that is not a readable costwatch
record is reported and skipped, never deleted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from costwatch.billing import PACIFIC
from costwatch.findings import Finding
from costwatch.report import (
    Figure,
    Report,
    ReportFormatError,
    UsageSection,
    finding_from_json,
    finding_to_json,
    register_section,
    report_from_json,
)
from costwatch.units import GIB, iso, iso_or_none, parse_iso

HISTORY_SCHEMA_VERSION = 1
HISTORY_NAME = "history.jsonl"
RECORD_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{4}Z)(?:-(\d{1,4}))?\.json$")
#: Files the writer owns besides the records; anything else is left alone.
OWN_FILES = frozenset(
    {
        "latest.json", "latest.md", "latest.html", "latest.svg", "index.html", HISTORY_NAME,
        "README.md", ".lock", ".gitignore", ".gitattributes",
    }
)  # fmt: skip

#: The usage figures each run and month carries; ``None`` when that run could not read them.
FIGURES = (
    "egress_used_bytes",
    "egress_forecast_bytes",
    "egress_allowance_bytes",
    "class_a_used",
    "class_b_used",
    "storage_gib_months",
)
#: More figures kept in ``history.jsonl`` for the charts (not part of ``history --format json``).
CHART_FIGURES = (
    "class_a_allowance",
    "class_b_allowance",
    "storage_allowance_gib_months",
    "egress_crossing_at",
    "new",
    "resolved",
)

Warn = Callable[[str], None]


def record_stem(moment: datetime) -> str:
    """``2026-11-20T2000Z``: the run's moment in UTC to the minute."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H%MZ")


def record_key(name: str) -> tuple[str, int] | None:
    """Sort key of a record file name, or None when the name is not a record's."""
    match = RECORD_PATTERN.match(name)
    if match is None:
        return None
    return match.group(1), int(match.group(2) or 1)


def free_record_name(folder: Path, moment: datetime) -> str:
    """A record name for ``moment`` that no earlier record uses (records are never replaced)."""
    stem = record_stem(moment)
    name = f"{stem}.json"
    number = 1
    while (folder / name).exists():
        number += 1
        name = f"{stem}-{number}.json"
    return name


def billing_month(moment: datetime) -> str:
    """The Pacific billing month of ``moment``: ``"2026-11"``."""
    return moment.astimezone(PACIFIC).strftime("%Y-%m")


class RecordError(ValueError):
    """A file named like a record that is not a readable costwatch record."""


@register_section
@dataclass(frozen=True)
class ChangesSection:
    """What changed since the record just before this run, matched on ``fingerprint``."""

    since: datetime | None
    new: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    unchanged: int = 0
    key: ClassVar[str] = "changes"

    def to_json(self) -> dict[str, Any]:
        return {
            "since": iso_or_none(self.since),
            "new": [finding_to_json(f) for f in self.new],
            "resolved": [finding_to_json(f) for f in self.resolved],
            "unchanged": self.unchanged,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChangesSection:
        since = data.get("since")
        return cls(
            parse_iso(since) if since else None,
            tuple(finding_from_json(f) for f in data.get("new", ())),
            tuple(finding_from_json(f) for f in data.get("resolved", ())),
            int(data.get("unchanged", 0)),
        )


@register_section
@dataclass(frozen=True)
class RunSection:
    """How a scheduled run ended: its status, exit code and record's file name."""

    status: str
    exit_code: int | None
    record: str | None = None
    key: ClassVar[str] = "run"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "exit_code": self.exit_code, "record": self.record}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunSection:
        code = data.get("exit_code")
        record = data.get("record")
        return cls(
            str(data.get("status", "complete")),
            code if isinstance(code, int) else None,
            record if isinstance(record, str) else None,
        )


def load_record(path: Path) -> Report:
    """A record read back through the report loader; :class:`RecordError` says why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"cannot read: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"not JSON (truncated or corrupt): {exc.msg} at line {exc.lineno}"
        ) from None
    try:
        report = report_from_json(document)
    except ReportFormatError as exc:
        raise RecordError(f"not a costwatch record ({exc})") from None
    return report


def run_moment(report: Report) -> datetime:
    """The moment a run judged: ``as_of``, else its usage month's, else ``generated_at``."""
    if report.as_of is not None:
        return report.as_of
    usage = report.section(UsageSection)
    return usage.as_of if usage is not None else report.generated_at


def status_of(report: Report) -> str:
    return "incomplete" if any(i.blocking for i in report.incomplete) else "complete"


def summarize(name: str, report: Report, size: int) -> dict[str, Any]:
    """The ``history.jsonl`` line of one record."""
    usage = report.section(UsageSection)
    run = report.section(RunSection)
    changes = report.section(ChangesSection)
    moment = run_moment(report)

    def figure(resource: str) -> Figure | None:
        return usage.figures.get(resource) if usage is not None else None

    egress, storage = figure("egress"), figure("storage")
    class_a, class_b = figure("class_a_ops"), figure("class_b_ops")
    compared = changes is not None and changes.since is not None
    return {
        "schema_version": HISTORY_SCHEMA_VERSION,
        "record": name,
        "bytes": size,
        "as_of": iso(moment),
        "generated_at": iso(report.generated_at),
        "month": billing_month(moment),
        "status": run.status if run is not None else status_of(report),
        "exit_code": run.exit_code if run is not None else None,
        "summary": report.counts(),
        "egress_used_bytes": egress.used if egress else None,
        "egress_forecast_bytes": egress.forecast if egress else None,
        "egress_allowance_bytes": egress.allowance if egress else None,
        "class_a_used": class_a.used if class_a else None,
        "class_b_used": class_b.used if class_b else None,
        "storage_gib_months": storage.used if storage else None,
        "class_a_allowance": class_a.allowance if class_a else None,
        "class_b_allowance": class_b.allowance if class_b else None,
        "storage_allowance_gib_months": storage.allowance if storage else None,
        "egress_crossing_at": iso_or_none(egress.crossing_at) if egress else None,
        "new": len(changes.new) if changes is not None and compared else None,
        "resolved": len(changes.resolved) if changes is not None and compared else None,
    }


@dataclass
class History:
    """The runs of a folder, oldest first, and what could not be read."""

    folder: Path
    runs: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: True when ``history.jsonl`` does not match the records and should be rebuilt.
    stale_index: bool = False

    def before(self, key: tuple[str, int]) -> list[dict[str, Any]]:
        """Runs strictly before ``key``, newest first."""
        return [r for r in reversed(self.runs) if sort_key(r) < key]


def sort_key(run: Mapping[str, Any]) -> tuple[str, int]:
    key = record_key(str(run["record"]))
    return key if key is not None else (str(run["as_of"]), 0)


def _index_lines(path: Path, problems: list[str]) -> tuple[dict[str, dict[str, Any]], bool]:
    lines: dict[str, dict[str, Any]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return lines, True
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read ({exc}); using the records instead")
        return lines, True
    damaged = 0
    for raw in text.splitlines():
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            damaged += 1
            continue
        if not _valid_line(line):
            damaged += 1
            continue
        lines[line["record"]] = line
    if damaged:
        problems.append(f"{path}: skipped {damaged} unreadable line(s); read from the records")
    return lines, damaged > 0


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _valid_line(line: Any) -> bool:
    """A ``history.jsonl`` line of the shape :func:`summarize` writes (it may be edited)."""
    if not isinstance(line, dict) or line.get("schema_version") != HISTORY_SCHEMA_VERSION:
        return False
    if not isinstance(line.get("record"), str) or record_key(line["record"]) is None:
        return False
    if not isinstance(line.get("month"), str) or not _MONTH.match(line["month"]):
        return False
    summary = line.get("summary")
    if not isinstance(summary, dict) or not all(
        isinstance(summary.get(k), int) for k in ("error", "warning", "note")
    ):
        return False
    try:
        parse_iso(str(line.get("as_of")))
    except ValueError:
        return False
    return all(
        line.get(k) is None
        or (isinstance(line.get(k), int | float) and not isinstance(line.get(k), bool))
        for k in FIGURES
    )


def read_history(folder: Path) -> History:
    """Every readable run in ``folder``, oldest first; unreadable files go to ``problems``."""
    history = History(folder)
    cached, stale = _index_lines(folder / HISTORY_NAME, history.problems)
    seen: set[str] = set()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        history.problems.append(f"{folder}: cannot list ({exc.strerror or exc})")
        return history
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in OWN_FILES or not entry.is_file():
            continue
        if record_key(name) is None:
            if name.endswith((".json", ".jsonl")):
                history.problems.append(f"{folder / name}: not a costwatch record name; skipped")
            continue
        size = entry.stat().st_size
        line = cached.get(name)
        if line is not None and line.get("bytes") == size:
            history.runs.append(line)
            seen.add(name)
            continue
        stale = True
        try:
            document = load_record(folder / name)
        except RecordError as exc:
            history.problems.append(f"{folder / name}: {exc}; skipped")
            continue
        history.runs.append(summarize(name, document, size))
        seen.add(name)
    if set(cached) - seen:
        stale = True
    history.runs.sort(key=sort_key)
    history.stale_index = stale
    return history


def index_text(runs: Iterable[Mapping[str, Any]]) -> str:
    """``history.jsonl``: one compact line per run, in the order given."""
    return "".join(json.dumps(dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in runs)


# --- what changed -------------------------------------------------------------------------


def changes(findings: Sequence[Finding], previous: Report | None) -> ChangesSection:
    """``changes`` of a run against the record just before it, matched on ``fingerprint``.

    A fingerprint seen twice in one run counts twice, so a second copy of a bad link is new.
    """
    if previous is None:
        return ChangesSection(None)
    before: Counter[str] = Counter(f.fingerprint for f in previous.findings)
    new: list[Finding] = []
    unchanged = 0
    for finding in findings:
        if before[finding.fingerprint] > 0:
            before[finding.fingerprint] -= 1
            unchanged += 1
        else:
            new.append(finding)
    resolved = []
    for finding in previous.findings:
        if before[finding.fingerprint] > 0:
            before[finding.fingerprint] -= 1
            resolved.append(finding)
    return ChangesSection(run_moment(previous), tuple(new), tuple(resolved), unchanged)


# --- retention ----------------------------------------------------------------------------


def expired(runs: Sequence[Mapping[str, Any]], now: datetime, keep_days: int) -> list[str]:
    """Records older than ``keep_days`` before ``now``, except each billing month's last run.

    Keeping every month's closing run keeps the month-over-month chart whole however short
    the retention is.
    """
    closing: dict[str, str] = {}
    for run in runs:
        closing[str(run["month"])] = str(run["record"])
    cutoff = now - timedelta(days=keep_days)
    keep = set(closing.values())
    return [
        str(r["record"])
        for r in runs
        if parse_iso(str(r["as_of"])) < cutoff and str(r["record"]) not in keep
    ]


# --- history as the `history` command shows it ----------------------------------------------


def run_row(run: Mapping[str, Any]) -> dict[str, Any]:
    """One run of ``history --format json``."""
    out: dict[str, Any] = {
        "as_of": run["as_of"],
        "generated_at": run["generated_at"],
        "status": run["status"],
        "exit_code": run["exit_code"],
        "summary": dict(run["summary"]),
    }
    out.update({key: run.get(key) for key in FIGURES})
    return out


def months(runs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each billing month's figures from its latest run, with how many runs it has."""
    latest: dict[str, Mapping[str, Any]] = {}
    count: Counter[str] = Counter()
    for run in runs:
        month = str(run["month"])
        count[month] += 1
        latest[month] = run
    out = []
    for month in sorted(latest):
        run = latest[month]
        row: dict[str, Any] = {"month": month, "runs": count[month]}
        row.update({key: run.get(key) for key in FIGURES})
        out.append(row)
    return out


def history_json(runs: Sequence[Mapping[str, Any]]) -> str:
    document = {"runs": [run_row(r) for r in runs], "months": months(runs)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = (
    "as_of",
    "generated_at",
    "status",
    "exit_code",
    "error",
    "warning",
    "note",
    *FIGURES,
)


def _cell(value: Any) -> str:
    # CSV has no null: an unknown figure is an empty cell, never 0.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def history_csv(runs: Sequence[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for run in runs:
        row = run_row(run)
        counts = row.pop("summary")
        writer.writerow(
            [_cell(counts.get(c)) if c in counts else _cell(row.get(c)) for c in CSV_COLUMNS]
        )
    return buffer.getvalue()


def gib(value: float | None) -> str:
    return "unknown" if value is None else f"{value / GIB:,.2f} GiB"


def count(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def history_table(runs: Sequence[Mapping[str, Any]]) -> str:
    header = (
        "as of (UTC)",
        "status",
        "exit",
        "E/W/N",
        "egress used",
        "forecast",
        "class A",
        "class B",
    )
    rows = [header]
    for run in runs:
        s = run["summary"]
        rows.append(
            (
                str(run["as_of"]).replace("T", " ").replace(":00Z", "Z"),
                str(run["status"]),
                "-" if run["exit_code"] is None else str(run["exit_code"]),
                f"{s['error']}/{s['warning']}/{s['note']}",
                gib(run.get("egress_used_bytes")),
                gib(run.get("egress_forecast_bytes")),
                count(run.get("class_a_used")),
                count(run.get("class_b_used")),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if not runs:
        lines.append("(no runs recorded yet)")
    return "\n".join(lines) + "\n"


def _month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=PACIFIC).astimezone(UTC)


def _next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def chart_months(runs: Sequence[Mapping[str, Any]], limit: int = 12) -> list[dict[str, Any]]:
    """The last ``limit`` billing months for the month-over-month chart and table.

    A month whose latest run is before the month's end is in progress: it is compared with the
    previous month's latest run at or before the same point of that month, never with the
    whole previous month (a partial month against a whole one misleads).
    """
    by_month: dict[str, list[Mapping[str, Any]]] = {}
    for run in runs:
        by_month.setdefault(str(run["month"]), []).append(run)
    keys = sorted(by_month)[-limit:]
    out: list[dict[str, Any]] = []
    for month in keys:
        month_runs = by_month[month]
        latest = month_runs[-1]
        row: dict[str, Any] = {"month": month, "runs": len(month_runs), "as_of": latest["as_of"]}
        row.update({key: latest.get(key) for key in (*FIGURES, *CHART_FIGURES)})
        start, end = _month_start(month), _month_start(_next_month(month))
        as_of = parse_iso(str(latest["as_of"]))
        # Only the newest month can still be running; an older one ended with its last run.
        row["in_progress"] = month == keys[-1] and as_of < end - timedelta(hours=1)
        row["previous_same_point"] = None
        row["elapsed_days"] = round((as_of - start).total_seconds() / 86400, 1)
        previous_month = billing_month(start - timedelta(hours=1))
        if row["in_progress"] and previous_month in by_month:
            point = _month_start(previous_month) + (as_of - start)
            earlier = [r for r in by_month[previous_month] if parse_iso(str(r["as_of"])) <= point]
            if earlier:
                match = earlier[-1]
                row["previous_same_point"] = {
                    "as_of": match["as_of"],
                    **{key: match.get(key) for key in FIGURES},
                }
        out.append(row)
    return out
