"""A realistic month of Cloud Monitoring data for the demo gallery, with a viral spike.

Hourly points from the start of the billing month to ``as_of``: a day-and-night rhythm of
image loads, a post that went viral 30 hours ago, a few uploads, broken-link 404s (which are
not billed), a bucket anyone can list, a Nearline backup, and a bucket with no data at all.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from costwatch.billing import HOUR, PACIFIC, BillingPeriod
from costwatch.demo.monitoring import StoredSeries, bucket_series
from costwatch.sources.monitoring import EGRESS, REQUESTS, STORAGE
from costwatch.sources.object_metrics import TOTAL_COUNT
from costwatch.units import GIB

PROJECT = "aiart-gallery"
IMAGE_BYTES = 650 * 1024
SPIKE = timedelta(hours=30)


def _hours(period: BillingPeriod) -> list[datetime]:
    count = int(period.elapsed / HOUR)
    return [period.start + HOUR * n + timedelta(minutes=30) for n in range(count)]


def _loads_per_hour(moment: datetime, period: BillingPeriod, rng: random.Random) -> float:
    """Image loads in the hour: ~1,100 a day, peaking in the Pacific evening."""
    hour = moment.astimezone(PACIFIC).hour
    rhythm = 1 + 0.8 * math.cos((hour - 20) / 24 * 2 * math.pi)
    loads = 1100 / 24 * rhythm * rng.uniform(0.8, 1.2)
    if moment > period.as_of - SPIKE:
        loads *= 25  # a post went viral
    return loads


def demo_usage(period: BillingPeriod) -> list[StoredSeries]:
    rng = random.Random(20261101)
    hours = _hours(period)
    loads = {h: _loads_per_hour(h, period, rng) for h in hours}

    def series(
        metric: str, bucket: str, location: str, values: dict[datetime, float], **labels: str
    ) -> StoredSeries:
        return bucket_series(
            metric, bucket, location, {k: round(v) for k, v in values.items() if v >= 0.5},
            labels=labels, project=PROJECT,
        )  # fmt: skip

    def gauge(
        bucket: str, location: str, kind: str, storage_class: str, gib: float, growth: float
    ) -> StoredSeries:
        # The storage gauge is measured about once a day; start two days before the month.
        days = int((period.as_of - period.start) / timedelta(days=1)) + 3
        first = period.start - timedelta(days=2) + timedelta(hours=3)
        points = [(first + timedelta(days=d), (gib + growth * d) * GIB) for d in range(days)]
        points = [(t, v) for t, v in points if t <= period.as_of]
        labels = {"type": kind, "storage_class": storage_class}
        return bucket_series(
            STORAGE, bucket, location, points, labels=labels,
            kind="GAUGE", value_type="DOUBLE", project=PROJECT,
        )  # fmt: skip

    images, west, assets = "aiart-gallery-images", "us-west1", "aiart-gallery-assets"
    uploads = {h: 2.0 for h in hours if h.astimezone(PACIFIC).hour in (21, 22) and h.day % 3 == 0}
    share = {"404": 0.03, "metadata": 0.1}
    return [
        series(EGRESS, images, west, {h: n * IMAGE_BYTES for h, n in loads.items()}),
        series(REQUESTS, images, west, loads, method="ReadObject", response_code="OK"),
        series(
            REQUESTS, images, west, {h: n * share["404"] for h, n in loads.items()},
            method="ReadObject", response_code="NOT_FOUND",
        ),
        series(
            REQUESTS, images, west, {h: n * share["metadata"] for h, n in loads.items()},
            method="GetObjectMetadata", response_code="OK",
        ),
        series(REQUESTS, images, west, uploads, method="WriteObject", response_code="OK"),
        series(REQUESTS, images, west, uploads, method="QueryWriteStatus", response_code="OK"),
        gauge(images, west, "live-object", "STANDARD", 3.3, 0.02),
        series(EGRESS, assets, "us", {h: 0.2 * GIB / 24 for h in hours}),
        series(
            REQUESTS, assets, "us", {h: 6.0 for h in hours},
            method="ListObjects", response_code="OK",
        ),
        gauge(assets, "us", "live-object", "STANDARD", 0.4, 0.0),
        gauge(assets, "us", "soft-deleted-object", "STANDARD", 0.05, 0.0),
        series(EGRESS, "aiart-thumbs-eu", "europe-west1", {h: 0.1 * GIB / 24 for h in hours}),
        gauge("aiart-originals-backup", "us-central1", "live-object", "NEARLINE", 12.0, 0.05),
        gauge("aiart-originals-backup", "us-central1", "noncurrent-object", "NEARLINE", 2.5, 0.01),
        *(
            bucket_series(
                TOTAL_COUNT, name, where, [(period.as_of - timedelta(hours=5), count)],
                labels={"type": "live-object"}, kind="GAUGE", value_type="DOUBLE", project=PROJECT,
            )
            for name, where, count in (
                (images, west, 10), ("aiart-originals-backup", "us-central1", 1)
            )
        ),
    ]  # fmt: skip
