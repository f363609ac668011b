"""``costwatch check``: the pre-deploy gate's command line (registered in ``cli.py``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from costwatch.findings import FailOn, Finding, Incomplete
from costwatch.formats.base import OutputFormat

if TYPE_CHECKING:
    from costwatch.config import Config
    from costwatch.linkscan import LinkScanResult


def check(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime
        typer.Argument(help="Files or folders to check [default: the config's folder]."),
    ] = None,
    config_path: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--config", help="Config file (default: pyproject.toml, costwatch.toml)."),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.TABLE
    ),
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
    ] = None,
    fail_on: Annotated[
        Optional[FailOn],  # noqa: UP045
        typer.Option(
            "--fail-on", help="Lowest severity that makes the exit code 1 [default: error]."
        ),
    ] = None,
    var_file: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option("--var-file", help="Terraform variable file, as terraform -var-file."),
    ] = None,
    var: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--var", help="Terraform variable NAME=VALUE, as terraform -var."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Unknown values and unreadable files make the exit code 2."),
    ] = False,
    live: Annotated[
        bool,
        typer.Option("--live", help="Also read the named buckets through the API (credentials)."),
    ] = False,
    exclude: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--exclude", help="Glob of paths to skip (repeatable)."),
    ] = None,
    baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--baseline", help="Accept the findings recorded in this baseline file."),
    ] = None,
    write_baseline: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--write-baseline", help="Record today's findings as accepted, then exit."),
    ] = None,
) -> None:
    """Pre-deploy gate: Terraform, plans, deploy scripts and CI files, offline. No credentials."""
    from costwatch.baseline import write_baseline as save_baseline
    from costwatch.cli import emit, fail, load
    from costwatch.errors import CostwatchError
    from costwatch.gate import CheckOptions, run_check
    from costwatch.report import Report, relative_uri
    from costwatch.sources.iac.hcl import VarInputs, parse_cli_var

    config = load(config_path)
    default_root = config.source.parent if config.source else Path.cwd()
    targets = tuple(paths) if paths else (default_root,)
    for target in targets:
        if not target.exists():
            fail(f"path not found: {target}")
    for item in var_file or ():
        if not item.is_file():
            fail(f"--var-file not found: {item}")
    try:
        cli_vars = tuple(parse_cli_var(item) for item in var or ())
    except ValueError as exc:
        fail(str(exc))
    options = CheckOptions(
        targets,
        Path.cwd(),
        VarInputs(tuple(var_file or ()), cli_vars),
        strict,
        None if write_baseline else baseline,
        tuple(exclude or ()),
    )
    try:
        result = run_check(config, options)
        findings: list[Finding] = list(result.findings)
        incomplete: list[Incomplete] = list(result.incomplete)
        sections = {"check": result.section}
        if config.site:
            links = _site_links(config)
            findings += links.findings
            incomplete += links.incomplete
            sections["links"] = links.section
        if live:
            live_findings, live_incomplete = _live(config, result.bucket_names)
            findings += live_findings
            incomplete += live_incomplete
        if write_baseline is not None:
            count = save_baseline(write_baseline, findings)
            typer.echo(f"costwatch: wrote {count} baseline entries to {write_baseline}", err=True)
            raise typer.Exit(0)
    except CostwatchError as exc:
        fail(str(exc))
    from costwatch.rules.registry import BUCKET_RULES

    report = Report.build(
        "check",
        datetime.now(UTC),
        findings,
        incomplete,
        sections=sections,
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=tuple(rule.id for rule in BUCKET_RULES),
    )
    emit(report, fmt, output, fail_on or config.fail_on)


def _site_links(config: Config) -> LinkScanResult:
    """The link scan over the config's ``site`` folders and their build output."""
    from costwatch.linkscan import LinkOptions, scan_settings, scan_site
    from costwatch.report import relative_uri
    from costwatch.sources.site import SECTION as SITE_SECTION

    root = config.source.parent if config.source else Path.cwd()
    present = tuple(p for p in config.site if p.exists())
    settings = scan_settings(config, include_build=True)
    options = LinkOptions(present, root, datetime.now(UTC), settings)
    result = scan_site(options, config.buckets)
    missing = tuple(
        Incomplete(SITE_SECTION, relative_uri(p) or str(p), "site path not found")
        for p in config.site
        if not p.exists()
    )
    return LinkScanResult(result.findings, missing + result.incomplete, result.section)


def _live(config: Config, found: tuple[str, ...]) -> tuple[list[Finding], list[Incomplete]]:
    """The bucket audit (no usage) of the config's buckets and those the files name."""
    import os

    from costwatch.audit import judge_buckets
    from costwatch.sources.gcs import ApiSettings, read_buckets

    names = tuple(dict.fromkeys((*config.buckets, *found)))
    project = os.environ.get("GOOGLE_CLOUD_PROJECT") or config.project
    api = ApiSettings(config.api_timeout_seconds, config.api_retry_seconds)
    reading = read_buckets(names, project, api)
    return judge_buckets(reading.snapshots, config), list(reading.incomplete)
