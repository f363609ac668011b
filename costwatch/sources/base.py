"""What every source shares: the protocols per kind of source, the one result type, errors.

A source reads the world (Cloud Storage, Cloud Monitoring, site files, Terraform, scripts) and
returns neutral data (:mod:`costwatch.model`) plus what it could not read; it never judges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from costwatch.billing import BillingPeriod
from costwatch.findings import Incomplete
from costwatch.model import BucketSnapshot, UsageReading

T = TypeVar("T")

NO_CREDENTIALS = (
    "no Google credentials found: run `gcloud auth application-default login` "
    "or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file"
)


class SourceError(Exception):
    """A source could not read something; the message says what to do about it."""


@dataclass(frozen=True)
class Reading(Generic[T]):
    """What a source read, and what it could not (each entry says why)."""

    items: tuple[T, ...]
    incomplete: tuple[Incomplete, ...] = ()


class BucketSource(Protocol):
    """Anything that describes buckets: the live API, Terraform, a plan, deploy scripts."""

    def read_buckets(self) -> Reading[BucketSnapshot]: ...


class UsageSource(Protocol):
    """Anything that reads a billing period's usage series (Cloud Monitoring, an emulator)."""

    def read_usage(self, period: BillingPeriod) -> UsageReading: ...
