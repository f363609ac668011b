"""The usage check: read the month once per metric, summarize, judge with the allowance rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from costwatch.billing import BillingPeriod, billing_period
from costwatch.checks.base import CheckResult
from costwatch.checks.forecast import summarize, usage_section
from costwatch.config import Config
from costwatch.findings import Finding, Incomplete, IncompleteKind
from costwatch.model import UsageReading, UsageSummary
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

    return MonitoringUsage(
        project, config.api_timeout_seconds, config.api_retry_seconds, config.api_max_pages
    )


class Prefetched:
    """A usage source whose reading of one billing period started at once, in the background:
    the audit reads Monitoring while it reads the buckets, rather than after them."""

    def __init__(self, source: UsageSource, period: BillingPeriod) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.period = period
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="costwatch-usage")
        self._reading = pool.submit(source.read_usage, period)
        pool.shutdown(wait=False)

    def read_usage(self, period: BillingPeriod) -> UsageReading:
        if period != self.period:
            raise ValueError(f"prefetched {self.period}, asked for {period}")
        return self._reading.result()


def prefetch_usage(
    config: Config, project: str | None, as_of: datetime | None, *, now: datetime
) -> Prefetched | None:
    """Start reading the month's usage from Cloud Monitoring; None without a project."""
    if not project:
        return None
    return Prefetched(monitoring_source(project, config), billing_period(as_of, now=now))


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
    return CheckResult(
        tuple(judge_usage(summary, config)),
        incomplete,
        usage_section(summary),
        api_calls=reading.api_calls,
    )
