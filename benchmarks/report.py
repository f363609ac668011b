"""Benchmark: a reports folder with three years of daily records.

Builds ``benchmarks/.work/reports`` with about 1,100 daily records made from the demo's audit
(each day's usage figures and findings varied), then measures:

- ``report`` minus the audit: everything ``costwatch report`` does once the audit has returned
  (read the history, load the record before, compute what changed, render Markdown, write the
  record, ``history.jsonl``, ``latest.*`` and ``index.html``), in process, median of runs;
- ``history --format json``: in process, and as a whole ``costwatch`` process;
- the same history read with no ``history.jsonl`` (every record parsed by the report loader);
- the size of ``index.html`` and of the folder.

    python benchmarks/report.py [--days 1100] [--runs 5]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from costwatch import history
from costwatch.demo.scenario import run_demo
from costwatch.findings import FailOn, Severity
from costwatch.formats.base import OutputFormat, render
from costwatch.formats.json_format import pretty
from costwatch.report import Report, UsageSection, report_to_json
from costwatch.reportdir import RunOptions, write_run

WORK = Path(__file__).parent / ".work"


def day_report(base: Report, moment: datetime, day: int) -> Report:
    """The demo's report moved to ``moment``, with that day's usage and a varying finding set."""
    usage = base.section(UsageSection)
    assert usage is not None
    factor = 0.4 + (day % 30) / 30
    figures = {
        name: replace(
            figure,
            used=None if figure.used is None else figure.used * factor,
            forecast=None if figure.forecast is None else figure.forecast * factor,
        )
        for name, figure in usage.figures.items()
    }
    moved: list[object] = [
        replace(usage, as_of=moment, figures=figures) if s is usage else s for s in base.sections
    ]
    findings = base.findings[: len(base.findings) - day % 4]
    return replace(
        base,
        generated_at=moment + timedelta(minutes=2),
        as_of=moment,
        findings=findings,
        sections=tuple(moved),  # type: ignore[arg-type]
    )


def build(folder: Path, days: int, base: Report) -> datetime:
    """Write ``days`` daily records and their ``history.jsonl`` directly (no index per day)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    start = datetime(2026, 11, 27, 14, 17, tzinfo=UTC) - timedelta(days=days)
    lines = []
    previous: Report | None = None
    for day in range(days):
        moment = start + timedelta(days=day)
        report = day_report(base, moment, day)
        name = history.free_record_name(folder, moment)
        record = replace(
            report,
            sections=(
                *report.sections,
                history.changes(report.findings, previous),
                history.RunSection(history.status_of(report), report.exit_code(FailOn.ERROR), name),
            ),
        )
        text = pretty(report_to_json(record))
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(history.summarize(name, record, len(text.encode())))
        previous = report
    (folder / history.HISTORY_NAME).write_text(history.index_text(lines), encoding="utf-8")
    return start + timedelta(days=days)


def timed(action: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = WORK / "reports"
    print("auditing the demo once (not timed)...", file=sys.stderr)
    base = run_demo(as_of=datetime(2026, 11, 20, 12, tzinfo=UTC))
    assert any(f.severity is Severity.ERROR for f in base.findings)
    started = time.perf_counter()
    next_moment = build(folder, args.days, base)
    built = time.perf_counter() - started
    records = len(list(folder.glob("2*.json")))
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"built {records} records ({size / 1e6:.1f} MB) in {built:.1f} s")

    moments = iter(next_moment + timedelta(hours=h) for h in range(args.runs))

    def one_report() -> None:
        moment = next(moments)
        report = day_report(base, moment, 0)
        markdown = render(report, OutputFormat.MARKDOWN)
        options = RunOptions(folder, moment, report.exit_code(FailOn.ERROR))
        write_run(report, markdown, options, lambda message: print(message, file=sys.stderr))

    report_times = timed(one_report, args.runs)

    def history_json() -> None:
        history.history_json(history.read_history(folder).runs)

    history_times = timed(history_json, args.runs)
    cli = [sys.executable, "-m", "costwatch", "history", "--dir", str(folder), "--format", "json"]
    process_times = timed(
        lambda: subprocess.run(cli, check=True, capture_output=True, timeout=120), args.runs
    )
    index = history.HISTORY_NAME
    saved = (folder / index).read_text()
    (folder / index).unlink()
    cold_times = timed(lambda: history.read_history(folder), 1)
    (folder / index).write_text(saved)
    index_bytes = (folder / "index.html").stat().st_size

    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"report minus the audit: median {statistics.median(report_times):.3f} s "
          f"(runs {', '.join(f'{t:.3f}' for t in report_times)})")  # fmt: skip
    print(f"history --format json in process: median {statistics.median(history_times):.3f} s")
    print(f"costwatch history --format json, whole process: "
          f"median {statistics.median(process_times):.3f} s")  # fmt: skip
    print(f"history with no history.jsonl (every record parsed): {cold_times[0]:.3f} s")
    print(f"index.html: {index_bytes / 1024:.0f} KiB ({index_bytes:,} bytes)")


if __name__ == "__main__":
    main()
