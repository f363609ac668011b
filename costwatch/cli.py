"""The command line: parse, load config, call the engine, render, choose the exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 the run could
not do what was asked (bad input, or something could not be checked).
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from costwatch import __version__
from costwatch.cli_startup import LeanGroup, for_args
from costwatch.config import Config, load_config, validate_bucket_name, validate_project
from costwatch.errors import CostwatchError
from costwatch.findings import FailOn, IncompleteKind
from costwatch.formats.base import OutputFormat, render
from costwatch.reportcli import (
    AtOpt,
    DirOpt,
    HistoryFormat,
    KeepDaysOpt,
    NotifyOpt,
    QuietOpt,
    ScheduleKind,
    WaitOpt,
)
from costwatch.textsafe import safe_line

# Each command imports what it runs: `--help` and `rules` start with little more than Typer.
if TYPE_CHECKING:
    from costwatch.report import Report

app = typer.Typer(
    name="costwatch",
    help=(
        "Keep a public Cloud Storage bucket on the Always Free tier, working, and leak-free.\n\n"
        "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad input or incomplete run."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LeanGroup,
)

ConfigOpt = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime
    typer.Option(
        "--config",
        help="Config file (default: pyproject.toml's [tool.costwatch], "
        "else costwatch.toml, in the current folder).",
    ),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
]
FailOnOpt = Annotated[
    Optional[FailOn],  # noqa: UP045
    typer.Option("--fail-on", help="Lowest severity that makes the exit code 1 [default: error]."),
]


BucketOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--bucket", "-b", help="Bucket (repeatable) [default: the config's buckets]."),
]
ProjectOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--project", help="Project ID [default: $GOOGLE_CLOUD_PROJECT, then config]."),
]
AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--as-of", help="Judge as of this ISO 8601 time instead of now."),
]
ExcludeOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--exclude", help="Glob of paths to skip (repeatable)."),
]
BaselineOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--baseline", help="Accept the findings recorded in this baseline file."),
]
WriteBaselineOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--write-baseline", help="Record today's findings as accepted, then exit."),
]


HOUR = timedelta(hours=1)


def now() -> datetime:
    """The one clock of a run: the engine is handed moments, it never reads the time."""
    return datetime.now(UTC)


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2."""
    say(f"error: {message}")
    raise typer.Exit(2)


def say(message: str) -> None:
    """One diagnostic line on stderr, control characters escaped (a stderr that is closed
    takes nothing, silently)."""
    typer.echo(f"costwatch: {safe_line(message)}", err=True)


def out(text: str) -> None:
    """Text to stdout; a write error there is one line on stderr and exit code 2."""
    from costwatch.output import StdoutGone, write_stdout

    try:
        write_stdout(text)
    except StdoutGone:
        raise typer.Exit(2) from None
    except CostwatchError as exc:
        fail(str(exc))


