"""What bucket rules share: their context, and the base class that knows what a rule reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from costwatch.config import FREE_REGIONS
from costwatch.model import BucketSnapshot, IamCompleteness
from costwatch.rules.base import Rule


@dataclass(frozen=True)
class BucketContext:
    """The owner's intent for one bucket (config), and the free-tier regions."""

    public: bool = True
    approved_dual_regions: tuple[str, ...] = ()
    free_regions: frozenset[str] = FREE_REGIONS


class BucketRule(Rule[BucketSnapshot, BucketContext]):
    """A rule about one bucket's location, settings or access.

    ``reads`` names the settings the rule judges; where any of them is unknown the engine does
    not run the rule and lists it as not checked with the setting's reason. ``reads_iam`` rules
    need the access policy: they are not checked where it could not be read.
    """

    family = "bucket"
    reads: ClassVar[tuple[str, ...]] = ()
    reads_iam: ClassVar[bool] = False
    applies_to: ClassVar[str] = (
        "live buckets (audit, check --live); Terraform source and plans, deploy scripts and CI "
        "files (check)"
    )

    def not_checked(
        self, snapshot: BucketSnapshot, context: BucketContext
    ) -> tuple[str, str] | None:
        """(what is not known, why) when this rule cannot judge ``snapshot``; else None."""
        for name in self.reads:
            setting = snapshot.setting(name)
            if setting.is_unknown:
                return name.replace("_", " "), setting.reason
        if self.reads_iam and snapshot.iam.completeness is IamCompleteness.UNREAD:
            return "access policy", snapshot.iam.reason or "not read"
        return None
