"""Read this month's usage from Cloud Monitoring, one query per metric for the whole project.

The server does the arithmetic: each query aligns every bucket's series into hourly sums
(``ALIGN_SUM``; ``ALIGN_MEAN`` for the storage gauge) and reduces them (``REDUCE_SUM``) to one
series per bucket (and method, or storage type), whatever the number of buckets or days. Pages
are followed. ``COSTWATCH_MONITORING_EMULATOR_HOST=host:port`` points the client at a
plaintext gRPC endpoint with no credentials, as ``STORAGE_EMULATOR_HOST`` does for Storage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from costwatch.billing import BillingPeriod
from costwatch.model import IncompleteKind, MetricResult, Point, Series, UsageReading
from costwatch.sources.base import NO_CREDENTIALS, SourceError

EMULATOR_ENV = "COSTWATCH_MONITORING_EMULATOR_HOST"

EGRESS = "storage.googleapis.com/network/sent_bytes_count"
REQUESTS = "storage.googleapis.com/api/request_count"
STORAGE = "storage.googleapis.com/storage/v2/total_bytes"

BUCKET_FIELDS = ("resource.label.bucket_name", "resource.label.location")
ALIGNMENT = timedelta(hours=1)
#: The storage gauge is measured about once a day: look back far enough to know the level
#: in force when the month began.
STORAGE_LOOKBACK = timedelta(days=2)

_PERMISSION = "the caller needs monitoring.timeSeries.list (role roles/monitoring.viewer)"


@dataclass(frozen=True)
class Query:
    metric: str
    extra_filter: str
    aligner: str
    group_by: tuple[str, ...]
    label_fields: tuple[str, ...]
    lookback: timedelta = timedelta(0)


QUERIES = {
    "egress": Query(EGRESS, "", "ALIGN_SUM", BUCKET_FIELDS, ()),
    "requests": Query(
        REQUESTS,
        ' AND metric.label.response_code = "OK"',
        "ALIGN_SUM",
        (*BUCKET_FIELDS, "metric.label.method"),
        ("method",),
    ),
    "storage": Query(
        STORAGE,
        "",
        "ALIGN_MEAN",
        (*BUCKET_FIELDS, "metric.label.type", "metric.label.storage_class"),
        ("type", "storage_class"),
        STORAGE_LOOKBACK,
    ),
}


def read_usage(
    project: str, period: BillingPeriod, timeout_seconds: float, retry_seconds: float
) -> UsageReading:
    """Query the three metrics; each one that fails is recorded with the reason."""
    try:
        client = _make_client()
    except SourceError as exc:
        failed = MetricResult(None, str(exc), IncompleteKind.CREDENTIALS)
        return UsageReading(project, period, failed, failed, failed, 0)
    results: dict[str, MetricResult] = {}
    queries = 0
    for name, query in QUERIES.items():
        queries += 1
        try:
            series = _run(client, project, period, query, timeout_seconds, retry_seconds)
            results[name] = MetricResult(tuple(series))
        except api_errors() as exc:
            results[name] = MetricResult(
                None, explain(exc, project, retry_seconds), error_kind(exc)
            )
            if _is_fatal(exc):
                failed = results[name]
                for rest in QUERIES:
                    results.setdefault(rest, failed)
                break
    return UsageReading(
        project, period, results["egress"], results["requests"], results["storage"], queries
    )


def api_errors() -> tuple[type[Exception], ...]:
    """The failures reading Monitoring can end in; anything else is a bug and is not caught."""
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    return (gexc.GoogleAPIError, google.auth.exceptions.GoogleAuthError, OSError, ValueError)


def _make_client() -> Any:
    import google.auth.exceptions
    from google.cloud import monitoring_v3

    host = os.environ.get(EMULATOR_ENV)
    if host:
        import grpc
        from google.cloud.monitoring_v3.services.metric_service.transports import (
            MetricServiceGrpcTransport,
        )

        channel = grpc.insecure_channel(host.removeprefix("http://"))
        return monitoring_v3.MetricServiceClient(
            transport=MetricServiceGrpcTransport(channel=channel)
        )
    try:
        return monitoring_v3.MetricServiceClient()
    except google.auth.exceptions.DefaultCredentialsError as exc:
        raise SourceError(NO_CREDENTIALS) from exc


def _run(
    client: Any,
    project: str,
    period: BillingPeriod,
    query: Query,
    timeout_seconds: float,
    retry_seconds: float,
) -> list[Series]:
    from google.api_core import exceptions as gexc
    from google.api_core import retry as gretry
    from google.cloud import monitoring_v3

    start = period.start - query.lookback
    request = monitoring_v3.ListTimeSeriesRequest(
        name=f"projects/{project}",
        filter=f'metric.type = "{query.metric}" AND resource.type = "gcs_bucket"'
        + query.extra_filter,
        interval=monitoring_v3.TimeInterval(start_time=start, end_time=period.as_of),
        aggregation=monitoring_v3.Aggregation(
            alignment_period=ALIGNMENT,
            per_series_aligner=getattr(monitoring_v3.Aggregation.Aligner, query.aligner),
            cross_series_reducer=monitoring_v3.Aggregation.Reducer.REDUCE_SUM,
            group_by_fields=list(query.group_by),
        ),
        view=monitoring_v3.ListTimeSeriesRequest.TimeSeriesView.FULL,
    )
    retry = None
    if retry_seconds > 0:
        retry = gretry.Retry(
            predicate=gretry.if_exception_type(
                gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.ResourceExhausted
            ),
            initial=0.2,
            maximum=min(4.0, retry_seconds),
            multiplier=2.0,
            timeout=retry_seconds,
        )
    pager = client.list_time_series(request=request, retry=retry, timeout=timeout_seconds)
    return [_series(ts, query) for ts in pager]


def _series(ts: Any, query: Query) -> Series:
    labels = ts.resource.labels
    metric_labels = ts.metric.labels
    label = "/".join(metric_labels.get(name, "") for name in query.label_fields)
    points = tuple(
        sorted(
            (Point(_utc(p.interval.end_time), _number(p.value)) for p in ts.points),
            key=lambda p: p.end,
        )
    )
    return Series(labels.get("bucket_name", ""), labels.get("location", "").lower(), label, points)


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromtimestamp(value.seconds + value.nanos / 1e9, UTC)


def _number(value: Any) -> float:
    kind = type(value).pb(value).WhichOneof("value")
    if kind == "int64_value":
        return float(value.int64_value)
    if kind == "double_value":
        return float(value.double_value)
    if kind == "distribution_value":
        return float(value.distribution_value.mean * value.distribution_value.count)
    return 0.0


def _is_fatal(exc: Exception) -> bool:
    """Errors that will repeat for every metric: no point asking three times."""
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    return isinstance(
        exc,
        gexc.PermissionDenied
        | gexc.Unauthenticated
        | gexc.NotFound
        | google.auth.exceptions.GoogleAuthError,
    )


def error_kind(exc: Exception) -> IncompleteKind:
    """The machine-readable kind of a Monitoring failure."""
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.PermissionDenied):
        return IncompleteKind.PERMISSION
    if isinstance(exc, gexc.NotFound):
        return IncompleteKind.NOT_FOUND
    if isinstance(exc, gexc.Unauthenticated | google.auth.exceptions.GoogleAuthError):
        return IncompleteKind.CREDENTIALS
    return IncompleteKind.UNAVAILABLE


@dataclass(frozen=True)
class MonitoringUsage:
    """The usage source backed by Cloud Monitoring (or the emulator the environment names)."""

    project: str
    timeout_seconds: float
    retry_seconds: float

    def read_usage(self, period: BillingPeriod) -> UsageReading:
        return read_usage(self.project, period, self.timeout_seconds, self.retry_seconds)


def explain(exc: Exception, project: str, retry_seconds: float) -> str:
    """One line: what went wrong reading Monitoring and what to do about it."""
    import google.auth.exceptions
    from google.api_core import exceptions as gexc

    text = " ".join(str(getattr(exc, "message", "") or exc).split())[:200]
    if isinstance(exc, gexc.RetryError):
        cause = exc.cause
        name = type(cause).__name__ if cause else "timeout"
        return f"Cloud Monitoring kept failing for {retry_seconds:g}s of retries ({name})"
    if isinstance(exc, gexc.PermissionDenied):
        lowered = text.lower()
        if "has not been used" in lowered or "disabled" in lowered or "service_disabled" in lowered:
            return (
                f"the Cloud Monitoring API is disabled in project {project}: "
                f"`gcloud services enable monitoring.googleapis.com --project={project}`"
            )
        return f"permission denied reading Cloud Monitoring in project {project}: {_PERMISSION}"
    if isinstance(exc, gexc.NotFound):
        return f"project {project} not found in Cloud Monitoring (check --project)"
    if isinstance(exc, gexc.Unauthenticated | google.auth.exceptions.RefreshError):
        return "credentials were rejected: run `gcloud auth application-default login`"
    if isinstance(exc, google.auth.exceptions.DefaultCredentialsError):
        return NO_CREDENTIALS
    if isinstance(exc, gexc.ResourceExhausted):
        return f"Cloud Monitoring quota exhausted, still after retries: {text}"
    if isinstance(exc, gexc.GoogleAPICallError):
        return f"Cloud Monitoring answered {type(exc).__name__}: {text}"
    return f"could not reach Cloud Monitoring ({type(exc).__name__}: {text})"