def _version(value: bool) -> None:
    if value:
        out(f"costwatch {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Keep a public Cloud Storage bucket on the Always Free tier, working, and leak-free."""


def emit(report: Report, fmt: OutputFormat, output: Path | None, fail_on: FailOn) -> NoReturn:
    """Render the report to stdout or ``output`` and exit with the report's code."""
    if output == Path("-"):
        output = None  # the usual spelling of stdout
    color = (
        output is None
        and fmt is OutputFormat.TABLE
        and sys.stdout is not None
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    text = render(report, fmt, color=color, fail_on=fail_on)
    if fmt is OutputFormat.GITHUB and os.environ.get("GITHUB_STEP_SUMMARY"):
        append_step_summary(report, Path(os.environ["GITHUB_STEP_SUMMARY"]))
    if output is None:
        out(text)
    else:
        from costwatch.output import write_file

        try:
            write_file(output, text)
        except CostwatchError as exc:
            fail(str(exc))
    skipped = unknown = 0
    for item in report.incomplete:
        if item.blocking:
            say(f"not checked: {item.resource}: {item.reason}")
        elif item.kind is IncompleteKind.SKIPPED:
            skipped += 1
        else:
            unknown += 1
    if skipped:
        say(f"skipped {skipped} file(s); see the report")
    if unknown:
        say(f"{unknown} not checked (values not known); see the report, --strict makes it exit 2")
    raise typer.Exit(report.exit_code(fail_on))


def guard_output(output: Path | None, config: Config, *inputs: tuple[str, Path | None]) -> None:
    """Before any work: ``--output`` must not be the config or another file the run reads."""
    if output is None or output == Path("-"):
        return
    from costwatch.output import check_output_target

    try:
        check_output_target(output, [("config file", config.source), *inputs])
    except CostwatchError as exc:
        fail(str(exc))


def append_step_summary(report: Report, path: Path) -> None:
    """Append (never overwrite) the Markdown summary GitHub shows on the run's page."""
    from costwatch.formats.github import summary

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(summary(report))
    except OSError as exc:
        fail(f"cannot append the job summary to {path}: {exc.strerror or exc}")


def load(config_path: Path | None) -> Config:
    try:
        return load_config(config_path)
    except CostwatchError as exc:
        fail(str(exc))
    except RecursionError:
        fail(f"config {config_path or 'file'} is nested too deeply to read")


def resolve_project(flag: str | None, config: Config) -> str | None:
    if flag:
        return _project(flag, "--project")
    env = os.environ.get("GOOGLE_CLOUD_PROJECT")
    if env:
        return _project(env, "$GOOGLE_CLOUD_PROJECT")
    return config.project


def _project(value: str, where: str) -> str:
    try:
        return validate_project(value, where)
    except CostwatchError as exc:
        fail(str(exc))


@app.command()
def audit(
    bucket: BucketOpt = None,
    project: ProjectOpt = None,
    config_path: ConfigOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Full audit: buckets, this month's usage against the free tier, and the site's links."""
    from costwatch.checks.audit import run_audit

    config, names, project_id, moment = inputs(config_path, bucket, project, as_of)
    guard_output(output, config, *(("file to scan", p) for p in config.site if p.is_file()))
    report = run_audit(config, names, project_id, moment, now=now())
    emit(report, fmt, output, fail_on or config.fail_on)


@app.command()
def usage(
    bucket: BucketOpt = None,
    project: ProjectOpt = None,
    config_path: ConfigOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """This month's egress, operations and storage against the free allowance, with a forecast."""
    from costwatch.checks.usage import run_usage
    from costwatch.report import build_report, relative_uri
    from costwatch.rules.registry import rule_ids

    config, names, project_id, moment = inputs(config_path, bucket, project, as_of)
    guard_output(output, config)
    clock = now()
    result = run_usage(config, project_id, moment, {n: "" for n in names}, now=clock)
    report = build_report(
        "usage",
        clock,
        result.findings,
        result.incomplete,
        sections=[result.section] if result.section else [],
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=rule_ids("usage"),
        as_of=moment,
        project=project_id,
        api_calls=result.api_calls,
    )
    emit(report, fmt, output, fail_on or config.fail_on)


def inputs(
    config_path: Path | None, buckets: list[str] | None, project: str | None, as_of: str | None
) -> tuple[Config, tuple[str, ...], str | None, datetime | None]:
    """The config, bucket names, project and moment the commands that read the cloud share."""
    config = load(config_path)
    try:
        names = tuple(validate_bucket_name(b) for b in buckets) if buckets else config.buckets
    except CostwatchError as exc:
        fail(str(exc))
    moment = parse_as_of(as_of) if as_of else None
    if moment is not None and moment > now():
        fail(f"--as-of {as_of} is in the future: usage can only be read up to now")
    return config, names, resolve_project(project, config), moment


#: The moments ``--as-of`` may name: billing months, Pacific days and signed-URL expiries are
#: computed around them, and Python's dates end at year 9999.
AS_OF_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
AS_OF_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_as_of(value: str | None) -> datetime:
    """An ISO 8601 moment (``2026-11-05``, ``2026-11-05T08:00:00-08:00``); naive means UTC."""
    if value is None:
        return now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r} is not an ISO 8601 date or time (e.g. 2026-11-05T08:00:00Z)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        moment = AS_OF_LATEST if moment.year > 2000 else AS_OF_EARLIEST - HOUR
    if not AS_OF_EARLIEST <= moment < AS_OF_LATEST:
        fail(
            f"--as-of {value!r} is out of range: use a moment from "
            f"{AS_OF_EARLIEST.year} to {AS_OF_LATEST.year - 1}"
        )
    return moment


@app.command()
def links(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(help="Files or folders to scan [default: the config's `site`]."),
    ] = None,
    config_path: ConfigOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Skipped files (binary, too large) make the exit code 2."),
    ] = False,
    include_build: Annotated[
        bool,
        typer.Option("--include-build", help="Also scan build output (dist, build, .next...)."),
    ] = False,
    exclude: ExcludeOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = None,
) -> None:
    """Scan a site's source for image links that will break, leak or cost. Offline."""
    from costwatch.baseline import write_baseline as save_baseline
    from costwatch.linkscan import LinkOptions, missing_paths, scan_settings, scan_site
    from costwatch.report import LinksSection, build_report, relative_uri
    from costwatch.rules.links import LINK_RULES

    config = load(config_path)
    targets = tuple(paths) if paths else config.site
    if not targets:
        fail("no paths to scan: name them (costwatch links PATH...) or set `site` in the config")
    missing = missing_paths(targets)
    if missing:
        fail(f"path not found: {missing[0]}")
    if baseline is not None and baseline.exists() and not baseline.is_file():
        # A named pipe would block the read forever; a folder or device is a mistake.
        fail(f"baseline {baseline} is not a regular file")
    guard_output(
        output,
        config,
        ("baseline", baseline),
        ("baseline", write_baseline),
        *(("file to scan", p) for p in targets if p.is_file()),
    )
    settings = scan_settings(config, include_build=include_build, exclude=exclude or ())
    options = LinkOptions(
        targets,
        Path.cwd(),
        parse_as_of(as_of),
        settings,
        strict,
        None if write_baseline else baseline,
    )
    try:
        result = scan_site(options, config.buckets)
        if write_baseline is not None:
            count = save_baseline(write_baseline, result.findings)
            typer.echo(f"costwatch: wrote {count} baseline entries to {write_baseline}", err=True)
            raise typer.Exit(0)
    except CostwatchError as exc:
        fail(str(exc))
    except RecursionError:
        # Python's JSON reader recurses once per level: a hostile baseline can nest deeper.
        fail(f"baseline {baseline} is nested too deeply to read")
    report = build_report(
        "links",
        now(),
        result.findings,
        result.incomplete,
        sections=[LinksSection.from_json(result.section)],
        config_path=relative_uri(config.source),
        rules=tuple(rule.id for rule in LINK_RULES),
        as_of=options.as_of,
    )
    emit(report, fmt, output, fail_on or config.fail_on)


