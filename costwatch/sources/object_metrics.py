"""What Cloud Monitoring says about objects, for the whole project in four queries.

None of these costs a Cloud Storage operation: ``storage/v2/total_count`` estimates how many
``objects.list`` pages (Class A operations) a listing would spend before it starts;
``storage/v2/total_bytes`` by ``type`` finds noncurrent and soft-deleted bytes (CW406)
without listing; ``network/sent_bytes_count`` and ``api/request_count`` by method give the
month's egress and Class B operations so far, and the bytes per served object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from costwatch.billing import BillingPeriod
from costwatch.model import Series
from costwatch.objects_model import StoredBytes
from costwatch.sources.base import SourceError
from costwatch.sources.monitoring import (
    BUCKET_FIELDS,
    EGRESS,
    QUERIES,
    STORAGE,
    Query,
    explain,
)

TOTAL_COUNT = "storage.googleapis.com/storage/v2/total_count"
#: The gauges are measured about once a day: look back far enough to find the latest.
GAUGE_LOOKBACK = timedelta(days=2)
READ_METHODS = frozenset({"ReadObject", "GetObject", "BidiReadObject"})
FREE_LOCATIONS = frozenset({"us-west1", "us-central1", "us-east1"})

OBJECT_QUERIES = {
    "count": Query(
        TOTAL_COUNT,
        "",
        "ALIGN_MEAN",
        (*BUCKET_FIELDS, "metric.label.type"),
        ("type",),
        GAUGE_LOOKBACK,
    ),
    "bytes": Query(
        STORAGE, "", "ALIGN_MEAN", (*BUCKET_FIELDS, "metric.label.type"), ("type",), GAUGE_LOOKBACK
    ),
    "sent": Query(EGRESS, "", "ALIGN_SUM", (*BUCKET_FIELDS, "metric.label.method"), ("method",)),
    "requests": QUERIES["requests"],
}


@dataclass
class ObjectMetrics:
    """The figures, each None when it could not be read (``errors`` says why)."""

    live_counts: dict[str, float] = field(default_factory=dict)
    stored: dict[str, StoredBytes] = field(default_factory=dict)
    egress_used: float | None = None
    class_b_used: float | None = None
    read_bytes: float | None = None
    read_requests: float | None = None
    errors: dict[str, str] = field(default_factory=dict)
    queries: int = 0

    def estimated_objects(self, bucket: str) -> float | None:
        if "count" in self.errors:
            return None
        return self.live_counts.get(bucket)


def _latest(series: Series) -> float | None:
    return series.points[-1].value if series.points else None


def _in_month(series: Series, period: BillingPeriod) -> float:
    return sum(p.value for p in series.points if period.start < p.end <= period.as_of)


def read_object_metrics(
    project: str,
    period: BillingPeriod,
    buckets: frozenset[str],
    class_b_methods: frozenset[str],
    timeout_seconds: float,
    retry_seconds: float,
) -> ObjectMetrics:
    """Run the four queries; a query that fails leaves its figures None with the reason."""
    from costwatch.sources import monitoring

    out = ObjectMetrics()
    try:
        client = monitoring._make_client()
    except SourceError as exc:
        out.errors = {name: str(exc) for name in OBJECT_QUERIES}
        return out
    results: dict[str, list[Series]] = {}
    for name, query in OBJECT_QUERIES.items():
        out.queries += 1
        try:
            results[name] = monitoring._run(
                client, project, period, query, timeout_seconds, retry_seconds
            )
        except monitoring.api_errors() as exc:  # one line each; the next query may still work
            out.errors[name] = explain(exc, project, retry_seconds)
            if monitoring._is_fatal(exc):
                for rest in OBJECT_QUERIES:
                    out.errors.setdefault(rest, out.errors[name])
                break
    for series in results.get("count", []):
        if series.label == "live-object":
            value = _latest(series)
            if value is not None:
                out.live_counts[series.bucket] = out.live_counts.get(series.bucket, 0) + value
    by_type: dict[str, dict[str, float]] = defaultdict(dict)
    for series in results.get("bytes", []):
        value = _latest(series)
        if value is not None:
            by_type[series.bucket][series.label] = value
    for bucket, types in by_type.items():
        out.stored[bucket] = StoredBytes(
            bucket,
            types.get("live-object"),
            types.get("noncurrent-object"),
            types.get("soft-deleted-object"),
        )
    if "sent" in results:
        sent = results["sent"]
        out.egress_used = sum(
            _in_month(s, period) for s in sent if s.location.lower() in FREE_LOCATIONS
        )
        out.read_bytes = sum(
            _in_month(s, period) for s in sent if s.bucket in buckets and s.label in READ_METHODS
        )
    if "requests" in results:
        requests = results["requests"]
        out.class_b_used = sum(
            _in_month(s, period)
            for s in requests
            if s.location.lower() in FREE_LOCATIONS and s.label in class_b_methods
        )
        out.read_requests = sum(
            _in_month(s, period)
            for s in requests
            if s.bucket in buckets and s.label in READ_METHODS
        )
    return out
