"""``costwatch demo``: the real audit code path against the emulated gallery project."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from costwatch.billing import billing_period
from costwatch.config import Config, load_config
from costwatch.demo.cloud import demo_seed, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, monitoring_emulator
from costwatch.demo.usage_seed import PROJECT, demo_usage
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

    clock = now or datetime.now(UTC)
    period = billing_period(as_of, now=clock)
    monitoring = MetricServiceEmulator(PROJECT, demo_usage(period), page_series=4)
    with tempfile.TemporaryDirectory(prefix="costwatch-demo-") as tmp:
        config = load_config(materialize(Path(tmp)))
        with storage_emulator(demo_seed()), monitoring_emulator(monitoring):
            report = run_audit(config, config.buckets, config.project, period.as_of, now=clock)
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
