"""Where a bucket lives decides whether its storage and egress can be free at all."""

from __future__ import annotations

from collections.abc import Iterable

from costwatch.config import FREE_REGIONS
from costwatch.findings import Finding, Severity
from costwatch.rules.bucket_base import BucketContext, BucketRule
from costwatch.sources.base import BucketSnapshot

_MOVE = (
    "create a new bucket in us-west1 and copy: `gcloud storage buckets create gs://NEW "
    "--location=us-west1 --default-storage-class=STANDARD --uniform-bucket-level-access` then "
    "`gcloud storage rsync -r gs://{name} gs://NEW` (a location cannot be changed)"
)


class RegionOutsideFreeTier(BucketRule):
    """Single-region bucket outside us-west1, us-central1 and us-east1.

    Why: the Always Free allowance (5 GiB-months of Standard storage, 5,000 Class A and
    50,000 Class B operations, 100 GiB of egress a month) applies only to usage in us-west1,
    us-central1 and us-east1. Anywhere else every byte is billed from the first one: about
    $0.020-0.026 per GiB-month stored and $0.12 per GiB served.
    Fix: a location cannot be changed. Create a new bucket in a free region and copy:
    `gcloud storage buckets create gs://NEW --location=us-west1 --default-storage-class=STANDARD`
    then `gcloud storage rsync -r gs://OLD gs://NEW`, and point the site at the new bucket.
    """

    id = "CW101"
    severity = Severity.ERROR

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.location_type == "region" and snapshot.location not in FREE_REGIONS:
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is in {snapshot.location}, outside the free regions "
                f"(us-west1, us-central1, us-east1): {_MOVE.format(name=snapshot.name)}",
            )


class MultiRegion(BucketRule):
    """Multi-region bucket (the console's default): never free.

    Why: multi-region locations (US, EU, ASIA) are the Cloud Console's default, and none of
    their usage counts against the Always Free allowance: storage costs about $0.026 per
    GiB-month and Class A operations twice the regional price from the first byte.
    Fix: a location cannot be changed. Create a regional bucket and copy:
    `gcloud storage buckets create gs://NEW --location=us-west1 --default-storage-class=STANDARD`
    then `gcloud storage rsync -r gs://OLD gs://NEW`.
    """

    id = "CW102"
    severity = Severity.ERROR

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.location_type == "multi-region":
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is a multi-region bucket ({snapshot.location}), which the free "
                f"tier does not cover: {_MOVE.format(name=snapshot.name)}",
            )


class DualRegion(BucketRule):
    """Dual-region bucket that is not in the approved list.

    Why: dual-region storage is billed on dual-region SKUs in both regions (about $0.022 per
    GiB-month in each), which the Always Free tier does not name, even when both regions are
    free regions; Class A operations cost twice the regional price. An approved dual-region
    (config `approved_dual_regions`, a code such as "NAM4" or a pair such as
    "US-EAST1+US-WEST1") passes with a note instead of an error.
    Fix: if the redundancy is not needed, create a regional bucket and copy:
    `gcloud storage buckets create gs://NEW --location=us-west1` then
    `gcloud storage rsync -r gs://OLD gs://NEW`; otherwise add it to `approved_dual_regions`.
    """

    id = "CW103"
    severity = Severity.ERROR

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.location_type != "dual-region":
            return
        label = snapshot.location
        pair = "+".join(sorted(snapshot.data_locations))
        if pair:
            label = f"{snapshot.location} ({' + '.join(snapshot.data_locations)})"
        approved = set(context.approved_dual_regions)
        if snapshot.location in approved or (pair and pair in approved):
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is an approved dual-region bucket in {label}; dual-region "
                "storage is billed outside the free tier",
                severity=Severity.NOTE,
            )
            return
        yield self.finding(
            snapshot.uri,
            f"{snapshot.uri} is a dual-region bucket in {label}, billed outside the free tier "
            "in both regions; approve it in `approved_dual_regions` or "
            f"{_MOVE.format(name=snapshot.name)}",
        )
