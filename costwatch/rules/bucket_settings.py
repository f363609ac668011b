"""Bucket settings that quietly cost money or break a public site."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from costwatch.findings import Finding, Fix, Severity
from costwatch.model import BucketSnapshot, Known, Setting
from costwatch.rules.bucket_base import BucketContext, BucketRule


def _default_note(setting: Setting[Any]) -> str:
    """`` (omitted; the API applies 7 days)`` where the value is a documented default."""
    return f" ({setting.reason})" if setting.known is Known.DEFAULT and setting.reason else ""


class StorageClassNotStandard(BucketRule):
    """Default storage class is not STANDARD.

    Why: only Standard storage is in the Always Free tier. Nearline, Coldline and Archive add
    a retrieval fee on every read ($0.01 to $0.05 per GiB) and minimum storage durations, which
    is ruinous for a bucket whose objects are read by every page view.
    Fix: `gcloud storage buckets update gs://BUCKET --default-storage-class=STANDARD`, then move
    existing objects (charged by each object's own class):
    `gcloud storage objects update gs://BUCKET/** --storage-class=STANDARD`.
    """

    id = "CW104"
    severity = Severity.ERROR
    reads = ("storage_class",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        storage_class = (snapshot.storage_class.value or "").upper()
        if storage_class != "STANDARD":
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} stores new objects as {storage_class}, which is not free "
                "and charges for every read (existing objects keep their own class)",
                fix=Fix(setting="storage_class", value="STANDARD"),
            )


class AutoclassEnabled(BucketRule):
    """Autoclass is enabled.

    Why: Autoclass charges a management fee ($0.0025 per 1,000 objects a month) and moves
    objects into Nearline, Coldline or Archive, which are not free; how the free tier treats
    Autoclass buckets is not documented.
    Fix: `gcloud storage buckets update gs://BUCKET --no-enable-autoclass`.
    """

    id = "CW105"
    severity = Severity.WARNING
    reads = ("autoclass",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.autoclass.value:
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} has Autoclass on (management fee, may move objects out of the "
                "free STANDARD class)",
                fix=Fix(setting="autoclass", value=False),
            )


class SoftDeleteRetention(BucketRule):
    """Soft delete keeps deleted objects, and bills them like live ones.

    Why: since March 2024 new buckets keep deleted objects for 7 days by default (up to 90),
    and soft-deleted bytes are billed at the storage price like live bytes and count against
    the 5 GiB-month allowance. A site that re-uploads its images pays for them twice.
    Fix: `gcloud storage buckets update gs://BUCKET --clear-soft-delete`.
    """

    id = "CW106"
    severity = Severity.WARNING
    reads = ("soft_delete_seconds",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        seconds = snapshot.soft_delete_seconds.value or 0
        if seconds > 0:
            days = seconds / 86400
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} keeps deleted objects for {days:g} days"
                f"{_default_note(snapshot.soft_delete_seconds)}, billed like live bytes",
                fix=Fix(setting="soft_delete_seconds", value=0),
            )


class VersioningWithoutCleanup(BucketRule):
    """Versioning is on with no lifecycle rule that deletes noncurrent versions.

    Why: every overwrite or delete keeps the old version, billed like a live object forever,
    so storage grows past the 5 GiB-month allowance without anyone uploading more.
    Fix: add a lifecycle rule that deletes noncurrent versions, e.g. a file with
    `{"rule": [{"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 7}}]}`
    and `gcloud storage buckets update gs://BUCKET --lifecycle-file=FILE`, or turn versioning
    off: `gcloud storage buckets update gs://BUCKET --no-versioning`.
    """

    id = "CW107"
    severity = Severity.WARNING
    reads = ("versioning", "lifecycle_rules")

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        rules = snapshot.lifecycle_rules.value or ()
        if snapshot.versioning.value and not any(rule.deletes_noncurrent for rule in rules):
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} keeps every old version with no lifecycle rule to delete them",
                fix=Fix(setting="lifecycle_rules", value="delete-noncurrent"),
            )


class RequesterPays(BucketRule):
    """Requester pays is on: anonymous image loads fail.

    Why: with requester pays every request must name a project to bill; a browser loading an
    `<img>` cannot, so every anonymous request fails with 400 UserProjectMissing and the
    site's images break. Silent on buckets marked `public = false`.
    Fix: `gcloud storage buckets update gs://BUCKET --no-requester-pays`.
    """

    id = "CW108"
    severity = Severity.ERROR
    reads = ("requester_pays",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if snapshot.requester_pays.value and context.public:
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} has requester pays on, so anonymous visitors get 400 "
                "UserProjectMissing",
                fix=Fix(setting="requester_pays", value=False),
            )


class TurboReplication(BucketRule):
    """Turbo replication is on.

    Why: turbo replication (rpo ASYNC_TURBO) on a dual-region bucket costs $0.04 per GiB
    written, on top of dual-region storage that is already outside the free tier.
    Fix: `gcloud storage buckets update gs://BUCKET --rpo=DEFAULT`.
    """

    id = "CW109"
    severity = Severity.WARNING
    reads = ("rpo",)

    def check(self, snapshot: BucketSnapshot, context: BucketContext) -> Iterable[Finding]:
        if (snapshot.rpo.value or "").upper() == "ASYNC_TURBO":
            yield self.finding(
                snapshot.uri,
                f"{snapshot.uri} uses turbo replication ($0.04 per GiB written)",
                fix=Fix(setting="rpo", value="DEFAULT"),
            )
