"""Wire Cloud Monitoring to the usage rules: read once per metric, summarize, judge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from costwatch.billing import billing_period
from costwatch.config import Config
from costwatch.findings import Finding, Incomplete
from costwatch.rules.registry import USAGE_RULES
from costwatch.rules.usage import UsageContext
from costwatch.usage import UsageSummary, section, summarize

SECTION = "usage"


@dataclass(frozen=True)
class UsageResult:
    findings: tuple[Finding, ...]
    incomplete: tuple[Incomplete, ...]
    section: dict[str, Any] | None
    summary: UsageSummary | None


def judge_usage(summary: UsageSummary, config: Config) -> list[Finding]:
    context = UsageContext(warn_at_percent=config.warn_at_percent)
    return [f for rule in USAGE_RULES for f in rule.check(summary, context)]


def run_usage(
    config: Config,
    project: str | None,
    as_of: datetime | None,
    known_buckets: Mapping[str, str],
) -> UsageResult:
    """This month's usage; what could not be read is listed, never counted as zero."""
    if not project:
        reason = "no project: set --project, GOOGLE_CLOUD_PROJECT or `project` in the config"
        return UsageResult((), (Incomplete(SECTION, "*", reason),), None, None)
    from costwatch.sources.monitoring import read_usage

    period = billing_period(as_of)
    reading = read_usage(project, period, config.api_timeout_seconds, config.api_retry_seconds)
    summary = summarize(reading, config.allowance, config.prices, known_buckets)
    by_reason: dict[str, list[str]] = {}
    for name, resource in summary.resources.items():
        if resource.unknown:
            by_reason.setdefault(resource.unknown, []).append(name)
    incomplete = tuple(
        Incomplete(SECTION, f"projects/{project}", f"{', '.join(names)} unknown: {reason}")
        for reason, names in by_reason.items()
    )
    return UsageResult(tuple(judge_usage(summary, config)), incomplete, section(summary), summary)
