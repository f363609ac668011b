"""The neutral bucket model every source produces and every bucket rule judges.

A live bucket read through the JSON API, a ``google_storage_bucket`` in Terraform, a planned
resource and a ``gcloud storage buckets create`` line in a deploy script all become the same
:class:`BucketSnapshot`. Each setting says how it is known:

- **known**: read or written explicitly;
- **default**: omitted, and the documented value the API or provider applies is used, with the
  reason (``omitted; the API applies 7 days``);
- **unknown**: could not be read or resolved (with why). Rules never judge an unknown value:
  the engine lists the rule as not checked for that bucket instead.

A snapshot also carries its :class:`Origin` (where it was described), so findings point at
``main.tf:42`` rather than at the config, and a :class:`BucketPatch` expresses commands that
change only some settings (``gcloud storage buckets update --no-versioning``), applied by
:func:`merge`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from costwatch.billing import BillingPeriod
from costwatch.footprint import ApiCalls

if TYPE_CHECKING:
    from costwatch.urls import Link

T = TypeVar("T")


class Known(StrEnum):
    """How a setting's value is known."""

    KNOWN = "known"
    DEFAULT = "default"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One bucket setting: its value and how it is known (``reason`` for defaults and unknowns).

    ``value`` is None exactly when the setting is unknown.
    """

    value: T | None
    known: Known = Known.KNOWN
    reason: str = ""

    @classmethod
    def of(cls, value: T) -> Setting[T]:
        return cls(value, Known.KNOWN)

    @classmethod
    def default(cls, value: T, reason: str) -> Setting[T]:
        return cls(value, Known.DEFAULT, reason)

    @classmethod
    def unknown(cls, reason: str) -> Setting[T]:
        return cls(None, Known.UNKNOWN, reason)

    @property
    def is_unknown(self) -> bool:
        return self.known is Known.UNKNOWN

    def get(self, fallback: T) -> T:
        """The value, or ``fallback`` where unknown (only for display, never for judgement)."""
        return fallback if self.value is None else self.value


class IncompleteKind(StrEnum):
    """Why something could not be checked, for machines (the reason text is for people)."""

    NOT_FOUND = "not_found"
    PERMISSION = "permission"
    CREDENTIALS = "credentials"
    UNAVAILABLE = "unavailable"
    UNSUPPORTED = "unsupported"
    UNKNOWN_VALUE = "unknown_value"
    MISSING_INPUT = "missing_input"
    SKIPPED = "skipped"


class LocationType(StrEnum):
    """The kind of location, which decides whether the bucket can be free at all."""

    REGION = "region"
    DUAL_REGION = "dual-region"
    MULTI_REGION = "multi-region"


#: Location names whose type is fixed by the name (Terraform and scripts have no
#: ``locationType``). Source: Cloud Storage "Bucket locations" page: multi-regions and
#: predefined dual-regions. A multi-region name with ``custom_placement_config`` (or
#: ``--placement``) is a configurable dual-region instead.
MULTI_REGIONS = frozenset({"US", "EU", "ASIA"})
PREDEFINED_DUAL_REGIONS = frozenset({"NAM4", "EUR4", "EUR5", "EUR7", "EUR8", "ASIA1"})


def location_type_from_name(location: str, data_locations: Iterable[str] = ()) -> LocationType:
    """The location type implied by a location name, as the table above documents.

    Anything that is neither a multi-region nor a predefined dual-region is a single region
    (``us-west1``); the name is upper-cased as the API returns it.
    """
    name = location.upper()
    if name in MULTI_REGIONS:
        return LocationType.DUAL_REGION if tuple(data_locations) else LocationType.MULTI_REGION
    if name in PREDEFINED_DUAL_REGIONS:
        return LocationType.DUAL_REGION
    return LocationType.REGION


class IamCompleteness(StrEnum):
    """How much of a bucket's access policy is known."""

    #: The whole policy was read (live ``getIamPolicy``).
    COMPLETE = "complete"
    #: Only some grants are known (Terraform members and bindings, script grants).
    PARTIAL = "partial"
    #: Nothing could be read.
    UNREAD = "unread"


@dataclass(frozen=True)
class Binding:
    """One IAM binding (or ACL grant translated to a role) on a bucket."""

    role: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class IamPolicy:
    """The grants known on a bucket (IAM bindings and public ACL grants) and how complete."""

    bindings: tuple[Binding, ...] = ()
    completeness: IamCompleteness = IamCompleteness.COMPLETE
    reason: str = ""

    def grants(self) -> Iterator[tuple[str, str]]:
        """(member, role) for every member of every binding."""
        for binding in self.bindings:
            for member in binding.members:
                yield member, binding.role


PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})

