"""The Monitoring source and the usage summary, through the real client and the emulator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from costwatch.billing import billing_period
from costwatch.checks.forecast import summarize
from costwatch.config import Allowance, Prices
from costwatch.demo.monitoring import (
    MetricServiceEmulator,
    StoredSeries,
    bucket_series,
    monitoring_emulator,
)
from costwatch.model import UsageSummary
from costwatch.sources.monitoring import EGRESS, REQUESTS, STORAGE, UsageReading, read_usage
from costwatch.units import GIB

AS_OF = datetime(2026, 11, 20, 12, tzinfo=UTC)
PERIOD = billing_period(AS_OF)  # Nov 1 07:00 UTC (midnight PDT) to Dec 1 08:00 UTC
OK = {"response_code": "OK"}


def egress(bucket: str, location: str, points: Sequence[tuple[datetime, float]]) -> StoredSeries:
    return bucket_series(EGRESS, bucket, location, list(points), project="p")


def requests(
    bucket: str, method: str, points: Sequence[tuple[datetime, float]], code: str = "OK"
) -> StoredSeries:
    labels = {"method": method, "response_code": code}
    return bucket_series(REQUESTS, bucket, "us-west1", list(points), labels=labels, project="p")


def read(
    series: list[StoredSeries], **kwargs: object
) -> tuple[UsageReading, MetricServiceEmulator]:
    service = MetricServiceEmulator("p", series, **kwargs)  # type: ignore[arg-type]
    with monitoring_emulator(service):
        reading = read_usage("p", PERIOD, timeout_seconds=5, retry_seconds=5)
    return reading, service


def summary_of(series: list[StoredSeries], known: dict[str, str] | None = None) -> UsageSummary:
    reading, _ = read(series)
    return summarize(reading, Allowance(), Prices(), known)


def test_one_query_per_metric_whatever_the_buckets_and_days() -> None:
    hours = [PERIOD.start + timedelta(hours=h, minutes=30) for h in range(400)]
    series = [egress(f"bucket-{n}", "us-west1", [(h, 1000) for h in hours]) for n in range(25)]
    series += [requests(f"bucket-{n}", "ReadObject", [(h, 3) for h in hours]) for n in range(25)]
    reading, service = read(series, page_series=1000)
    assert reading.queries == 3
    assert len(service.requests) == 3
    for request in service.requests:
        assert request.aggregation.cross_series_reducer.name == "REDUCE_SUM"
        assert "resource.label.bucket_name" in request.aggregation.group_by_fields
        assert request.aggregation.alignment_period == timedelta(hours=1)
    assert {r.aggregation.per_series_aligner.name for r in service.requests} == {
        "ALIGN_SUM",
        "ALIGN_MEAN",
    }
    assert 'metric.label.response_code = "OK"' in service.requests[1].filter


def test_pages_are_followed() -> None:
    series = [
        egress(f"bucket-{n}", "us-west1", [(AS_OF - timedelta(hours=2), GIB)]) for n in range(7)
    ]
    reading, service = read(series, page_series=2)
    assert reading.egress.series is not None and len(reading.egress.series) == 7
    assert len(service.requests) == 4 + 2  # egress: 4 pages; requests and storage: 1 each
    summary = summarize(reading, Allowance(), Prices())
    assert summary.resources["egress"].used == 7 * GIB


def test_month_starts_at_pacific_midnight_across_daylight_saving() -> None:
    # 2026-11-01 06:30 UTC is Oct 31, 23:30 PDT: in the UTC month, not in the billing month.
    before = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    inside = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    summary = summary_of([egress("a-b", "us-west1", [(before, 5 * GIB), (inside, GIB)])])
    assert summary.resources["egress"].used == GIB


def test_data_after_as_of_is_excluded() -> None:
    summary = summary_of(
        [
            egress(
                "a-b",
                "us-west1",
                [(AS_OF - timedelta(minutes=30), GIB), (AS_OF + timedelta(minutes=30), 9 * GIB)],
            )
        ]
    )
    assert summary.resources["egress"].used == GIB


def test_only_successful_requests_count_and_methods_are_classified() -> None:
    at = [(AS_OF - timedelta(hours=1), 10.0)]
    summary = summary_of(
        [
            requests("a-b", "ReadObject", at),
            requests("a-b", "ReadObject", at, code="NOT_FOUND"),
            requests("a-b", "ReadObject", at, code="PERMISSION_DENIED"),
            requests("a-b", "WriteObject", at),
            requests("a-b", "ListObjects", at),
            requests("a-b", "DeleteObject", at),
            requests("a-b", "MysteryMethod", at),
        ]
    )
    assert summary.resources["class_b_ops"].used == 10
    assert summary.resources["class_a_ops"].used == 20
    assert summary.unknown_methods == (("MysteryMethod", 10.0),)


def test_non_free_bucket_is_listed_but_does_not_use_the_allowance() -> None:
    at = [(AS_OF - timedelta(hours=1), GIB)]
    summary = summary_of(
        [
            egress("free-b", "us-west1", at),
            egress("multi-b", "us", at),
            egress("eu-b", "europe-west1", at),
        ]
    )
    assert summary.resources["egress"].used == GIB
    by_name = {b.name: b for b in summary.buckets}
    assert by_name["multi-b"].free_region is False and by_name["multi-b"].egress_bytes == GIB
    assert by_name["free-b"].free_region is True
    day = summary.daily[-1]
    assert (day[1], day[2]) == (GIB, 2 * GIB)


def test_empty_project_is_zero_used_but_buckets_have_no_data() -> None:
    summary = summary_of([], {"gallery-b": "US-WEST1"})
    assert summary.resources["egress"].used == 0
    (bucket,) = summary.buckets
    assert bucket.has_data is False
    assert bucket.egress_bytes is None and bucket.storage_bytes is None


def test_storage_gib_months_are_time_weighted() -> None:
    # 3 GiB from before the month began, 6 GiB from Nov 11 00:00 PST onwards.
    change = datetime(2026, 11, 11, 8, tzinfo=UTC)
    points = [(PERIOD.start - timedelta(days=1), 3 * GIB), (change, 6 * GIB)]
    series = bucket_series(
        STORAGE,
        "a-b",
        "us-west1",
        points,
        labels={"type": "live-object", "storage_class": "STANDARD"},
        kind="GAUGE",
        value_type="DOUBLE",
        project="p",
    )
    nearline = bucket_series(
        STORAGE,
        "a-b",
        "us-west1",
        [(PERIOD.start, 50 * GIB)],
        labels={"type": "live-object", "storage_class": "NEARLINE"},
        kind="GAUGE",
        value_type="DOUBLE",
        project="p",
    )
    summary = summary_of([series, nearline])
    month = PERIOD.length.total_seconds()
    expected = (
        3 * (change - PERIOD.start).total_seconds() + 6 * (AS_OF - change).total_seconds()
    ) / month
    storage = summary.resources["storage"]
    assert storage.used == pytest.approx(expected)
    assert storage.forecast == pytest.approx(
        expected + 6 * PERIOD.remaining.total_seconds() / month
    )
    (bucket,) = summary.buckets
    assert bucket.storage_bytes == 56 * GIB


def test_permission_denied_names_permission_and_role() -> None:
    service = MetricServiceEmulator("p")
    service.fail_next(
        grpc.StatusCode.PERMISSION_DENIED, "Permission monitoring.timeSeries.list denied"
    )
    with monitoring_emulator(service):
        reading = read_usage("p", PERIOD, 5, 5)
    assert reading.egress.series is None
    assert "monitoring.timeSeries.list" in (reading.egress.error or "")
    assert "roles/monitoring.viewer" in (reading.egress.error or "")
    assert reading.requests.series is None and reading.storage.series is None
    assert len(service.requests) == 1  # the same answer would come three times


def test_api_disabled_says_how_to_enable() -> None:
    service = MetricServiceEmulator("p")
    service.fail_next(
        grpc.StatusCode.PERMISSION_DENIED,
        "Cloud Monitoring API has not been used in project p before or it is disabled.",
    )
    with monitoring_emulator(service):
        reading = read_usage("p", PERIOD, 5, 5)
    assert "gcloud services enable monitoring.googleapis.com" in (reading.egress.error or "")


def test_unavailable_then_success() -> None:
    service = MetricServiceEmulator(
        "p", [egress("a-b", "us-west1", [(AS_OF - timedelta(hours=1), GIB)])]
    )
    service.fail_next(grpc.StatusCode.UNAVAILABLE, times=2)
    with monitoring_emulator(service):
        reading = read_usage("p", PERIOD, 5, 10)
    assert reading.egress.error is None
    assert len(service.requests) == 5


def test_unavailable_until_the_deadline_is_unknown_not_zero() -> None:
    service = MetricServiceEmulator("p")
    service.fail_next(grpc.StatusCode.UNAVAILABLE, times=1000)
    with monitoring_emulator(service):
        reading = read_usage("p", PERIOD, 2, 0.5)
    summary = summarize(reading, Allowance(), Prices(), {"a-b": "US-WEST1"})
    for resource in summary.resources.values():
        assert resource.used is None and resource.forecast is None
        assert "kept failing" in (resource.unknown or "")
    assert 3 <= len(service.requests) < 100
    assert summary.buckets[0].egress_bytes is None
    assert summary.daily == ()


def test_no_data_is_per_metric() -> None:
    summary = summary_of([egress("egress-only", "us-west1", [(AS_OF - timedelta(hours=1), GIB)])])
    (bucket,) = summary.buckets
    assert bucket.has_data is True
    assert bucket.egress_bytes == GIB
    assert bucket.class_b_ops is None and bucket.storage_bytes is None


def test_unreachable_endpoint_is_unknown() -> None:
    from costwatch.demo.cloud import env_var, free_port
    from costwatch.sources.monitoring import EMULATOR_ENV

    with env_var(EMULATOR_ENV, f"127.0.0.1:{free_port()}"):
        reading = read_usage("p", PERIOD, timeout_seconds=1, retry_seconds=0.5)
    assert reading.egress.series is None
    assert "Cloud Monitoring" in (reading.egress.error or "")
