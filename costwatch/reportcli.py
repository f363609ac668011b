"""What ``report``, ``history`` and ``schedule`` do once :mod:`costwatch.cli` has parsed them.

The commands are declared in ``cli.py`` (a few lines each) and call these functions with plain
values; errors are :class:`CostwatchError` for the CLI to turn into one line and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from costwatch.config import Config
from costwatch.errors import CostwatchError
from costwatch.findings import FailOn
from costwatch.textsafe import safe_line, safe_text

DirOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--dir",
        help="Reports folder [default: the config's reports_dir, else reports/ beside the "
        "config file, else ./reports].",
    ),
]
KeepDaysOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--keep-days",
        min=1,
        help="Prune records older than this many days (each month's last run is kept) "
        "[default: the config's report_keep_days, else keep all].",
    ),
]
WaitOpt = Annotated[
    float,
    typer.Option("--wait", min=0, help="Seconds to wait for another run on the same folder."),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Print nothing unless something is new, resolved, incomplete, or a forecast "
        "crossed a threshold since the last run.",
    ),
]
NotifyOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--notify",
        help='Webhook URL to POST {"text": ...} to when something is new or a forecast '
        "crossed a threshold (Slack, Google Chat, Discord /slack).",
    ),
]
AtOpt = Annotated[str, typer.Option("--at", help="Time of day to run, HH:MM (avoid :00).")]


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ScheduleKind(StrEnum):
    CRON = "cron"
    SYSTEMD = "systemd"
    GITHUB = "github"


@dataclass(frozen=True)
class ReportRequest:
    """One ``costwatch report`` run as the CLI parsed it."""

    config: Config
    buckets: tuple[str, ...]
    project: str | None
    as_of: datetime | None
    now: datetime
    folder: Path | None
    fail_on: FailOn
    keep_days: int | None = None
    wait: float = 60.0
    quiet: bool = False
    notify: str | None = None


def reports_folder(flag: Path | None, config: Config) -> Path:
    """``--dir``, else the config's ``reports_dir``, else beside the config, else ./reports."""
    if flag is not None:
        return flag
    if config.reports_dir is not None:
        return config.reports_dir
    if config.source is not None:
        return config.source.parent / "reports"
    return Path("reports")


def warn(message: str) -> None:
    typer.echo(f"costwatch: warning: {safe_line(message)}", err=True)


def safe_lines(text: str) -> str:
    """Text for a terminal: each line through the output boundary, line breaks kept."""
    return "\n".join(safe_text(line) for line in text.split("\n"))


def run_report(request: ReportRequest, echo: Callable[[str], None] = warn) -> int:
    """Audit under the folder's lock, write the run, print the summary; the exit code."""
    from costwatch.checks.audit import run_audit
    from costwatch.formats.base import OutputFormat, render
    from costwatch.notify import NotifyError, check_url, post_text
    from costwatch.reportdir import (
        RunOptions,
        notification_text,
        open_folder,
        stdout_summary,
        write_run,
    )

    config = request.config
    target = reports_folder(request.folder, config)
    if request.notify:
        check_url(request.notify)
    with open_folder(target, request.wait):
        result = run_audit(config, request.buckets, request.project, request.as_of, now=request.now)
        code = result.exit_code(request.fail_on)
        options = RunOptions(
            target,
            request.as_of or request.now,
            code,
            config.warn_at_percent,
            request.keep_days if request.keep_days is not None else config.report_keep_days,
        )
        outcome = write_run(result, render(result, OutputFormat.MARKDOWN), options, echo)
    if not request.quiet or outcome.noteworthy:
        sys.stdout.write(safe_lines(stdout_summary(outcome)))
        sys.stdout.flush()
    for item in result.incomplete:
        if item.blocking:
            typer.echo(
                f"costwatch: not checked: {safe_line(f'{item.resource}: {item.reason}')}",
                err=True,
            )
    if request.notify and outcome.alert:
        try:
            post_text(request.notify, notification_text(outcome))
        except NotifyError as exc:
            echo(str(exc))
    return code


def show_history(folder: Path | None, config: Config, fmt: HistoryFormat) -> None:
    """Print the folder's runs and months; unreadable files are warnings on stderr."""
    from costwatch import history as store

    target = reports_folder(folder, config)
    if not target.is_dir():
        raise CostwatchError(f"reports folder {target} does not exist or is not a folder")
    found = store.read_history(target)
    for problem in found.problems:
        warn(problem)
    renderers = {
        HistoryFormat.TABLE: store.history_table,
        HistoryFormat.JSON: store.history_json,
        HistoryFormat.CSV: store.history_csv,
    }
    text = renderers[fmt](found.runs)
    sys.stdout.write(safe_lines(text) if fmt is HistoryFormat.TABLE else text)


def show_schedule(kind: ScheduleKind, folder: Path | None, config: Config, at: str) -> None:
    from costwatch.schedule import render_schedule

    text = render_schedule(kind.value, config, reports_folder(folder, config), at, executable())
    sys.stdout.write(text)


def executable() -> tuple[str, ...]:
    """The running costwatch: the console script beside this interpreter, else ``-m``."""
    script = Path(sys.executable).parent / "costwatch"
    if script.exists():
        return (str(script.absolute()),)
    return (str(Path(sys.executable).absolute()), "-m", "costwatch")
