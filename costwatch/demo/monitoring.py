"""An in-process Cloud Monitoring ``MetricService`` on loopback gRPC, for the demo and tests.

It speaks the real wire protocol with the client library's own request and response types
and answers ``ListTimeSeries`` as the real service does: the filter (``key = "value"`` terms
joined by ``AND``), the interval, per-series alignment (``ALIGN_SUM``, ``ALIGN_MEAN``) into
periods that end at the interval's end, cross-series ``REDUCE_SUM`` by ``group_by_fields``,
newest points first, and pagination by page token. Errors can be scripted, and so can two
faults of a bad server: answering every call ``delay`` seconds late, and a page token that never
ends (``endless_pages``).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from costwatch.demo.cloud import env_var
from costwatch.sources.monitoring import EMULATOR_ENV

SERVICE = "google.monitoring.v3.MetricService"
DEFAULT_PAGE_SERIES = 50

_TERM = re.compile(r'\s*([A-Za-z_][\w.]*)\s*=\s*"([^"\\]*)"\s*')
_AND = re.compile(r"\s*AND\s+")


@dataclass
class StoredSeries:
    """One raw series as a project holds it: labels, kind, and (start, end, value) points."""

    metric_type: str
    metric_labels: dict[str, str]
    resource_labels: dict[str, str]
    kind: str = "DELTA"  # or "GAUGE"
    value_type: str = "INT64"  # or "DOUBLE"
    points: list[tuple[datetime, datetime, float]] = field(default_factory=list)
    resource_type: str = "gcs_bucket"


class RpcError(Exception):
    def __init__(self, code: Any, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_filter(text: str) -> list[tuple[str, str]]:
    """``key = "value" AND ...`` into (key, value) pairs; anything else is INVALID_ARGUMENT."""
    import grpc

    terms: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TERM.match(text, position)
        if not match:
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, f"cannot parse filter: {text!r}")
        terms.append((match.group(1), match.group(2)))
        position = match.end()
        joiner = _AND.match(text, position)
        if joiner:
            position = joiner.end()
        elif position < len(text):
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, f"cannot parse filter: {text!r}")
    return terms


def _field(series: StoredSeries, key: str) -> str | None:
    if key == "metric.type":
        return series.metric_type
    if key == "resource.type":
        return series.resource_type
    for prefix, labels in (
        ("metric.label.", series.metric_labels),
        ("metric.labels.", series.metric_labels),
        ("resource.label.", series.resource_labels),
        ("resource.labels.", series.resource_labels),
    ):
        if key.startswith(prefix):
            return labels.get(key[len(prefix) :])
    return None


class MetricServiceEmulator:
    """The data of one project and the ListTimeSeries logic over it."""

    def __init__(
        self,
        project: str,
        series: Sequence[StoredSeries] = (),
        page_series: int = DEFAULT_PAGE_SERIES,
    ) -> None:
        self.project = project
        self.series = list(series)
        self.page_series = page_series
        self.requests: list[Any] = []
        self.delay = 0.0
        self.endless_pages = False
        self._failures: list[tuple[Any, str]] = []
        self._lock = threading.Lock()
        self._released = threading.Event()

    def release(self) -> None:
        """End every delayed answer now (the server is stopping)."""
        self._released.set()

    def fail_next(self, code: Any, message: str = "", times: int = 1) -> None:
        """The next ``times`` calls answer ``code`` (a grpc.StatusCode) instead of data."""
        with self._lock:
            self._failures.extend([(code, message or code.name)] * times)

    def list_time_series(self, request: Any) -> Any:
        import grpc
        from google.cloud import monitoring_v3

        with self._lock:
            self.requests.append(request)
            if self._failures:
                code, message = self._failures.pop(0)
                raise RpcError(code, message)
        if self.delay:
            self._released.wait(self.delay)
        if request.name != f"projects/{self.project}":
            raise RpcError(grpc.StatusCode.NOT_FOUND, f"Project not found: {request.name}")
        terms = parse_filter(request.filter)
        if not any(key == "metric.type" for key, _ in terms):
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "filter must name metric.type")
        if request.interval.end_time is None:
            raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "interval.end_time is required")
        end = _utc(request.interval.end_time)
        start = _utc(request.interval.start_time) if request.interval.start_time else end
        chosen = [s for s in self.series if all(_field(s, k) == v for k, v in terms)]
        results = self._aggregate(chosen, start, end, request.aggregation)
        offset = 0
        if request.page_token:
            if not request.page_token.startswith("offset:"):
                raise RpcError(grpc.StatusCode.INVALID_ARGUMENT, "invalid page token")
            offset = int(request.page_token.removeprefix("offset:"))
        size = self.page_series
        if request.page_size:
            size = min(size, request.page_size)
        page = results[offset : offset + size]
        token = f"offset:{offset + size}" if offset + size < len(results) else ""
        if self.endless_pages:
            token = f"offset:{offset + size}"
        full = request.view == monitoring_v3.ListTimeSeriesRequest.TimeSeriesView.FULL
        return monitoring_v3.ListTimeSeriesResponse(
            time_series=[_to_proto(s, full) for s in page], next_page_token=token
        )

    def _aggregate(
        self, chosen: list[StoredSeries], start: datetime, end: datetime, aggregation: Any
    ) -> list[StoredSeries]:
        import grpc
        from google.cloud import monitoring_v3

        aligner = monitoring_v3.Aggregation.Aligner(aggregation.per_series_aligner)
        reducer = monitoring_v3.Aggregation.Reducer(aggregation.cross_series_reducer)
        Aligner, Reducer = monitoring_v3.Aggregation.Aligner, monitoring_v3.Aggregation.Reducer
        window = [
            StoredSeries(
                s.metric_type,
                dict(s.metric_labels),
                dict(s.resource_labels),
                s.kind,
                s.value_type,
                [p for p in s.points if start < p[1] <= end],
                s.resource_type,
            )
            for s in chosen
        ]
        if aligner == Aligner.ALIGN_NONE:
            if reducer != Reducer.REDUCE_NONE:
                raise RpcError(
                    grpc.StatusCode.INVALID_ARGUMENT, "a reducer needs a per-series aligner"
                )
            return [s for s in window if s.points]
        period = aggregation.alignment_period
        if not period or period < timedelta(seconds=60):
            raise RpcError(
                grpc.StatusCode.INVALID_ARGUMENT, "alignment_period must be at least 60s"
            )
        if aligner not in (Aligner.ALIGN_SUM, Aligner.ALIGN_MEAN):
            raise RpcError(grpc.StatusCode.UNIMPLEMENTED, f"aligner {aligner.name}")
        aligned = [_align(s, end, period, aligner == Aligner.ALIGN_MEAN) for s in window]
        aligned = [s for s in aligned if s.points]
        if reducer == Reducer.REDUCE_NONE:
            return aligned
        if reducer != Reducer.REDUCE_SUM:
            raise RpcError(grpc.StatusCode.UNIMPLEMENTED, f"reducer {reducer.name}")
        return _reduce(aligned, list(aggregation.group_by_fields))


def _align(series: StoredSeries, end: datetime, period: timedelta, mean: bool) -> StoredSeries:
    buckets: dict[datetime, list[float]] = defaultdict(list)
    for _, point_end, value in series.points:
        # Periods end at the interval's end and every ``period`` before it; a period holds
        # the points that end after its start and no later than its end.
        bucket_end = end - ((end - point_end) // period) * period
        buckets[bucket_end].append(value)
    points = []
    for bucket_end, values in buckets.items():
        value = sum(values) / len(values) if mean else sum(values)
        bucket_start = bucket_end if series.kind == "GAUGE" else bucket_end - period
        points.append((bucket_start, bucket_end, value))
    value_type = "DOUBLE" if mean else series.value_type
    return StoredSeries(
        series.metric_type,
        series.metric_labels,
        series.resource_labels,
        series.kind,
        value_type,
        points,
        series.resource_type,
    )


def _reduce(series: list[StoredSeries], fields: list[str]) -> list[StoredSeries]:
    groups: dict[tuple[str | None, ...], list[StoredSeries]] = defaultdict(list)
    for s in series:
        groups[tuple(_field(s, f) for f in fields)].append(s)
    out = []
    for key in sorted(groups, key=lambda k: tuple(v or "" for v in k)):
        members = groups[key]
        first = members[0]
        metric_labels: dict[str, str] = {}
        resource_labels: dict[str, str] = {}
        for name, label in zip(fields, key, strict=True):
            if label is None:
                continue
            if name.startswith("metric."):
                metric_labels[name.split(".", 2)[2]] = label
            elif name.startswith("resource."):
                resource_labels[name.split(".", 2)[2]] = label
        sums: dict[tuple[datetime, datetime], float] = defaultdict(float)
        for member in members:
            for start, end, value in member.points:
                sums[(start, end)] += value
        points = [(start, end, value) for (start, end), value in sums.items()]
        out.append(
            StoredSeries(
                first.metric_type,
                metric_labels,
                resource_labels,
                first.kind,
                first.value_type,
                points,
                first.resource_type,
            )
        )
    return out


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _to_proto(series: StoredSeries, with_points: bool) -> Any:
    from google.cloud import monitoring_v3

    kinds = {"GAUGE": 1, "DELTA": 2, "CUMULATIVE": 3}
    value_types = {"INT64": 2, "DOUBLE": 3}
    points = []
    if with_points:
        for start, end, value in sorted(series.points, key=lambda p: p[1], reverse=True):
            typed = (
                monitoring_v3.TypedValue(int64_value=int(value))
                if series.value_type == "INT64"
                else monitoring_v3.TypedValue(double_value=float(value))
            )
            points.append(
                monitoring_v3.Point(
                    interval=monitoring_v3.TimeInterval(start_time=start, end_time=end),
                    value=typed,
                )
            )
    return monitoring_v3.TimeSeries(
        metric={"type": series.metric_type, "labels": series.metric_labels},
        resource={"type": series.resource_type, "labels": series.resource_labels},
        metric_kind=kinds[series.kind],
        value_type=value_types[series.value_type],
        points=points,
    )


def _handler(emulator: MetricServiceEmulator) -> Any:
    import grpc
    from google.cloud import monitoring_v3

    def list_time_series(request: Any, context: Any) -> Any:
        try:
            return emulator.list_time_series(request)
        except RpcError as exc:
            context.abort(exc.code, exc.message)

    return grpc.method_handlers_generic_handler(
        SERVICE,
        {
            "ListTimeSeries": grpc.unary_unary_rpc_method_handler(
                list_time_series,
                request_deserializer=monitoring_v3.ListTimeSeriesRequest.deserialize,
                response_serializer=monitoring_v3.ListTimeSeriesResponse.serialize,
            )
        },
    )


@contextlib.contextmanager
def monitoring_emulator(emulator: MetricServiceEmulator) -> Iterator[str]:
    """Serve ``emulator`` on loopback; yield ``host:port`` with the client's env var set."""
    import grpc

    # Enough workers that calls a scripted delay holds still reach the service (and are seen).
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((_handler(emulator),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    address = f"127.0.0.1:{port}"
    try:
        with env_var(EMULATOR_ENV, address):
            yield address
    finally:
        emulator.release()
        server.stop(grace=None)


def bucket_series(
    metric_type: str,
    bucket: str,
    location: str,
    points: Mapping[datetime, float] | Sequence[tuple[datetime, float]],
    *,
    labels: Mapping[str, str] | None = None,
    kind: str = "DELTA",
    value_type: str = "INT64",
    project: str = "demo",
    step: timedelta = timedelta(minutes=1),
) -> StoredSeries:
    """A gcs_bucket series; each (end, value) point covers ``step`` before ``end``."""
    items = points.items() if isinstance(points, Mapping) else points
    return StoredSeries(
        metric_type,
        dict(labels or {}),
        {"project_id": project, "bucket_name": bucket, "location": location},
        kind,
        value_type,
        [(end if kind == "GAUGE" else end - step, end, value) for end, value in items],
    )
