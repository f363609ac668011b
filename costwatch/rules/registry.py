"""Every rule costwatch knows, in ID order. IDs are permanent: retire, never renumber."""

from __future__ import annotations

from costwatch.rules.base import RuleDoc, rule_doc
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


def all_rule_docs() -> list[RuleDoc]:
    """Documentation of every rule, sorted by ID."""
    docs = [rule_doc(rule) for rule in BUCKET_RULES]  # type: ignore[arg-type]
    return sorted(docs, key=lambda d: d.id)
