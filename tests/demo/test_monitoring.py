"""The in-process MetricService answers as the real service does, through the real client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.api_core import exceptions as gexc
from google.cloud import monitoring_v3

from costwatch.demo.monitoring import (
    MetricServiceEmulator,
    bucket_series,
    monitoring_emulator,
    parse_filter,
)
from costwatch.sources.monitoring import EGRESS, REQUESTS, _make_client

T0 = datetime(2026, 11, 10, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture()
def emulator() -> Iterator[MetricServiceEmulator]:
    minute = timedelta(minutes=1)
    series = [
        bucket_series(
            EGRESS, "a-b", "us-west1", [(T0 + minute * m, 10) for m in range(1, 181)], project="p"
        ),
        bucket_series(
            EGRESS, "c-d", "us", [(T0 + minute * m, 1) for m in range(1, 181)], project="p"
        ),
        bucket_series(
            REQUESTS,
            "a-b",
            "us-west1",
            [(T0 + HOUR, 5)],
            labels={"method": "ReadObject", "response_code": "OK"},
            project="p",
        ),
        bucket_series(
            REQUESTS,
            "a-b",
            "us-west1",
            [(T0 + HOUR, 7)],
            labels={"method": "ReadObject", "response_code": "NOT_FOUND"},
            project="p",
        ),
    ]
    service = MetricServiceEmulator("p", series, page_series=1)
    with monitoring_emulator(service):
        yield service


def _request(**aggregation: object) -> monitoring_v3.ListTimeSeriesRequest:
    return monitoring_v3.ListTimeSeriesRequest(
        name="projects/p",
        filter=f'metric.type = "{EGRESS}" AND resource.type = "gcs_bucket"',
        interval=monitoring_v3.TimeInterval(start_time=T0, end_time=T0 + 3 * HOUR),
        aggregation=monitoring_v3.Aggregation(**aggregation),  # type: ignore[arg-type]
        view=monitoring_v3.ListTimeSeriesRequest.TimeSeriesView.FULL,
    )


def test_align_sum_per_hour_newest_first(emulator: MetricServiceEmulator) -> None:
    request = _request(
        alignment_period=timedelta(hours=1),
        per_series_aligner=monitoring_v3.Aggregation.Aligner.ALIGN_SUM,
    )
    series = list(_make_client().list_time_series(request=request))
    assert len(series) == 2
    first = series[0]
    assert [p.value.int64_value for p in first.points] == [600, 600, 600]
    ends = [p.interval.end_time for p in first.points]
    assert ends == sorted(ends, reverse=True)
    assert ends[0] == T0 + 3 * HOUR


def test_reduce_sum_groups_and_pages(emulator: MetricServiceEmulator) -> None:
    request = _request(
        alignment_period=timedelta(hours=3),
        per_series_aligner=monitoring_v3.Aggregation.Aligner.ALIGN_SUM,
        cross_series_reducer=monitoring_v3.Aggregation.Reducer.REDUCE_SUM,
        group_by_fields=["resource.label.bucket_name"],
    )
    series = list(_make_client().list_time_series(request=request))
    totals = {s.resource.labels["bucket_name"]: s.points[0].value.int64_value for s in series}
    assert totals == {"a-b": 1800, "c-d": 180}
    assert dict(series[0].resource.labels) == {"bucket_name": "a-b"}
    assert len(emulator.requests) == 2  # page_series=1: the client followed the page token


def test_reduce_to_one_series(emulator: MetricServiceEmulator) -> None:
    request = _request(
        alignment_period=timedelta(hours=3),
        per_series_aligner=monitoring_v3.Aggregation.Aligner.ALIGN_SUM,
        cross_series_reducer=monitoring_v3.Aggregation.Reducer.REDUCE_SUM,
    )
    (series,) = list(_make_client().list_time_series(request=request))
    assert series.points[0].value.int64_value == 1980


def test_filter_on_metric_labels(emulator: MetricServiceEmulator) -> None:
    request = _request(
        alignment_period=timedelta(hours=1),
        per_series_aligner=monitoring_v3.Aggregation.Aligner.ALIGN_SUM,
    )
    request.filter = f'metric.type = "{REQUESTS}" AND metric.label.response_code = "OK"'
    (series,) = list(_make_client().list_time_series(request=request))
    assert series.points[0].value.int64_value == 5


def test_interval_excludes_points_outside(emulator: MetricServiceEmulator) -> None:
    request = _request(
        alignment_period=timedelta(hours=1),
        per_series_aligner=monitoring_v3.Aggregation.Aligner.ALIGN_SUM,
    )
    request.interval = monitoring_v3.TimeInterval(start_time=T0 + HOUR, end_time=T0 + 2 * HOUR)
    series = list(_make_client().list_time_series(request=request))
    assert [p.value.int64_value for p in series[0].points] == [600]


@pytest.mark.parametrize(
    "text",
    [
        'metric.type = "x" OR resource.type = "y"',
        "metric.type = x",
        'metric.type = "x" AND',
        'starts_with("x")',
    ],
)
def test_unsupported_filters_are_rejected(text: str) -> None:
    from costwatch.demo.monitoring import RpcError

    with pytest.raises(RpcError):
        parse_filter(text)


def test_invalid_requests(emulator: MetricServiceEmulator) -> None:
    client = _make_client()
    reducer_without_aligner = _request(
        cross_series_reducer=monitoring_v3.Aggregation.Reducer.REDUCE_SUM
    )
    with pytest.raises(gexc.InvalidArgument):
        list(client.list_time_series(request=reducer_without_aligner))
    wrong_project = _request()
    wrong_project.name = "projects/other"
    with pytest.raises(gexc.NotFound):
        list(client.list_time_series(request=wrong_project))


def test_scripted_failures(emulator: MetricServiceEmulator) -> None:
    emulator.fail_next(
        grpc.StatusCode.PERMISSION_DENIED, "Permission monitoring.timeSeries.list denied"
    )
    with pytest.raises(gexc.PermissionDenied):
        list(_make_client().list_time_series(request=_request(), retry=None))
    assert list(_make_client().list_time_series(request=_request(), retry=None))
