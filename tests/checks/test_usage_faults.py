"""Usage figures under faults: non-finite points, an allowance of 0, a bucket of unknown location.

Unknown is never zero and never a guess: a NaN or infinite point makes its figure unknown with
the reason, an allowance of 0 bills every unit, and a bucket whose location could not be read
is neither a free-region bucket nor one "billed from the first byte".
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.billing import HOUR, billing_period
from costwatch.checks.buckets import summarize_bucket
from costwatch.checks.forecast import pace_forecast, summarize, usage_section
from costwatch.config import Allowance, Config, Prices
from costwatch.findings import Severity
from costwatch.formats.base import OutputFormat, render
from costwatch.model import (
    BucketSnapshot,
    IncompleteKind,
    LocationType,
    MetricResult,
    Point,
    Series,
    Setting,
    UsageReading,
)
from costwatch.report import build_report
from costwatch.rules.allowance import ClassAAllowance, EgressAllowance, UsageContext
from costwatch.units import GIB

PERIOD = billing_period(datetime(2026, 11, 20, 12, tzinfo=UTC))


def hourly(values: list[float], hours_before: int = 48) -> tuple[Point, ...]:
    start = PERIOD.as_of - HOUR * hours_before
    return tuple(Point(start + HOUR * (n + 1), v) for n, v in enumerate(values))


def reading(
    egress: tuple[Series, ...] = (),
    requests: tuple[Series, ...] = (),
    storage: tuple[Series, ...] = (),
) -> UsageReading:
    return UsageReading(
        "p", PERIOD, MetricResult(egress), MetricResult(requests), MetricResult(storage), 3
    )


def as_json(summary_reading: UsageReading, allowance: Allowance | None = None) -> dict[str, object]:
    summary = summarize(summary_reading, allowance or Allowance(), Prices(), {"known-b": ""})
    report = build_report("usage", PERIOD.as_of, sections=[usage_section(summary)])
    for fmt in (OutputFormat.TABLE, OutputFormat.MARKDOWN, OutputFormat.SARIF):
        render(report, fmt)
    document: dict[str, object] = json.loads(render(report, OutputFormat.JSON))
    return document


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_a_non_finite_egress_point_makes_egress_unknown(bad: float) -> None:
    good = Series("good-b", "us-west1", "", hourly([GIB] * 10))
    broken = Series("bad-b", "us-west1", "", hourly([GIB, bad, GIB]))
    summary = summarize(reading(egress=(good, broken)), Allowance(), Prices())
    egress = summary.resources["egress"]
    assert egress.used is None and egress.forecast is None
    assert egress.unknown is not None and "non-finite" in egress.unknown
    assert "gs://bad-b" in egress.unknown
    assert egress.unknown_kind is IncompleteKind.UNKNOWN_VALUE
    assert summary.daily == ()
    buckets = {b.name: b for b in summary.buckets}
    assert buckets["bad-b"].egress_bytes is None
    assert buckets["good-b"].egress_bytes == 10 * GIB
    assert summary.resources["class_a_ops"].used == 0


def test_a_non_finite_request_point_makes_only_its_class_unknown() -> None:
    write = Series("b", "us-west1", "WriteObject", hourly([1, math.inf]))
    read = Series("b", "us-west1", "ReadObject", hourly([5, 5]))
    odd = Series("b", "us-west1", "QueryWriteStatus", hourly([math.nan]))
    summary = summarize(reading(requests=(write, read, odd)), Allowance(), Prices())
    assert summary.resources["class_a_ops"].unknown
    assert summary.resources["class_b_ops"].used == 10
    assert summary.unknown_methods == ()
    assert any("QueryWriteStatus" in note and "unknown" in note for note in summary.notes)
    bucket = summary.buckets[0]
    assert bucket.class_a_ops is None and bucket.class_b_ops == 10


def test_a_non_finite_storage_point_makes_storage_unknown() -> None:
    level = Series("b", "us-west1", "live/STANDARD", hourly([GIB, math.nan], hours_before=30))
    summary = summarize(reading(storage=(level,)), Allowance(), Prices())
    assert summary.resources["storage"].unknown
    assert summary.buckets[0].storage_bytes is None


def test_points_outside_the_month_do_not_matter() -> None:
    late = Series("b", "us-west1", "", (Point(PERIOD.as_of + HOUR, math.nan),))
    summary = summarize(reading(egress=(late,)), Allowance(), Prices())
    assert summary.resources["egress"].used == 0


finite_or_not = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e15),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(finite_or_not, min_size=1, max_size=6),
    st.lists(finite_or_not, min_size=1, max_size=6),
    st.lists(finite_or_not, min_size=1, max_size=6),
)
def test_any_point_values_give_valid_json_and_never_a_non_finite_figure(
    egress: list[float], ops: list[float], stored: list[float]
) -> None:
    document = as_json(
        reading(
            egress=(Series("b", "us-west1", "", hourly(egress)),),
            requests=(Series("b", "us-west1", "GetObject", hourly(ops)),),
            storage=(Series("b", "us-east1", "live/STANDARD", hourly(stored)),),
        )
    )
    usage = document["usage"]
    assert isinstance(usage, dict)

    def numbers(value: object) -> list[float]:
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, list):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, float) else []

    assert all(math.isfinite(n) for n in numbers(usage))


def test_an_allowance_of_zero_still_judges() -> None:
    ops = Series("b", "us-west1", "WriteObject", hourly([725, 725]))
    allowance = Allowance(class_a_ops=0)
    summary = summarize(reading(requests=(ops,)), allowance, Prices())
    resource = summary.resources["class_a_ops"]
    assert resource.used == 1450 and resource.allowance == 0
    assert resource.crossing == PERIOD.as_of - HOUR * 47
    findings = list(ClassAAllowance().check(summary, UsageContext()))
    assert [f.severity for f in findings] == [Severity.ERROR]
    assert "allowance of 0" in findings[0].message and "(0%)" not in findings[0].message
    assert resource.overage_usd is not None and resource.overage_usd > 0


def test_an_allowance_of_zero_with_no_use_is_fine() -> None:
    summary = summarize(reading(), Allowance(egress_gib=0), Prices())
    assert summary.resources["egress"].used == 0
    assert list(EgressAllowance().check(summary, UsageContext())) == []


def test_pace_forecast_with_zero_allowance_crosses_at_the_first_use() -> None:
    first = PERIOD.start + HOUR * 5
    used, forecast, crossing = pace_forecast({PERIOD.start + HOUR: 0.0, first: 3.0}, PERIOD, 0)
    assert used == 3 and forecast > 3 and crossing == first
    assert pace_forecast({PERIOD.start + HOUR: 0.0}, PERIOD, 0)[2] is None


def test_a_bucket_of_unknown_location_is_not_billed_from_the_first_byte() -> None:
    summary = summarize(reading(), Allowance(), Prices(), {"dark-b": "", "west-b": "US-WEST1"})
    buckets = {b.name: b for b in summary.buckets}
    assert buckets["dark-b"].free_region is None
    assert buckets["west-b"].free_region is True
    report = build_report("usage", PERIOD.as_of, sections=[usage_section(summary)])
    text = render(report, OutputFormat.TABLE)
    billed = text.split("Buckets billed from the first byte")
    assert len(billed) == 1 or "dark-b" not in billed[1].split("\n\n")[0]
    unknown = text.split("Buckets whose location is unknown")[1].split("\n\n")[0]
    assert "dark-b" in unknown and "unknown" in unknown
    data = json.loads(render(report, OutputFormat.JSON))
    assert {b["name"]: b["free_region"] for b in data["usage"]["buckets"]}["dark-b"] is None


def test_a_bucket_whose_location_monitoring_knows_is_placed_by_it() -> None:
    series = Series("dark-b", "asia-east1", "", hourly([1.0]))
    summary = summarize(reading(egress=(series,)), Allowance(), Prices(), {"dark-b": ""})
    assert summary.buckets[0].free_region is False


@pytest.mark.parametrize(
    ("location", "kind", "storage_class", "eligible"),
    [
        (None, None, None, None),
        ("US-WEST1", LocationType.REGION, None, None),
        ("US", LocationType.MULTI_REGION, None, False),
        (None, None, "NEARLINE", False),
        ("US-WEST1", LocationType.REGION, "STANDARD", True),
        ("EUROPE-WEST1", LocationType.REGION, "STANDARD", False),
    ],
)
def test_free_tier_eligibility_is_unknown_until_known(
    location: str | None,
    kind: LocationType | None,
    storage_class: str | None,
    eligible: bool | None,
) -> None:
    snapshot = BucketSnapshot(
        "b",
        location=Setting.of(location) if location else Setting.unknown("denied"),
        location_type=Setting.of(kind) if kind else Setting.unknown("denied"),
        storage_class=Setting.of(storage_class) if storage_class else Setting.unknown("denied"),
    )
    summary = summarize_bucket(snapshot, Config())
    assert summary.free_tier_eligible is eligible
    report = build_report("audit", PERIOD.as_of, buckets=(summary,))
    row = render(report, OutputFormat.TABLE).split("gs://b")[1].splitlines()[0]
    expected = {None: "unknown", True: "eligible", False: "not eligible"}[eligible]
    assert row.rstrip().endswith(expected)
    assert json.loads(render(report, OutputFormat.JSON))["buckets"][0]["free_tier_eligible"] is (
        eligible
    )


def test_hours_helper_is_inside_the_period() -> None:
    assert all(PERIOD.start < p.end <= PERIOD.as_of for p in hourly([1.0] * 48))
    assert PERIOD.as_of - PERIOD.start > timedelta(hours=48)