#: ACL entries translated to the legacy IAM role with the same effect, so the access rules
#: judge ACL-era buckets and IAM bindings with one vocabulary.
BUCKET_ACL_ROLE = {
    "READER": "roles/storage.legacyBucketReader",
    "WRITER": "roles/storage.legacyBucketWriter",
    "OWNER": "roles/storage.legacyBucketOwner",
}
OBJECT_ACL_ROLE = {
    "READER": "roles/storage.legacyObjectReader",
    "OWNER": "roles/storage.legacyObjectOwner",
}


def acl_binding(entity: str, role: str, *, default_object: bool) -> Binding | None:
    """The role an ACL grant to ``allUsers``/``allAuthenticatedUsers`` amounts to, if public.

    ``default_object`` is True for default object ACLs (objects' ACLs), False for the bucket's.
    Entity spellings from gsutil (``AllUsers``) are accepted.
    """
    member = {"allusers": "allUsers", "allauthenticatedusers": "allAuthenticatedUsers"}.get(
        entity.lower()
    )
    table = OBJECT_ACL_ROLE if default_object else BUCKET_ACL_ROLE
    mapped = table.get(role.upper())
    if member is None or mapped is None:
        return None
    return Binding(mapped, (member,))


class LifecycleAction(StrEnum):
    DELETE = "Delete"
    SET_STORAGE_CLASS = "SetStorageClass"
    ABORT_INCOMPLETE_UPLOAD = "AbortIncompleteMultipartUpload"
    OTHER = "other"


#: Lifecycle conditions that select noncurrent versions (JSON API names).
NONCURRENT_CONDITIONS = frozenset(
    {"numNewerVersions", "daysSinceNoncurrentTime", "noncurrentTimeBefore"}
)


@dataclass(frozen=True)
class LifecycleRule:
    """One lifecycle rule: what it does and whether it selects noncurrent versions."""

    action: LifecycleAction
    selects_noncurrent: bool

    @property
    def deletes_noncurrent(self) -> bool:
        return self.action is LifecycleAction.DELETE and self.selects_noncurrent


class SourceKind(StrEnum):
    """Where a bucket description came from; decides how a fix is written."""

    LIVE = "live"
    TERRAFORM = "terraform"
    PLAN = "plan"
    SCRIPT = "script"


@dataclass(frozen=True)
class Origin:
    """Where a snapshot was described: a live resource, a file and line, a resource address."""

    kind: SourceKind = SourceKind.LIVE
    path: str | None = None
    line: int | None = None
    address: str | None = None


@dataclass(frozen=True)
class BucketSnapshot:
    """Everything the bucket rules judge about one bucket, each setting with how it is known."""

    name: str
    origin: Origin = field(default_factory=Origin)
    location: Setting[str] = field(default_factory=lambda: Setting.unknown("not read"))
    location_type: Setting[LocationType] = field(
        default_factory=lambda: Setting.unknown("not read")
    )
    data_locations: Setting[tuple[str, ...]] = field(default_factory=lambda: Setting.of(()))
    storage_class: Setting[str] = field(default_factory=lambda: Setting.unknown("not read"))
    autoclass: Setting[bool] = field(default_factory=lambda: Setting.unknown("not read"))
    soft_delete_seconds: Setting[int] = field(default_factory=lambda: Setting.unknown("not read"))
    versioning: Setting[bool] = field(default_factory=lambda: Setting.unknown("not read"))
    lifecycle_rules: Setting[tuple[LifecycleRule, ...]] = field(
        default_factory=lambda: Setting.unknown("not read")
    )
    requester_pays: Setting[bool] = field(default_factory=lambda: Setting.unknown("not read"))
    rpo: Setting[str] = field(default_factory=lambda: Setting.unknown("not read"))
    public_access_prevention: Setting[str] = field(
        default_factory=lambda: Setting.unknown("not read")
    )
    uniform_access: Setting[bool] = field(default_factory=lambda: Setting.unknown("not read"))
    iam: IamPolicy = field(
        default_factory=lambda: IamPolicy((), IamCompleteness.UNREAD, "not read")
    )

    @property
    def uri(self) -> str:
        return f"gs://{self.name}"

    @classmethod
    def all_unknown(
        cls, name: str, origin: Origin, reason: str, iam: IamPolicy | None = None
    ) -> BucketSnapshot:
        """A bucket none of whose settings could be read, each unknown for ``reason``."""
        unknown: dict[str, Setting[object]] = {key: Setting.unknown(reason) for key in SETTINGS}
        policy = iam if iam is not None else IamPolicy((), IamCompleteness.UNREAD, reason)
        return cls(name, origin, iam=policy, **unknown)  # type: ignore[arg-type]

    def setting(self, name: str) -> Setting[object]:
        value = getattr(self, name)
        assert isinstance(value, Setting)
        return value


#: The names of the settings a :class:`BucketSnapshot` carries (for rules' ``reads``).
SETTINGS = tuple(
    f.name for f in dataclasses.fields(BucketSnapshot) if f.name not in ("name", "origin", "iam")
)


