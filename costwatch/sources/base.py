"""Snapshots that sources return and rules judge, and the source error type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SourceError(Exception):
    """A source could not read something; the message says what to do about it."""


@dataclass(frozen=True)
class Binding:
    """One IAM binding (or ACL grant translated to a role) on a bucket."""

    role: str
    members: tuple[str, ...]
    conditional: bool = False


@dataclass(frozen=True)
class BucketSnapshot:
    """Everything the bucket rules need, read once: the bucket resource and its IAM policy.

    ``bindings`` is None when the IAM policy could not be read, so the access rules skip the
    bucket instead of judging an empty policy.
    """

    name: str
    location: str
    location_type: str
    data_locations: tuple[str, ...] = ()
    storage_class: str = "STANDARD"
    autoclass_enabled: bool = False
    soft_delete_seconds: int = 0
    versioning_enabled: bool = False
    lifecycle_rules: tuple[dict[str, Any], ...] = ()
    requester_pays: bool = False
    rpo: str | None = None
    public_access_prevention: str | None = None
    uniform_access: bool = False
    bindings: tuple[Binding, ...] | None = ()
    acl_grants: tuple[Binding, ...] = field(default=())

    @property
    def uri(self) -> str:
        return f"gs://{self.name}"
