"""Where a bucket lives decides whether its storage and egress can be free at all."""

from __future__ import annotations

from collections.abc import Iterable

from costwatch.config import free_region_names
from costwatch.findings import Finding, Fix, Severity
from costwatch.model import BucketSnapshot, Known, LocationType
from costwatch.rules.bucket_base import BucketContext, BucketRule

#: A location cannot be changed: every location fix is a new bucket in a free region.
_MOVE = Fix(setting="location", value="us-west1")


def _regions(context: BucketContext) -> str:
    return free_region_names(context.free_regions)


class RegionOutsideFreeTier(BucketRule):
    """Single-region bucket outside us-west1, us-central1 and us-east1.

    Why: the Always Free allowance (5 GiB-months of Standard storage, 5,000 Class A and
    50,000 Class B operations, 100 GiB of egress a month) applies only to usage in us-west1,
    us-central1 and us-east1. Anywhere else every byte is billed from the first one: about
    $0.020-0.026 per GiB-month stored and $0.12 per GiB served.
    Fix: a location cannot be changed. Create a new bucket in a free region and copy:
    `gcloud storage buckets create gs://NEW --location=us-west1 --default-storage-class=STANDARD`
    then `gcloud storage rsync -r gs://OLD gs://NEW`, and point the site at the new bucket.
    In Terraform: `location = "US-WEST1"`; in a script: `--location=us-west1`.
    """

    id = "CW101"
    severity = Severity.ERROR
    reads = ("location", "location_type")

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        location = (snapshot.location.value or "").upper()
        if snapshot.location_type.value is LocationType.REGION and (
            location not in context.free_regions
        ):
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is in {location}, outside the free regions ({_regions(context)})",
                fix=_MOVE,
            )


class MultiRegion(BucketRule):
    """Multi-region bucket (the console's default): never free.

    Why: multi-region locations (US, EU, ASIA) are the Cloud Console's default, and the
    default of `gcloud storage buckets create` and `gsutil mb` without a location; none of
    their usage counts against the Always Free allowance: storage costs about $0.026 per
    GiB-month and Class A operations twice the regional price from the first byte.
    Fix: a location cannot be changed. Create a regional bucket and copy:
    `gcloud storage buckets create gs://NEW --location=us-west1 --default-storage-class=STANDARD`
    then `gcloud storage rsync -r gs://OLD gs://NEW`. In Terraform: `location = "US-WEST1"`;
    in a script: `--location=us-west1` (gsutil mb: `-l us-west1`).
    """

    id = "CW102"
    severity = Severity.ERROR
    reads = ("location", "location_type")

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.location_type.value is LocationType.MULTI_REGION:
            where = (snapshot.location.value or "").upper()
            default = snapshot.location.reason if snapshot.location.known is Known.DEFAULT else ""
            suffix = f"; {default}" if default else ""
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} is a multi-region bucket ({where}{suffix}), which the free "
                "tier does not cover",
                fix=_MOVE,
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
    reads = ("location", "location_type", "data_locations")

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.location_type.value is not LocationType.DUAL_REGION:
            return
        location = (snapshot.location.value or "").upper()
        data_locations = tuple(d.upper() for d in snapshot.data_locations.value or ())
        label = location
        pair = "+".join(sorted(data_locations))
        if pair:
            label = f"{location} ({' + '.join(data_locations)})"
        approved = set(context.approved_dual_regions)
        if location in approved or (pair and pair in approved):
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
            "in both regions; approve it in `approved_dual_regions` or move it to one region",
            fix=_MOVE,
        )
