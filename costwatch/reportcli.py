"""The ``report``, ``history`` and ``schedule`` commands: unattended runs into a reports folder.

Registered on the main CLI by :mod:`costwatch.cli`; the wiring here stays thin: the folder
writer is :mod:`costwatch.reportdir`, the history :mod:`costwatch.history`, the schedules
:mod:`costwatch.schedule`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from costwatch.cli import (
    AsOfOpt,
    BucketOpt,
    ConfigOpt,
    FailOnOpt,
    ProjectOpt,
    app,
    fail,
    inputs,
    load,
)
from costwatch.config import Config
from costwatch.errors import CostwatchError

DirOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--dir",
        help="Reports folder [default: the config's reports_dir, else reports/ beside the "
        "config file, else ./reports].",
    ),
]


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ScheduleKind(StrEnum):
    CRON = "cron"
    SYSTEMD = "systemd"
    GITHUB = "github"


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
    typer.echo(f"costwatch: warning: {message}", err=True)


@app.command()
def report(
    folder: DirOpt = None,
    bucket: BucketOpt = None,
    project: ProjectOpt = None,
    config_path: ConfigOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
    keep_days: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--keep-days",
            min=1,
            help="Prune records older than this many days (each month's last run is kept) "
            "[default: the config's report_keep_days, else keep all].",
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, help="Seconds to wait for another run on the same folder."),
    ] = 60.0,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print nothing unless something is new, resolved, incomplete, or a forecast "
            "crossed a threshold since the last run.",
        ),
    ] = False,
    notify: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--notify",
            help='Webhook URL to POST {"text": ...} to when something is new or a forecast '
            "crossed a threshold (Slack, Google Chat, Discord /slack).",
        ),
    ] = None,
) -> None:
    """Run the audit and add it to a reports folder: record, latest.*, history, index.html."""
    from costwatch.audit import run_audit
    from costwatch.formats.base import OutputFormat, render
    from costwatch.formats.json_format import report_dict
    from costwatch.notify import NotifyError, check_url, post_text
    from costwatch.reportdir import RunOptions, open_folder, stdout_summary, write_run

    config, names, project_id, moment = inputs(config_path, bucket, project, as_of)
    target = reports_folder(folder, config)
    if notify:
        try:
            check_url(notify)
        except NotifyError as exc:
            fail(str(exc))
    threshold = fail_on or config.fail_on
    try:
        with open_folder(target, wait):
            result = run_audit(config, names, project_id, moment)
            code = result.exit_code(threshold)
            options = RunOptions(
                target,
                moment or result.generated_at,
                code,
                config.warn_at_percent,
                keep_days if keep_days is not None else config.report_keep_days,
            )
            outcome = write_run(
                report_dict(result), render(result, OutputFormat.MARKDOWN), options, warn
            )
    except CostwatchError as exc:
        fail(str(exc))
    if not quiet or outcome.noteworthy:
        sys.stdout.write(stdout_summary(outcome))
        sys.stdout.flush()
    for item in result.incomplete:
        if item.blocking:
            typer.echo(f"costwatch: not checked: {item.resource}: {item.reason}", err=True)
    if notify and outcome.alert:
        from costwatch.reportdir import notification_text

        try:
            post_text(notify, notification_text(outcome))
        except NotifyError as exc:
            warn(str(exc))
    raise typer.Exit(code)


@app.command()
def history(
    folder: DirOpt = None,
    config_path: ConfigOpt = None,
    fmt: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = HistoryFormat.TABLE,
) -> None:
    """Read a reports folder back: every run, and each billing month's latest figures."""
    from costwatch import history as store

    target = reports_folder(folder, load(config_path))
    if not target.is_dir():
        fail(f"reports folder {target} does not exist or is not a folder")
    found = store.read_history(target)
    for problem in found.problems:
        warn(problem)
    renderers = {
        HistoryFormat.TABLE: store.history_table,
        HistoryFormat.JSON: store.history_json,
        HistoryFormat.CSV: store.history_csv,
    }
    sys.stdout.write(renderers[fmt](found.runs))


@app.command()
def schedule(
    kind: Annotated[ScheduleKind, typer.Argument(help="cron, systemd or github.")],
    folder: DirOpt = None,
    config_path: ConfigOpt = None,
    at: Annotated[
        str, typer.Option("--at", help="Time of day to run, HH:MM (avoid :00).")
    ] = "06:17",
) -> None:
    """Print a ready-to-use daily schedule for `costwatch report` on this machine."""
    from costwatch.schedule import ScheduleError, render_schedule

    config = load(config_path)
    target = reports_folder(folder, config)
    try:
        text = render_schedule(kind.value, config, target, at, executable())
    except ScheduleError as exc:
        fail(str(exc))
    sys.stdout.write(text)


def executable() -> tuple[str, ...]:
    """The running costwatch: the console script beside this interpreter, else ``-m``."""
    script = Path(sys.executable).parent / "costwatch"
    if script.exists():
        return (str(script.absolute()),)
    return (str(Path(sys.executable).absolute()), "-m", "costwatch")
