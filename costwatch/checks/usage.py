"""The usage check: read the month once per metric, summarize, judge with the allowance rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from costwatch.billing import billing_period
from costwatch.checks.base import CheckResult
from costwatch.checks.forecast import summarize, usage_section
from costwatch.config import Config
from costwatch.findings import Finding, Incomplete, IncompleteKind
from costwatch.model import UsageSummary
from costwatch.rules.allowance import UsageContext
from costwatch.rules.registry import USAGE_RULES
from costwatch.sources.base import UsageSource

SECTION = "usage"


def judge_usage(summary: UsageSummary, config: Config) -> list[Finding]:
    context = UsageContext(warn_at_percent=config.warn_at_percent)
    return [f for rule in USAGE_RULES for f in rule.check(summary, context)]


def monitoring_source(project: str, config: Config) -> UsageSource:
    """Cloud Monitoring through the real client (imported only when usage is read)."""
    from costwatch.sources.monitoring import MonitoringUsage

    return MonitoringUsage(project, config.api_timeout_seconds, config.api_retry_seconds)


def run_usage(
    config: Config,
    project: str | None,
    as_of: datetime | None,
    known_buckets: Mapping[str, str],
    *,
    now: datetime,
    source: UsageSource | None = None,
) -> CheckResult:
    """This month's usage; what could not be read is listed, never counted as zero."""
    if not project:
        reason = "no project: set --project, GOOGLE_CLOUD_PROJECT or `project` in the config"
        return CheckResult(
            incomplete=(Incomplete(SECTION, "*", reason, kind=IncompleteKind.MISSING_INPUT),)
        )
    period = billing_period(as_of, now=now)
    reading = (source or monitoring_source(project, config)).read_usage(period)
    summary = summarize(reading, config.allowance, config.prices, known_buckets)
    by_reason: dict[tuple[str, IncompleteKind], list[str]] = {}
    for name, resource in summary.resources.items():
        if resource.unknown:
            key = (resource.unknown, resource.unknown_kind)
            by_reason.setdefault(key, []).append(name)
    incomplete = tuple(
        Incomplete(
            SECTION, f"projects/{project}", f"{', '.join(names)} unknown: {reason}", kind=kind
        )
        for (reason, kind), names in by_reason.items()
    )
    return CheckResult(tuple(judge_usage(summary, config)), incomplete, usage_section(summary))