@app.command()
def check(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(help="Files or folders to check [default: the config's folder]."),
    ] = None,
    config_path: ConfigOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    var_file: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--var-file", help="Terraform variable file, as terraform -var-file."),
    ] = None,
    var: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--var", help="Terraform variable NAME=VALUE, as terraform -var."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Unknown values and unreadable files exit 2.")
    ] = False,
    live: Annotated[
        bool, typer.Option("--live", help="Also read the named buckets through the API.")
    ] = False,
    exclude: ExcludeOpt = None,
    baseline: BaselineOpt = None,
    write_baseline: WriteBaselineOpt = None,
) -> None:
    """Pre-deploy gate: Terraform, plans, deploy scripts and CI files. Offline, no credentials."""
    from costwatch.baseline import write_baseline as save_baseline
    from costwatch.checks.gate import CheckOptions, run_check
    from costwatch.sources.iac.hcl import VarInputs, parse_cli_var

    config = load(config_path)
    targets = tuple(paths) if paths else (config.source.parent if config.source else Path("."),)
    missing = [p for p in (*targets, *(var_file or ())) if not p.exists()]
    if missing:
        fail(f"path not found: {missing[0]}")
    try:
        inputs = VarInputs(tuple(var_file or ()), tuple(parse_cli_var(v) for v in var or ()))
    except ValueError as exc:
        fail(str(exc))
    base = None if write_baseline else baseline
    options = CheckOptions(targets, Path.cwd(), inputs, strict, base, tuple(exclude or ()))
    try:
        report = run_check(config, options, now(), live=live)
        if write_baseline is not None:
            count = save_baseline(write_baseline, report.findings)
            typer.echo(f"costwatch: wrote {count} baseline entries to {write_baseline}", err=True)
            raise typer.Exit(0)
    except CostwatchError as exc:
        fail(str(exc))
    emit(report, fmt, output, fail_on or config.fail_on)


@app.command()
def objects(
    bucket: BucketOpt = None,
    project: ProjectOpt = None,
    config_path: ConfigOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
    inventory: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--inventory", help="Storage Insights inventory report (FILE or gs://...)."),
    ] = None,
    local: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--local", help="Judge a build folder before upload (offline unless --bucket)."
        ),
    ] = None,
    max_list_ops: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--max-list-ops",
            min=1,
            help="Most objects.list pages (Class A operations) one listing may spend "
            "[default: config max_list_ops, else 100].",
        ),
    ] = None,
    cache_hit_ratio: Annotated[
        float,
        typer.Option(
            "--cache-hit-ratio",
            min=0.0,
            max=0.99,
            help="Share of object loads browsers serve from their cache (0: conservative).",
        ),
    ] = 0.0,
    fresh_month: Annotated[
        bool, typer.Option("--fresh-month", help="Capacity on the whole month's allowance.")
    ] = False,
) -> None:
    """Each object's cost and breakage, and how many page views the free tier carries."""
    from costwatch.checks.capacity_cache import remember_sizes
    from costwatch.checks.objects import ObjectOptions, objects_report, run_objects
    from costwatch.checks.objects_local import run_local
    from costwatch.progress import listing_progress

    config, names, project_id, moment = inputs(config_path, bucket, project, as_of)
    if local is not None:
        names = names if bucket else ()  # compare with a bucket only when one is named
    options = ObjectOptions(
        names,
        project_id,
        inventory,
        local,
        max_list_ops or config.max_list_ops,
        cache_hit_ratio,
        fresh_month,
        moment,
    )
    clock = now()
    try:
        with listing_progress(sys.stderr.isatty() and bool(names)) as on_page:
            check = run_objects if local is None else run_local
            result = check(config, options, now=clock, on_page=on_page)
    except CostwatchError as exc:
        fail(str(exc))
    remember_sizes(config, result, clock)
    emit(objects_report(result, config, options, clock), fmt, output, fail_on or config.fail_on)


