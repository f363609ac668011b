"""``costwatch demo --report DIR``: a reports folder with a few months of earlier runs.

Every run, seeded or current, goes through the same code path as ``costwatch report``: the
audit against the emulated Cloud Storage and Monitoring, then the folder writer. Earlier
months see less traffic, and a setting changes along the way, so the month-over-month chart
and "what changed" have something to show.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from costwatch.billing import PACIFIC, billing_period
from costwatch.config import Config, load_config
from costwatch.demo.cloud import SeedBucket, demo_seed, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, StoredSeries, monitoring_emulator
from costwatch.demo.scenario import materialize
from costwatch.demo.usage_seed import PROJECT, demo_usage
from costwatch.findings import FailOn
from costwatch.reportdir import RunOptions, RunOutcome, open_folder, write_run

#: Traffic in earlier months as a share of this month's (a gallery that is growing).
GROWTH = {1: 0.8, 2: 0.6, 3: 0.45}
#: Days of the month (Pacific) with a seeded run, by how many months back; 0 is the last day.
RUN_DAYS = {3: (0,), 2: (15, 0), 1: (1, 8, 15, 22, 0)}
RUN_HOUR = 6
RUN_MINUTE = 17


def _month_back(as_of: datetime, back: int) -> tuple[int, int]:
    local = as_of.astimezone(PACIFIC)
    index = local.year * 12 + local.month - 1 - back
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def seeded_moments(as_of: datetime) -> list[tuple[datetime, int]]:
    """(moment, months back) of every earlier run, oldest first, all before ``as_of``."""
    moments = []
    for back, days in sorted(RUN_DAYS.items(), reverse=True):
        year, month = _month_back(as_of, back)
        for day in days:
            local = datetime(
                year, month, day or _last_day(year, month), RUN_HOUR, RUN_MINUTE, tzinfo=PACIFIC
            )
            moments.append((local.astimezone(UTC), back))
    local = as_of.astimezone(PACIFIC)
    for day in range(1, local.day, 7):
        moment = datetime(local.year, local.month, day, RUN_HOUR, RUN_MINUTE, tzinfo=PACIFIC)
        if moment.astimezone(UTC) < as_of - timedelta(hours=12):
            moments.append((moment.astimezone(UTC), 0))
    return sorted(m for m in moments if m[0] < as_of)


def _scaled(series: list[StoredSeries], factor: float) -> list[StoredSeries]:
    if factor == 1:
        return series
    return [
        s
        if s.kind == "GAUGE"
        else replace(s, points=[(a, b, round(v * factor)) for a, b, v in s.points])
        for s in series
    ]


def earlier_seed() -> list[SeedBucket]:
    """The buckets before two fixes and one mistake: versioning without cleanup on the image
    bucket (fixed since), and requester pays turned on later on the EU thumbnails."""
    out = []
    for bucket in demo_seed():
        resource: dict[str, Any] = json.loads(json.dumps(bucket.resource))
        if resource["name"] == "aiart-gallery-images":
            resource["versioning"] = {"enabled": True}
        if resource["name"] == "aiart-thumbs-eu":
            resource.pop("billing", None)
        out.append(SeedBucket(resource, bucket.iam))
    return out


def write_demo_reports(
    folder: Path,
    as_of: datetime | None = None,
    warn: Callable[[str], None] = print,
    *,
    now: datetime | None = None,
) -> RunOutcome:
    """Seed ``folder`` with earlier runs, then add the current run; return the current one."""
    from costwatch.checks.audit import run_audit
    from costwatch.formats.base import OutputFormat, render

    clock = now or datetime.now(UTC)
    current = billing_period(as_of, now=clock).as_of
    plan = seeded_moments(current)
    cutoff = current  # the current run alone sees today's buckets: "what changed" shows it
    with tempfile.TemporaryDirectory(prefix="costwatch-demo-") as tmp, open_folder(folder, 60):
        config = load_config(materialize(Path(tmp)))
        outcome = None
        for seed, moments in _by_seed([*plan, (current, 0)], cutoff):
            with storage_emulator(seed):
                for moment, back in moments:
                    usage = _scaled(demo_usage(billing_period(moment)), GROWTH.get(back, 1.0))
                    emulator = MetricServiceEmulator(PROJECT, usage, page_series=4)
                    # A seeded run stands for one that ran a few minutes after its moment.
                    ran = clock if moment == current else moment + timedelta(minutes=2)
                    with monitoring_emulator(emulator):
                        report = run_audit(config, config.buckets, config.project, moment, now=ran)
                    options = _options(config, folder, moment, report.exit_code(FailOn.ERROR))
                    markdown = render(report, OutputFormat.MARKDOWN)
                    outcome = write_run(report, markdown, options, warn)
    assert outcome is not None
    return outcome


def _by_seed(
    moments: list[tuple[datetime, int]], cutoff: datetime
) -> Iterator[tuple[list[SeedBucket], list[tuple[datetime, int]]]]:
    early = [m for m in moments if m[0] < cutoff]
    late = [m for m in moments if m[0] >= cutoff]
    if early:
        yield earlier_seed(), early
    if late:
        yield demo_seed(), late


def _options(config: Config, folder: Path, moment: datetime, code: int) -> RunOptions:
    return RunOptions(folder, moment, code, config.warn_at_percent, None)


def demo_report_cli(folder: Path, now: datetime | None = None) -> None:
    """``demo --report DIR``: write the folder, then say on stderr how to open it."""
    import sys

    def warn(message: str) -> None:
        print(f"costwatch: warning: {message}", file=sys.stderr)

    write_demo_reports(folder, warn=warn, now=now)
    index = (folder / "index.html").absolute()
    print(
        f"costwatch: wrote a reports folder with {_count(folder)} runs; open {index} "
        f"(or {index.parent / 'latest.html'}) in a browser",
        file=sys.stderr,
    )


def _count(folder: Path) -> int:
    from costwatch.history import read_history

    return len(read_history(folder).runs)
