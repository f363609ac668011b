"""What bucket rules share: their context and base class."""

from __future__ import annotations

from dataclasses import dataclass

from costwatch.rules.base import Rule
from costwatch.sources.base import BucketSnapshot


@dataclass(frozen=True)
class BucketContext:
    """The owner's intent for one bucket, from config."""

    public: bool = True
    approved_dual_regions: tuple[str, ...] = ()


class BucketRule(Rule[BucketSnapshot, BucketContext]):
    """A rule about one bucket's location, settings or access."""

    family = "bucket"
