"""Every rule costwatch knows, in ID order. IDs are permanent: retire, never renumber."""

from __future__ import annotations

from typing import Any

from costwatch.rules.allowance import (
    ClassAAllowance,
    ClassBAllowance,
    EgressAllowance,
    StorageAllowance,
    UsageRule,
)
from costwatch.rules.base import Rule, RuleDoc, rule_doc
from costwatch.rules.bucket_access import (
    NotPubliclyReadable,
    PublicAccessPrevented,
    PublicBeyondRead,
    PublicListing,
    UniformAccessOff,
)
from costwatch.rules.bucket_base import BucketRule
from costwatch.rules.bucket_location import DualRegion, MultiRegion, RegionOutsideFreeTier
from costwatch.rules.bucket_settings import (
    AutoclassEnabled,
    RequesterPays,
    SoftDeleteRetention,
    StorageClassNotStandard,
    TurboReplication,
    VersioningWithoutCleanup,
)
from costwatch.rules.links import LINK_RULES
from costwatch.rules.objects import OBJECT_RULES

BUCKET_RULES: tuple[BucketRule, ...] = (
    RegionOutsideFreeTier(),
    MultiRegion(),
    DualRegion(),
    StorageClassNotStandard(),
    AutoclassEnabled(),
    SoftDeleteRetention(),
    VersioningWithoutCleanup(),
    RequesterPays(),
    TurboReplication(),
    PublicAccessPrevented(),
    NotPubliclyReadable(),
    PublicBeyondRead(),
    PublicListing(),
    UniformAccessOff(),
)


USAGE_RULES: tuple[UsageRule, ...] = (
    EgressAllowance(),
    ClassAAllowance(),
    ClassBAllowance(),
    StorageAllowance(),
)


#: Every rule by family, so commands name families rather than listing rule IDs.
RULES_BY_FAMILY: dict[str, tuple[Rule[Any, Any], ...]] = {
    "bucket": BUCKET_RULES,
    "usage": USAGE_RULES,
    "links": LINK_RULES,
    "objects": OBJECT_RULES,
}


def rule_ids(*families: str) -> tuple[str, ...]:
    """The IDs of every rule in ``families``, in family order then ID order."""
    return tuple(rule.id for family in families for rule in RULES_BY_FAMILY[family])


def all_rule_docs() -> list[RuleDoc]:
    """Documentation of every rule, sorted by ID."""
    docs = [rule_doc(rule) for family in RULES_BY_FAMILY.values() for rule in family]
    return sorted(docs, key=lambda d: d.id)
