"""This month's use of the Always Free allowance, and where the forecast says it is heading.

Each rule warns when the month-end forecast reaches the warning threshold (config
`warn_at_percent`, default 80) and is an error when the forecast or the actual use reaches the
allowance. Unknown usage (Monitoring could not be read) is never judged as zero: it is listed
as not checked instead. An allowance of 0 (another project on the billing account already uses
it all) still judges: any use at all is an error, none is clean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from costwatch.billing import PACIFIC
from costwatch.findings import Finding, Severity
from costwatch.model import Resource, UsageSummary
from costwatch.rules.base import Rule
from costwatch.units import GIB


@dataclass(frozen=True)
class UsageContext:
    """The warning threshold, as a percentage of the allowance."""

    warn_at_percent: float = 80.0


def _amount(resource: Resource, value: float) -> str:
    if resource.unit == "bytes":
        return f"{value / GIB:,.1f} GiB"
    if resource.unit == "GiB-months":
        return f"{value:,.2f} GiB-months"
    return f"{value:,.0f}"


class UsageRule(Rule[UsageSummary, UsageContext]):
    """A rule about one resource's use of the free allowance this month."""

    family = "usage"
    resource_name: ClassVar[str]
    label: ClassVar[str]
    caveat: ClassVar[str] = ""

    def check(self, snapshot: UsageSummary, context: UsageContext) -> Iterable[Finding]:
        resource = snapshot.resources.get(self.resource_name)
        if resource is None or resource.used is None or resource.forecast is None:
            return
        used_share = resource.used_share or 0.0
        forecast_share = resource.forecast_share or 0.0
        if resource.allowance == 0:
            # An allowance of 0 (another project on the billing account uses it all) bills
            # every unit: any use is over it, no use is fine. It never disables the rule.
            if resource.used <= 0 and resource.forecast <= 0:
                return
            severity = Severity.ERROR
        elif used_share >= 1 or forecast_share >= 1:
            severity = Severity.ERROR
        elif forecast_share * 100 >= context.warn_at_percent:
            severity = Severity.WARNING
        else:
            return
        yield self.finding(
            f"projects/{snapshot.project}",
            self.message(snapshot, resource),
            key=self.resource_name,
            severity=severity,
        )

    def message(self, summary: UsageSummary, resource: Resource) -> str:
        as_of = summary.period.as_of.astimezone(PACIFIC).strftime("%b %d %H:%M %Z")
        used = resource.used or 0.0
        forecast = resource.forecast or 0.0
        allowance = _amount(resource, resource.allowance)
        if resource.allowance == 0:
            parts = [
                f"{self.label}: used {_amount(resource, used)} of an allowance of 0 by {as_of}: "
                "all of it is billed",
                f"forecast {_amount(resource, forecast)} at month end",
            ]
        else:
            parts = [
                f"{self.label}: used {_amount(resource, used)} of {allowance} "
                f"({(resource.used_share or 0) * 100:.0f}%) by {as_of}",
                f"forecast {_amount(resource, forecast)} "
                f"({(resource.forecast_share or 0) * 100:.0f}%) at month end",
            ]
        if resource.crossing is not None:
            when = resource.crossing.astimezone(PACIFIC).strftime("%b %d %H:%M %Z")
            verb = "crossed" if used >= resource.allowance else "crosses"
            parts.append(f"{verb} the allowance {when}")
        if resource.overage_usd is not None:
            parts.append(
                f"estimated overage ${resource.overage_usd:,.2f} at the forecast "
                f"({resource.price_note})"
            )
        text = "; ".join(parts)
        return f"{text}. {self.caveat}".rstrip() if self.caveat else text


class EgressAllowance(UsageRule):
    """Egress is on course to exceed the free 100 GiB this month.

    Why: the Always Free tier covers 100 GiB a month of data transfer out from North America
    (China and Australia excluded), shared by every free-region bucket of the billing account;
    past it, internet egress costs about $0.12 per GiB. A post that goes viral can use a month's
    allowance in a day. The figure comes from `network/sent_bytes_count`, which counts every
    byte sent, so it is an upper bound on billable internet egress.
    Fix: serve images through a CDN with caching (Cloud CDN, or a free CDN in front of the
    bucket), resize and recompress them (WebP/AVIF, `srcset`), and set long cache lifetimes:
    `gcloud storage objects update gs://BUCKET/** --cache-control="public, max-age=31536000"`.
    """

    id = "CW201"
    severity = Severity.WARNING
    resource_name = "egress"
    label = "egress"
    caveat = (
        "The metric counts every byte sent, so this is an upper bound on billable internet egress."
    )


class ClassAAllowance(UsageRule):
    """Class A operations are on course to exceed the free 5,000 this month.

    Why: uploads, listings, copies and metadata updates are Class A operations: 5,000 a month
    are free in the free regions, then about $0.005 per 1,000 (twice that on dual- and
    multi-region buckets). Anonymous listing of a public bucket and upload scripts that
    re-upload everything are the usual causes.
    Fix: upload only what changed (`gcloud storage rsync`), and stop anonymous listing by
    granting `roles/storage.legacyObjectReader` instead of `roles/storage.objectViewer`.
    """

    id = "CW202"
    severity = Severity.WARNING
    resource_name = "class_a_ops"
    label = "Class A operations"


class ClassBAllowance(UsageRule):
    """Class B operations are on course to exceed the free 50,000 this month.

    Why: every image a visitor's browser loads straight from storage.googleapis.com is a
    Class B operation (a read): 50,000 a month are free in the free regions, then about
    $0.0004 per 1,000. Cheap, but it measures how many loads skip every cache.
    Fix: put a CDN or caching proxy in front of the bucket and set long cache lifetimes:
    `gcloud storage objects update gs://BUCKET/** --cache-control="public, max-age=31536000"`.
    """

    id = "CW203"
    severity = Severity.WARNING
    resource_name = "class_b_ops"
    label = "Class B operations"


class StorageAllowance(UsageRule):
    """Standard storage is on course to exceed the free 5 GiB-months this month.

    Why: 5 GiB-months of Standard storage are free in the free regions, counting live,
    noncurrent, soft-deleted and incomplete multipart bytes; past it, about $0.020 per
    GiB-month. Versioning without cleanup and soft delete grow it silently.
    Fix: delete what the site no longer uses, clear soft delete
    (`gcloud storage buckets update gs://BUCKET --clear-soft-delete`), and add a lifecycle rule
    deleting noncurrent versions (`gcloud storage buckets update gs://BUCKET
    --lifecycle-file=FILE`).
    """

    id = "CW204"
    severity = Severity.WARNING
    resource_name = "storage"
    label = "Standard storage"
