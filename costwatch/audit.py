"""Wire sources to rules: read every bucket once, then judge the snapshots."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from costwatch.config import Config
from costwatch.findings import Finding
from costwatch.report import BucketSummary, Report
from costwatch.rules.bucket_base import BucketContext
from costwatch.rules.registry import BUCKET_RULES
from costwatch.sources.base import BucketSnapshot


def relative_uri(path: Path | None) -> str | None:
    """``path`` relative to the working folder with forward slashes, for SARIF and reports."""
    if path is None:
        return None
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def bucket_context(config: Config, name: str) -> BucketContext:
    return BucketContext(
        public=config.settings_for(name).public,
        approved_dual_regions=config.approved_dual_regions,
    )


def judge_buckets(snapshots: Iterable[BucketSnapshot], config: Config) -> list[Finding]:
    """Every bucket rule over every snapshot: pure, no I/O."""
    findings: list[Finding] = []
    for snapshot in snapshots:
        context = bucket_context(config, snapshot.name)
        for rule in BUCKET_RULES:
            findings.extend(rule.check(snapshot, context))
    return findings


def run_audit(config: Config, buckets: tuple[str, ...], project: str | None) -> Report:
    """Read the buckets through Cloud Storage and judge them."""
    from costwatch.sources.gcs import ApiSettings, read_buckets

    api = ApiSettings(config.api_timeout_seconds, config.api_retry_seconds)
    reading = read_buckets(buckets, project, api)
    return Report.build(
        "audit",
        datetime.now(UTC),
        judge_buckets(reading.snapshots, config),
        reading.incomplete,
        buckets=tuple(
            BucketSummary.of(s, config.settings_for(s.name).public) for s in reading.snapshots
        ),
        config_path=relative_uri(config.source),
        rules=tuple(rule.id for rule in BUCKET_RULES),
    )
