"""``costwatch demo``: the real audit code path against the emulated gallery project."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from costwatch.billing import billing_period
from costwatch.config import Config, load_config
from costwatch.demo.cloud import demo_seed, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, monitoring_emulator
from costwatch.demo.usage_seed import PROJECT, demo_usage
from costwatch.findings import sort_findings
from costwatch.report import Report


def materialize(target: Path) -> Path:
    """Copy the demo config (and site) into ``target``; return the config path."""
    data = resources.files("costwatch.demo").joinpath("data")
    with resources.as_file(data) as source:
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target / "costwatch.toml"


def run_demo(as_of: datetime | None = None, *, now: datetime | None = None) -> Report:
    """The audit of the demo project, as of ``as_of`` (default: ``now``)."""
    from costwatch.checks.audit import run_audit
    from costwatch.checks.capacity_cache import remember_sizes
    from costwatch.checks.objects import RULE_IDS, ObjectOptions, run_objects
    from costwatch.demo.objects_seed import demo_objects, upload_objects

    clock = now or datetime.now(UTC)
    period = billing_period(as_of, now=clock)
    monitoring = MetricServiceEmulator(PROJECT, demo_usage(period), page_series=4)
    with tempfile.TemporaryDirectory(prefix="costwatch-demo-") as tmp:
        config = load_config(materialize(Path(tmp)))
        with storage_emulator(demo_seed()), monitoring_emulator(monitoring):
            upload_objects(demo_objects(), PROJECT)
            objects = ObjectOptions(config.buckets, config.project, as_of=period.as_of)
            found = run_objects(config, objects, now=clock)
            remember_sizes(config, found, clock)
            report = run_audit(config, config.buckets, config.project, period.as_of, now=clock)
        # The demo shows the objects run's findings beside the audit's, in one report.
        report = replace(
            report,
            findings=tuple(sort_findings([*report.findings, *found.findings])),
            incomplete=report.incomplete + found.incomplete,
            sections=(*report.sections, found.objects),
            rules=report.rules + RULE_IDS,
        )
        report = with_gate(report, config, Path(tmp))
    return report


def with_gate(report: Report, config: Config, root: Path) -> Report:
    """The audit plus the pre-deploy gate's verdict on the gallery's Terraform and script."""
    from costwatch.check_section import CheckSection
    from costwatch.checks.gate import CheckOptions, run_gate
    from costwatch.report import build_report

    gate = run_gate(config, CheckOptions((root / "infra", root / "scripts"), root))
    return build_report(
        report.command,
        report.generated_at,
        (*report.findings, *gate.findings),
        (*report.incomplete, *gate.incomplete),
        sections=(*report.sections, CheckSection.from_json(gate.section)),
        buckets=report.buckets,
        config_path=report.config_path,
        config_lines=report.config_lines,
        rules=report.rules,
        as_of=report.as_of,
        project=report.project,
    )
