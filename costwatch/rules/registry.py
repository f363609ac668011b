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
from costwatch.rules.link_base import LinkRule
from costwatch.rules.links import (
    CookieAuthStorageLink,
    DriveHotlink,
    FileSharingImage,
    GitHubToken,
    GsUri,
    PlainHttpStorage,
    SignedUrl,
    SuppressionWithoutReason,
    UnlistedBucket,
)
from costwatch.rules.usage import (
    ClassAAllowance,
    ClassBAllowance,
    EgressAllowance,
    StorageAllowance,
    UsageRule,
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


LINK_RULES: tuple[LinkRule, ...] = (
    SuppressionWithoutReason(),
    DriveHotlink(),
    GitHubToken(),
    SignedUrl(),
    CookieAuthStorageLink(),
    GsUri(),
    PlainHttpStorage(),
    UnlistedBucket(),
    FileSharingImage(),
)


USAGE_RULES: tuple[UsageRule, ...] = (
    EgressAllowance(),
    ClassAAllowance(),
    ClassBAllowance(),
    StorageAllowance(),
)


def all_rule_docs() -> list[RuleDoc]:
    """Documentation of every rule, sorted by ID."""
    rules = (*BUCKET_RULES, *USAGE_RULES, *LINK_RULES)
    docs = [rule_doc(rule) for rule in rules]  # type: ignore[arg-type]
    return sorted(docs, key=lambda d: d.id)
