"""Neutral records the infrastructure parsers produce, before any default is applied.

A parser says only what the file says: a setting is either written with a value that could be
resolved (known), written with one that could not (unknown, with the expression), or absent.
Defaults for absent settings are applied later, in one table (``defaults.py``), so no parser
guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from costwatch.model import SourceKind as SourceKind

#: Setting keys shared by every parser; values use the API's vocabulary (upper-case
#: locations and classes, seconds, booleans).
LOCATION = "location"
DATA_LOCATIONS = "data_locations"
STORAGE_CLASS = "storage_class"
AUTOCLASS = "autoclass"
SOFT_DELETE_SECONDS = "soft_delete_seconds"
VERSIONING = "versioning"
LIFECYCLE_DELETES_NONCURRENT = "lifecycle_deletes_noncurrent"
REQUESTER_PAYS = "requester_pays"
RPO = "rpo"
PUBLIC_ACCESS_PREVENTION = "public_access_prevention"
UNIFORM_ACCESS = "uniform_access"

SETTINGS = (
    LOCATION,
    DATA_LOCATIONS,
    STORAGE_CLASS,
    AUTOCLASS,
    SOFT_DELETE_SECONDS,
    VERSIONING,
    LIFECYCLE_DELETES_NONCURRENT,
    REQUESTER_PAYS,
    RPO,
    PUBLIC_ACCESS_PREVENTION,
    UNIFORM_ACCESS,
)

Scalar = str | int | bool | tuple[str, ...] | None


class Certainty(StrEnum):
    KNOWN = "known"
    DEFAULT = "default"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Value:
    """A setting's value and how sure we are of it.

    ``note`` holds the expression of an unknown value (``var.region: no value``) or the reason
    a default applies (``omitted; the API applies 7 days``).
    """

    value: Scalar
    certainty: Certainty = Certainty.KNOWN
    note: str = ""

    @classmethod
    def unknown(cls, note: str) -> Value:
        return cls(None, Certainty.UNKNOWN, note)

    @classmethod
    def default(cls, value: Scalar, note: str) -> Value:
        return cls(value, Certainty.DEFAULT, note)

    @property
    def is_unknown(self) -> bool:
        return self.certainty is Certainty.UNKNOWN


@dataclass(frozen=True)
class Origin:
    """Where a record was written: file, line (None in a plan) and the resource or command."""

    kind: SourceKind
    path: str
    line: int | None
    address: str = ""
    #: Last line of the resource block, so an ignore comment inside it applies.
    end_line: int | None = None

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class Action(StrEnum):
    """Whether a record creates a bucket (omitted settings get defaults) or patches one."""

    CREATE = "create"
    UPDATE = "update"


@dataclass(frozen=True)
class BucketRecord:
    """One bucket as one file describes it.

    ``ref`` identifies the bucket inside its source (a Terraform address such as
    ``module.site.google_storage_bucket.images``) so grants can be tied to it when its name is
    unknown.
    """

    name: Value
    origin: Origin
    action: Action
    settings: dict[str, Value] = field(default_factory=dict)
    ref: str = ""


class GrantKind(StrEnum):
    IAM = "iam"
    ACL = "acl"
    DEFAULT_ACL = "default-acl"


@dataclass(frozen=True)
class GrantRecord:
    """A grant of a role on a bucket to one member.

    ``authoritative`` marks a grant from a whole-policy resource (``_iam_policy``): the
    bucket's IAM is then complete, and a missing ``allUsers`` grant is a real absence.
    """

    bucket: Value
    member: str
    role: str
    origin: Origin
    kind: GrantKind = GrantKind.IAM
    bucket_ref: str = ""
    authoritative: bool = False
    conditional: bool = False


@dataclass(frozen=True)
class Unchecked:
    """Something that could not be checked, and why: never silently passed."""

    path: str
    line: int | None
    reason: str
    #: A file that could not be read at all (as opposed to one value that is unknown).
    unreadable: bool = False

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Harvest:
    """Everything the parsers found in one pass."""

    buckets: list[BucketRecord] = field(default_factory=list)
    grants: list[GrantRecord] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    files_read: int = 0

    def extend(self, other: Harvest) -> None:
        self.buckets += other.buckets
        self.grants += other.grants
        self.unchecked += other.unchecked
        self.files_read += other.files_read
