from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from costwatch.billing import billing_period
from costwatch.findings import Severity
from costwatch.model import Resource, UsageSummary
from costwatch.rules.allowance import (
    ClassBAllowance,
    EgressAllowance,
    StorageAllowance,
    UsageContext,
)
from costwatch.units import GIB

PERIOD = billing_period(datetime(2026, 11, 20, 12, tzinfo=UTC))
CROSSING = datetime(2026, 11, 27, 3, tzinfo=UTC)


def summary(
    name: str,
    unit: str,
    allowance: float,
    used: float | None,
    forecast: float | None,
    **extra: object,
) -> UsageSummary:
    resource = Resource(name, unit, allowance, used, forecast, **extra)  # type: ignore[arg-type]
    return UsageSummary("p", PERIOD, {name: resource}, (), ())


E, W = Severity.ERROR, Severity.WARNING


@pytest.mark.parametrize(
    ("used", "forecast", "warn_at", "expect"),
    [
        (10, 50, 80, None),
        (10, 79.9, 80, None),
        (10, 80, 80, W),
        (10, 99, 80, W),
        (10, 100, 80, E),
        (101, 101, 80, E),
        (10, 60, 50, W),
        (None, None, 80, None),
    ],
)
def test_thresholds(
    used: float | None, forecast: float | None, warn_at: float, expect: Severity | None
) -> None:
    findings = list(
        ClassBAllowance().check(
            summary("class_b_ops", "operations", 100, used, forecast), UsageContext(warn_at)
        )
    )
    if expect is None:
        assert findings == []
    else:
        (finding,) = findings
        assert finding.severity is expect
        assert finding.rule_id == "CW203"
        assert finding.resource == "projects/p"


def test_egress_message_has_every_figure_and_the_caveat() -> None:
    data = summary(
        "egress",
        "bytes",
        100 * GIB,
        40 * GIB,
        130 * GIB,
        crossing=CROSSING,
        overage_usd=3.6,
        price_note="$0.12/GiB, list price as of 2026-11",
    )
    (finding,) = EgressAllowance().check(data, UsageContext())
    message = finding.message
    for part in (
        "used 40.0 GiB of 100.0 GiB (40%)",
        "forecast 130.0 GiB (130%)",
        "crosses the allowance Nov 26 19:00 PST",
        "estimated overage $3.60 at the forecast ($0.12/GiB, list price as of 2026-11)",
        "upper bound on billable internet egress",
    ):
        assert part in message, message


def test_already_crossed_says_so() -> None:
    data = summary("storage", "GiB-months", 5, 5.5, 7.0, crossing=CROSSING - timedelta(days=3))
    (finding,) = StorageAllowance().check(data, UsageContext())
    assert "crossed the allowance" in finding.message
    assert "5.50 GiB-months of 5.00 GiB-months" in finding.message


def test_missing_resource_is_silent() -> None:
    data = summary("egress", "bytes", 100 * GIB, None, None, unknown="permission denied")
    assert list(EgressAllowance().check(data, UsageContext())) == []