@dataclass(frozen=True)
class BucketPatch:
    """A change to some settings of a bucket (``buckets update``, ``gsutil versioning set``).

    ``settings`` maps setting names to new values; ``add_bindings`` are grants added on top of
    whatever the policy holds (``add-iam-policy-binding``, ``gsutil iam ch``).
    """

    name: str
    origin: Origin
    settings: tuple[tuple[str, Setting[object]], ...] = ()
    add_bindings: tuple[Binding, ...] = ()

    def __post_init__(self) -> None:
        for key, _ in self.settings:
            if key not in SETTINGS:
                raise ValueError(f"unknown bucket setting {key!r}")


def merge(base: BucketSnapshot, patch: BucketPatch) -> BucketSnapshot:
    """``base`` (live or planned state) with ``patch`` applied; the origin becomes the patch's."""
    changes: dict[str, object] = dict(patch.settings)
    if patch.add_bindings:
        policy = base.iam
        completeness = policy.completeness
        if completeness is IamCompleteness.UNREAD:
            completeness = IamCompleteness.PARTIAL
        changes["iam"] = IamPolicy(
            policy.bindings + patch.add_bindings, completeness, policy.reason
        )
    changes["origin"] = patch.origin
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# Usage: the series a usage source reads, and the month's summary the usage rules judge.


@dataclass(frozen=True)
class Point:
    """One aligned value: a sum over the hour ending at ``end`` (or a gauge mean)."""

    end: datetime
    value: float


@dataclass(frozen=True)
class Series:
    """One reduced series: a bucket, where it is, and a label (method, or type/class)."""

    bucket: str
    location: str
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class MetricResult:
    """The series of one metric, or why they could not be read (never an empty success)."""

    series: tuple[Series, ...] | None
    error: str | None = None
    error_kind: IncompleteKind = IncompleteKind.UNAVAILABLE


@dataclass(frozen=True)
class UsageReading:
    """Everything read from Monitoring for one billing period."""

    project: str
    period: BillingPeriod
    egress: MetricResult
    requests: MetricResult
    storage: MetricResult
    queries: int
    #: Every call sent, pages and retries included.
    api_calls: ApiCalls = field(default_factory=ApiCalls)


@dataclass(frozen=True)
class Resource:
    """One free-tier resource: used so far, forecast at month end, and when it runs out.

    ``used`` and ``forecast`` are None when Monitoring could not be read (``unknown`` says
    why): unknown is never zero.
    """

    name: str
    unit: str
    allowance: float
    used: float | None = None
    forecast: float | None = None
    crossing: datetime | None = None
    overage_usd: float | None = None
    price_note: str = ""
    unknown: str | None = None
    unknown_kind: IncompleteKind = IncompleteKind.UNAVAILABLE

    @property
    def used_share(self) -> float | None:
        return None if self.used is None or not self.allowance else self.used / self.allowance

    @property
    def forecast_share(self) -> float | None:
        if self.forecast is None or not self.allowance:
            return None
        return self.forecast / self.allowance


@dataclass(frozen=True)
class BucketUsage:
    """One bucket's share; ``has_data`` False means Monitoring has no series for it.

    ``free_region`` is None when the bucket's location is unknown (it could not be read and
    Monitoring has no series naming it): whether it shares the allowance is then unknown too.
    """

    name: str
    location: str
    free_region: bool | None
    has_data: bool
    egress_bytes: float | None = None
    class_a_ops: float | None = None
    class_b_ops: float | None = None
    storage_bytes: float | None = None
    storage_gib_months: float | None = None


@dataclass(frozen=True)
class UsageSummary:
    """The usage section: the period, the four resources, buckets, and daily egress."""

    project: str
    period: BillingPeriod
    resources: Mapping[str, Resource]
    buckets: tuple[BucketUsage, ...]
    daily: tuple[tuple[date, float, float], ...]
    unknown_methods: tuple[tuple[str, float], ...] = ()
    notes: tuple[str, ...] = field(default=())


# Links: what the link rules judge about one link in a site's source.


@dataclass(frozen=True)
class Suppression:
    """An inline ``costwatch: ignore[RULE,...] reason`` comment."""

    rules: tuple[str, ...]
    reason: str
    line: int


class LinkSnapshot(Protocol):
    """One link in one file, as the link rules see it (the site source produces these).

    ``used_as`` is ``image``, ``embed``, ``link`` or ``other``; ``use_key`` the JS/JSON key the
    use was judged by (None where markup decided); ``in_comment`` whether the page never loads
    it (an HTML, JS or CSS comment, commented-out code).
    """

    @property
    def path(self) -> str: ...

    @property
    def line(self) -> int: ...

    @property
    def link(self) -> Link: ...

    @property
    def used_as(self) -> str: ...

    @property
    def use_key(self) -> str | None: ...

    @property
    def in_comment(self) -> bool: ...

    @property
    def suppressions(self) -> tuple[Suppression, ...]: ...