@app.command()
def report(
    folder: DirOpt = None,
    bucket: BucketOpt = None,
    project: ProjectOpt = None,
    config_path: ConfigOpt = None,
    fail_on: FailOnOpt = None,
    as_of: AsOfOpt = None,
    keep_days: KeepDaysOpt = None,
    wait: WaitOpt = 60.0,
    quiet: QuietOpt = False,
    notify: NotifyOpt = None,
) -> None:
    """Run the audit into a reports folder: a record, latest.*, history, index.html."""
    from costwatch.reportcli import ReportRequest, run_report

    config, names, project_id, moment = inputs(config_path, bucket, project, as_of)
    threshold = fail_on or config.fail_on
    request = ReportRequest(
        config, names, project_id, moment, now(), folder, threshold, keep_days, wait, quiet, notify
    )
    try:
        code = run_report(request)
    except CostwatchError as exc:
        fail(str(exc))
    raise typer.Exit(code)


@app.command()
def history(
    folder: DirOpt = None,
    config_path: ConfigOpt = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f")] = HistoryFormat.TABLE,
) -> None:
    """Read a reports folder back: every run, and each billing month's latest figures."""
    from costwatch.reportcli import show_history

    try:
        show_history(folder, load(config_path), fmt)
    except CostwatchError as exc:
        fail(str(exc))


@app.command()
def schedule(
    kind: Annotated[ScheduleKind, typer.Argument(help="cron, systemd or github.")],
    folder: DirOpt = None,
    config_path: ConfigOpt = None,
    at: AtOpt = "06:17",
) -> None:
    """Print a ready-to-use daily schedule for `costwatch report` on this machine."""
    from costwatch.reportcli import show_schedule

    try:
        show_schedule(kind, folder, load(config_path), at)
    except CostwatchError as exc:
        fail(str(exc))


@app.command()
def rules(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = OutputFormat.TABLE,
) -> None:
    """List every rule with its ID, severity and title."""
    from costwatch.formats.catalog import render_catalog

    try:
        text = render_catalog(fmt)
    except CostwatchError as exc:
        fail(str(exc))
    out(text)


@app.command()
def demo(
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
    ] = FailOn.NEVER,
    report_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--report", help="Also write a reports folder with months of history."),
    ] = None,
) -> None:
    """Audit a sample gallery project on an emulated cloud: no Google account, no network."""
    from costwatch.demo.scenario import run_demo

    try:
        if report_dir is not None:
            from costwatch.demo.reporting import demo_report_cli

            demo_report_cli(report_dir, now())
        report = run_demo()
    except CostwatchError as exc:
        fail(str(exc))
    emit(report, fmt, output, fail_on)


def main() -> None:
    """Run the CLI; an unexpected error is one line on stderr and exit code 2, not a traceback.

    Set COSTWATCH_DEBUG=1 to see the traceback of an unexpected error.
    """
    from costwatch.output import install_closed_stdout, install_safe_stderr

    install_closed_stdout()
    install_safe_stderr()
    try:
        for_args(app, sys.argv[1:])(prog_name="costwatch", standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("costwatch: interrupted", err=True)
        sys.exit(130)
    except RecursionError:
        say("error: an input file is nested too deeply to read")
        sys.exit(2)
    except OSError as exc:
        # A system call failed outside any place that could name the input: still a plain
        # reason (what and where), never an internal error.
        from costwatch.output import silence_stdout

        if exc.errno == errno.EPIPE:
            silence_stdout()
            sys.exit(2)
        where = f": {exc.filename}" if exc.filename else ""
        say(f"error: {exc.strerror or exc}{where}")
        if exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO):
            silence_stdout()
        sys.exit(2)
    except Exception as exc:
        if os.environ.get("COSTWATCH_DEBUG"):
            raise
        text = " ".join(str(exc).split())[:300]
        typer.echo(
            f"costwatch: error: unexpected {type(exc).__name__}: {text} "
            "(set COSTWATCH_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(2)
    finally:
        # The process ends next. Without this the collector's last pass at exit visits
        # every object left (a large report's tens of thousands of findings) only for them
        # to be freed anyway when the modules are: about 20 ms on a large link scan.
        gc.freeze()
