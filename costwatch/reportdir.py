"""Write one run into a reports folder: its record, ``latest.*``, the history and the index.

Order matters for a run killed half-way: the immutable record first, then ``history.jsonl``
(rebuildable from the records), then ``latest.*`` and ``index.html``. Every file is replaced
atomically, so each is always either the previous version or the new one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch import charts, history
from costwatch.errors import CostwatchError
from costwatch.formats.json_format import pretty
from costwatch.fsio import atomic_write_text
from costwatch.history import History
from costwatch.lock import folder_lock
from costwatch.report import Report, report_to_json
from costwatch.units import GIB, parse_iso

#: The usage resources whose forecast is watched: JSON keys (section, forecast, allowance)
#: and the name a person reads.
RESOURCES = (
    ("egress", "forecast_bytes", "allowance_bytes", "egress"),
    ("class_a_ops", "forecast", "allowance", "Class A operations"),
    ("class_b_ops", "forecast", "allowance", "Class B operations"),
    ("storage", "forecast_gib_months", "allowance_gib_months", "Standard storage"),
)
#: Findings listed by name in the stdout summary; more are counted.
LISTED = 10


class FolderError(CostwatchError):
    """The reports folder cannot be used: a file, unwritable, or the disk is full."""


@dataclass(frozen=True)
class RunOptions:
    """How one run is written."""

    folder: Path
    moment: datetime
    exit_code: int
    warn_at_percent: float = 80.0
    keep_days: int | None = None


@dataclass
class RunOutcome:
    """What a run wrote and what the summary and notification say."""

    record: Path
    document: dict[str, Any]
    latest: bool
    crossed: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> Mapping[str, Any]:
        changes: Mapping[str, Any] = self.document["changes"]
        return changes

    @property
    def first(self) -> bool:
        """The first run in the folder: nothing to compare with, so everything is news."""
        return self.changes["since"] is None

    @property
    def news(self) -> list[Mapping[str, Any]]:
        """Findings new since the previous run; on the first run, every finding."""
        if self.first:
            return list(self.document["findings"])
        return list(self.changes["new"])

    @property
    def noteworthy(self) -> bool:
        """Something new, resolved, incomplete, or a forecast that crossed a threshold."""
        return bool(
            self.first
            or self.changes["new"]
            or self.changes["resolved"]
            or self.crossed
            or self.document["run"]["status"] == "incomplete"
        )

    @property
    def alert(self) -> bool:
        """Worth a notification: something new, or a forecast that crossed a threshold."""
        return bool(self.news or self.crossed)


def prepare_folder(folder: Path) -> None:
    """Create ``folder`` if needed; a file, an unwritable folder or a full disk is an error."""
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"--dir {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FolderError(f"cannot create reports folder {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FolderError(f"reports folder {folder} is not writable")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        # The folder is meant to be committed; its lock file is not.
        try:
            atomic_write_text(ignore, ".lock\n")
        except OSError as exc:
            raise _folder_error(folder, exc) from exc


def levels(document: Mapping[str, Any], warn_at_percent: float) -> dict[str, int]:
    """0 below the warning share, 1 at or above it, 2 at or above the allowance."""
    usage = document.get("usage")
    out: dict[str, int] = {}
    if not isinstance(usage, dict):
        return out
    for name, forecast_key, allowance_key, _ in RESOURCES:
        figures = usage.get(name)
        if not isinstance(figures, dict):
            continue
        forecast, allowance = figures.get(forecast_key), figures.get(allowance_key)
        if not isinstance(forecast, int | float) or not isinstance(allowance, int | float):
            continue
        if allowance <= 0:
            continue
        share = forecast / allowance * 100
        out[name] = 2 if share >= 100 else 1 if share >= warn_at_percent else 0
    return out


def crossings(
    document: Mapping[str, Any], previous: Mapping[str, Any] | None, warn_at_percent: float
) -> list[str]:
    """Resources whose forecast rose past a threshold since the previous run."""
    now = levels(document, warn_at_percent)
    before = levels(previous, warn_at_percent) if previous is not None else {}
    titles = {name: title for name, _, _, title in RESOURCES}
    words = {1: f"{warn_at_percent:g}% of the allowance", 2: "the allowance"}
    return [
        f"{titles[name]} forecast reached {words[level]}"
        for name, level in now.items()
        if level > before.get(name, 0)
    ]


def _previous(hist: History, key: tuple[str, int]) -> Report | None:
    for run in hist.before(key):
        path = hist.folder / str(run["record"])
        try:
            return history.load_record(path)
        except history.RecordError as exc:
            hist.problems.append(f"{path}: {exc}; skipped")
    return None


@contextlib.contextmanager
def open_folder(folder: Path, wait_seconds: float) -> Iterator[None]:
    """Create ``folder`` if needed and hold its lock for the whole run (audit included)."""
    prepare_folder(folder)
    try:
        with folder_lock(folder, wait_seconds):
            yield
    except OSError as exc:
        raise _folder_error(folder, exc) from exc


def _folder_error(folder: Path, exc: OSError) -> FolderError:
    # ENOSPC, EACCES or EROFS half-way: every file already written is whole, and the
    # records before this run were never touched.
    where = f" ({exc.filename})" if exc.filename else ""
    return FolderError(f"cannot write reports folder {folder}: {exc.strerror or exc}{where}")


def write_run(result: Report, markdown: str, options: RunOptions, warn: history.Warn) -> RunOutcome:
    """Add this run to ``options.folder``; the caller holds the folder (:func:`open_folder`).

    ``markdown`` is the run's Markdown report; what changed and the chart are added to it.
    """
    try:
        return _write_locked(result, markdown, options, warn)
    except OSError as exc:
        raise _folder_error(options.folder, exc) from exc


def _write_locked(
    result: Report, markdown: str, options: RunOptions, warn: history.Warn
) -> RunOutcome:
    folder = options.folder
    hist = history.read_history(folder)
    name = history.free_record_name(folder, options.moment)
    key = history.record_key(name)
    assert key is not None
    previous = _previous(hist, key)
    for problem in hist.problems:
        warn(problem)
    record = replace(
        result,
        as_of=result.as_of or options.moment,
        sections=(
            *result.sections,
            history.changes(result.findings, previous),
            history.RunSection(history.status_of(result), options.exit_code, name),
        ),
    )
    document = report_to_json(record)
    text = pretty(document)
    atomic_write_text(folder / name, text)
    line = history.summarize(name, record, len(text.encode("utf-8")))
    runs = [*hist.runs, line]
    runs.sort(key=history.sort_key)
    latest = runs[-1] is line
    before = report_to_json(previous) if previous is not None else None
    outcome = RunOutcome(
        folder / name,
        document,
        latest,
        crossed=crossings(document, before, options.warn_at_percent),
    )
    if options.keep_days is not None:
        outcome.pruned = _prune(folder, runs, name, options, warn)
        gone = set(outcome.pruned)
        runs = [r for r in runs if r["record"] not in gone]
    if hist.stale_index or outcome.pruned:
        # Rebuilt from the records: lines in record order.
        atomic_write_text(folder / history.HISTORY_NAME, history.index_text(runs))
    else:
        # Append-only: earlier lines keep their bytes, so the file diffs as one added line.
        earlier = _read_text(folder / history.HISTORY_NAME)
        atomic_write_text(folder / history.HISTORY_NAME, earlier + history.index_text([line]))
    if latest:
        _write_latest(folder, document, text, markdown)
    from costwatch.formats import html

    atomic_write_text(folder / "index.html", html.render_index(runs, folder))
    return outcome


def _read_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    return text if text.endswith("\n") or not text else text + "\n"


def _write_latest(folder: Path, document: Mapping[str, Any], text: str, markdown: str) -> None:
    from costwatch.formats import html

    svg = charts.egress_month(document)
    atomic_write_text(folder / "latest.json", text)
    atomic_write_text(folder / "latest.svg", svg)
    atomic_write_text(folder / "latest.md", markdown_with_changes(markdown, document))
    atomic_write_text(folder / "latest.html", html.render_latest(document))


def _prune(
    folder: Path, runs: list[dict[str, Any]], current: str, options: RunOptions, warn: history.Warn
) -> list[str]:
    assert options.keep_days is not None
    # Days are counted back from the newest run, so a backfill never prunes newer history.
    newest = max(parse_iso(str(runs[-1]["as_of"])), options.moment)
    pruned = []
    for name in history.expired(runs, newest, options.keep_days):
        if name == current:
            continue
        path = folder / name
        # Only a record this tool wrote: a record name and a costwatch report.
        try:
            history.load_record(path)
        except history.RecordError:
            continue
        try:
            path.unlink()
        except OSError as exc:
            warn(f"could not remove expired record {path}: {exc.strerror or exc}")
            continue
        pruned.append(name)
    return pruned


def finding_line(finding: Mapping[str, Any]) -> str:
    return (
        f"{finding.get('severity', '?')} {finding.get('rule_id', '?')} "
        f"{finding.get('resource', '')}: {finding.get('message', '')}"
    )


def markdown_with_changes(markdown: str, document: Mapping[str, Any]) -> str:
    """The run's Markdown with what changed and the month's chart (``latest.svg``) added."""
    changes = document["changes"]
    lines = ["", "## What changed", ""]
    if changes["since"] is None:
        lines.append("First run in this folder: nothing to compare with yet.")
    else:
        lines.append(
            f"Since {changes['since']}: {len(changes['new'])} new, "
            f"{len(changes['resolved'])} resolved, {changes['unchanged']} unchanged."
        )
        for mark, key in (("new", "new"), ("resolved", "resolved")):
            for finding in changes[key]:
                lines.append(f"- **{mark}** {_md_escape(finding_line(finding))}")
    lines += [
        "",
        "## This month's egress",
        "",
        "![Egress this month: used, even pace and forecast](latest.svg)",
        "",
    ]
    return markdown.rstrip("\n") + "\n" + "\n".join(lines)


def _md_escape(text: str) -> str:
    # A finding quotes file names and URLs from the site: keep them from becoming markup.
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def stdout_summary(outcome: RunOutcome) -> str:
    """A few lines fit for cron mail: status, what changed, egress, where the files are."""
    document = outcome.document
    counts = document.get("summary", {})
    status = document["run"]["status"]
    lines = [
        f"costwatch report as of {document['as_of']}: {counts.get('error', 0)} errors, "
        f"{counts.get('warning', 0)} warnings, {counts.get('note', 0)} notes ({status})"
    ]
    changes = outcome.changes
    if changes["since"] is None:
        lines.append("first run in this folder")
    else:
        lines.append(
            f"since {changes['since']}: {len(changes['new'])} new, "
            f"{len(changes['resolved'])} resolved, {changes['unchanged']} unchanged"
        )
        for mark, key in (("+", "new"), ("-", "resolved")):
            items = changes[key]
            lines += [f"  {mark} {finding_line(f)}" for f in items[:LISTED]]
            if len(items) > LISTED:
                lines.append(f"  {mark} ... and {len(items) - LISTED} more")
    lines.append(egress_line(document))
    lines += [f"! {text}" for text in outcome.crossed]
    for item in document.get("incomplete", []):
        if item.get("blocking", True):
            lines.append(f"not checked: {item.get('resource')}: {item.get('reason')}")
    where = outcome.record.parent
    shown = where / "latest.html" if outcome.latest else outcome.record
    lines.append(f"files: {shown} (record {outcome.record.name}, history {where / 'index.html'})")
    return "\n".join(lines) + "\n"


def egress_line(document: Mapping[str, Any]) -> str:
    usage = document.get("usage")
    egress = usage.get("egress") if isinstance(usage, dict) else None
    if not isinstance(egress, dict):
        return "egress: not read"
    used, forecast = egress.get("used_bytes"), egress.get("forecast_bytes")
    allowance = egress.get("allowance_bytes")
    if used is None or forecast is None:
        return f"egress: unknown ({egress.get('unknown', 'Monitoring could not be read')})"
    share = f" ({forecast / allowance:.0%})" if allowance else ""
    crossing = egress.get("crossing_at")
    runs_out = f", runs out {crossing}" if crossing else ""
    return (
        f"egress: {used / GIB:,.2f} GiB used, forecast {forecast / GIB:,.2f} GiB of "
        f"{(allowance or 0) / GIB:,.0f} GiB{share}{runs_out}"
    )


def notification_text(outcome: RunOutcome) -> str:
    """The short message a webhook gets: the first lines of the summary, no file paths."""
    document = outcome.document
    counts = document.get("summary", {})
    parts = [
        f"costwatch {document.get('usage', {}).get('project') or ''}".rstrip()
        + f" as of {document['as_of']}: {counts.get('error', 0)} errors, "
        f"{counts.get('warning', 0)} warnings ({document['run']['status']})"
    ]
    new = outcome.news
    if new:
        parts.append(f"{len(new)} findings:" if outcome.first else f"{len(new)} new:")
        parts += [f"- {finding_line(f)}" for f in new[:5]]
        if len(new) > 5:
            parts.append(f"- ... and {len(new) - 5} more")
    parts += outcome.crossed
    parts.append(egress_line(document))
    return "\n".join(parts)
