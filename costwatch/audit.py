"""Wire sources to rules: read every bucket once, then judge the snapshots."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from costwatch.config import Config
from costwatch.findings import Finding, Incomplete
from costwatch.linkscan import LinkOptions, LinkScanResult, scan_settings, scan_site
from costwatch.report import BucketSummary, Report, relative_uri
from costwatch.rules.bucket_base import BucketContext
from costwatch.rules.registry import BUCKET_RULES, LINK_RULES, USAGE_RULES
from costwatch.sources.base import BucketSnapshot
from costwatch.sources.site import SECTION as SITE_SECTION
from costwatch.usagecheck import run_usage


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


def site_scan(config: Config, as_of: datetime) -> LinkScanResult:
    """The link scan over the config's ``site`` paths, relative to the config's folder."""
    root = config.source.parent if config.source else Path.cwd()
    present = tuple(p for p in config.site if p.exists())
    result = scan_site(LinkOptions(present, root, as_of, scan_settings(config)), config.buckets)
    missing = tuple(
        Incomplete(SITE_SECTION, relative_uri(p) or str(p), "site path not found")
        for p in config.site
        if not p.exists()
    )
    return LinkScanResult(result.findings, missing + result.incomplete, result.section)


def run_audit(
    config: Config, buckets: tuple[str, ...], project: str | None, as_of: datetime | None = None
) -> Report:
    """The whole audit: buckets, this month's usage, and the site's links if configured."""
    from costwatch.sources.gcs import ApiSettings, read_buckets

    now = datetime.now(UTC)
    api = ApiSettings(config.api_timeout_seconds, config.api_retry_seconds)
    reading = read_buckets(buckets, project, api)
    findings = judge_buckets(reading.snapshots, config)
    incomplete: list[Incomplete] = list(reading.incomplete)
    sections: dict[str, Any] = {}
    rules = [rule.id for rule in BUCKET_RULES]
    known = {name: "" for name in buckets}
    known.update({s.name: s.location for s in reading.snapshots})
    usage = run_usage(config, project, as_of, known)
    findings.extend(usage.findings)
    incomplete.extend(usage.incomplete)
    if usage.section is not None:
        sections["usage"] = usage.section
    rules.extend(rule.id for rule in USAGE_RULES)
    if config.site:
        links = site_scan(config, as_of or now)
        findings.extend(links.findings)
        incomplete.extend(links.incomplete)
        sections["links"] = links.section
        rules.extend(rule.id for rule in LINK_RULES)
    return Report.build(
        "audit",
        now,
        findings,
        incomplete,
        buckets=tuple(
            BucketSummary.of(s, config.settings_for(s.name).public) for s in reading.snapshots
        ),
        sections=sections,
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=tuple(rules),
    )
