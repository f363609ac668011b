"""The audit: read every bucket once, judge the snapshots, read the month's usage, scan the site."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from costwatch.checks.base import CheckResult
from costwatch.checks.buckets import judge_buckets, summarize_bucket
from costwatch.checks.capacity_cache import cached_capacity
from costwatch.checks.usage import run_usage
from costwatch.config import Config
from costwatch.findings import Finding, Incomplete, IncompleteKind
from costwatch.linkscan import LinkOptions, scan_settings, scan_site
from costwatch.report import LinksSection, Report, Section, build_report, relative_uri
from costwatch.rules.registry import rule_ids
from costwatch.sources.base import BucketSource
from costwatch.sources.site import SECTION as SITE_SECTION


def site_scan(config: Config, as_of: datetime) -> CheckResult:
    """The link scan over the config's ``site`` paths, relative to the config's folder."""
    root = config.source.parent if config.source else Path.cwd()
    present = tuple(p for p in config.site if p.exists())
    result = scan_site(LinkOptions(present, root, as_of, scan_settings(config)), config.buckets)
    missing = tuple(
        Incomplete(
            SITE_SECTION,
            relative_uri(p) or str(p),
            "site path not found",
            kind=IncompleteKind.NOT_FOUND,
        )
        for p in config.site
        if not p.exists()
    )
    return CheckResult(
        result.findings, missing + result.incomplete, LinksSection.from_json(result.section)
    )


def live_buckets(config: Config, names: tuple[str, ...], project: str | None) -> BucketSource:
    """The Cloud Storage JSON API as a bucket source (imported only when buckets are read)."""
    from costwatch.sources.gcs import ApiSettings, LiveBuckets

    api = ApiSettings(config.api_timeout_seconds, config.api_retry_seconds)
    return LiveBuckets(names, project, api)


def run_audit(
    config: Config,
    buckets: tuple[str, ...],
    project: str | None,
    as_of: datetime | None = None,
    *,
    now: datetime,
    source: BucketSource | None = None,
) -> Report:
    """The whole audit: buckets, this month's usage, and the site's links if configured."""
    reading = (source or live_buckets(config, buckets, project)).read_buckets()
    judged, not_checked = judge_buckets(reading.items, config)
    findings: list[Finding] = judged
    incomplete: list[Incomplete] = [*reading.incomplete, *not_checked]
    sections: list[Section] = []
    families = ["bucket", "usage"]
    known = {name: "" for name in buckets}
    # Only a location that was read says where a bucket is: an unread one is left out, so the
    # usage section learns it from Monitoring instead of being told a wrong region.
    known.update({s.name: s.location.value or "" for s in reading.items})
    checks = [run_usage(config, project, as_of, known, now=now)]
    if config.site:
        checks.append(site_scan(config, as_of or now))
        families.append("links")
    for check in checks:
        findings.extend(check.findings)
        incomplete.extend(check.incomplete)
        if check.section is not None:
            sections.append(check.section)
    capacity = cached_capacity(config, buckets, sections)
    if capacity is not None:
        sections.append(capacity)
    return build_report(
        "audit",
        now,
        findings,
        incomplete,
        sections=sections,
        buckets=tuple(summarize_bucket(s, config) for s in reading.items),
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=rule_ids(*families),
        as_of=as_of,
        project=project,
    )
