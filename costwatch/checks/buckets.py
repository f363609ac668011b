"""Judge bucket snapshots from any source with the bucket rules; pure, no I/O.

A rule whose settings are unknown for a bucket is not run: it is listed as not checked with the
setting's reason (blocking, unless the caller says unknowns are expected, as a pre-deploy check
of Terraform without ``--strict`` does). Each finding carries the snapshot's origin, so it
points at the file and line that describe the bucket, and its fix is written for that origin.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from costwatch.config import FREE_REGIONS, Config
from costwatch.findings import Finding, Incomplete, IncompleteKind, fingerprint
from costwatch.model import BucketSnapshot, LocationType, SourceKind
from costwatch.report import BucketSummary
from costwatch.rules.bucket_base import BucketContext
from costwatch.rules.registry import BUCKET_RULES

SECTION = "buckets"


def bucket_context(config: Config, name: str) -> BucketContext:
    return BucketContext(
        public=config.settings_for(name).public,
        approved_dual_regions=config.approved_dual_regions,
        free_regions=FREE_REGIONS,
    )


def judge_buckets(
    snapshots: Iterable[BucketSnapshot], config: Config, *, unknown_blocks: bool = True
) -> tuple[list[Finding], list[Incomplete]]:
    """Every bucket rule over every snapshot; rules that cannot judge are listed, not run."""
    findings: list[Finding] = []
    incomplete: list[Incomplete] = []
    for snapshot in snapshots:
        context = bucket_context(config, snapshot.name)
        # why -> (rule IDs, what is not known), so one missing resource is one entry
        skipped: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for rule in BUCKET_RULES:
            unknown = rule.not_checked(snapshot, context)
            if unknown is not None:
                what, why = unknown
                rule_ids, names = skipped[why]
                rule_ids.append(rule.id)
                if what not in names:
                    names.append(what)
                continue
            findings.extend(stamp(f, snapshot) for f in rule.check(snapshot, context))
        where = snapshot.uri
        if snapshot.origin.path:
            where = f"{snapshot.origin.path}:{snapshot.origin.line or 1} ({snapshot.uri})"
        for why, (rule_ids, names) in skipped.items():
            incomplete.append(
                Incomplete(
                    SECTION,
                    where,
                    f"{', '.join(rule_ids)} not checked: {', '.join(names)}: {why}",
                    blocking=unknown_blocks,
                    kind=IncompleteKind.UNKNOWN_VALUE,
                )
            )
    return findings, incomplete


def stamp(finding: Finding, snapshot: BucketSnapshot) -> Finding:
    """The finding placed where the snapshot was described.

    A bucket described in a file is fingerprinted with that file (never its line), so the same
    bucket in two files gives two findings, each stable when lines move.
    """
    origin = snapshot.origin
    if origin.kind is SourceKind.LIVE or origin.path is None:
        return dataclasses.replace(finding, origin=origin)
    return dataclasses.replace(
        finding,
        origin=origin,
        path=origin.path,
        line=origin.line,
        fingerprint=fingerprint(finding.rule_id, finding.resource, finding.key, origin.path),
    )


def summarize_bucket(snapshot: BucketSnapshot, config: Config) -> BucketSummary:
    """The bucket as the report's bucket table lists it ("unknown" where not known).

    Eligibility is known to be false as soon as one known setting rules it out, known to be
    true only when all of location, its type and the storage class are known and fit.
    """
    location = (snapshot.location.value or "unknown").upper()
    kind = snapshot.location_type.value
    storage_class = snapshot.storage_class.value or "unknown"
    rules_out = (
        (snapshot.location.value is not None and location not in FREE_REGIONS)
        or (kind is not None and kind is not LocationType.REGION)
        or (snapshot.storage_class.value is not None and storage_class.upper() != "STANDARD")
    )
    eligible: bool | None = False
    if not rules_out:
        known = None not in (snapshot.location.value, kind, snapshot.storage_class.value)
        eligible = True if known else None
    return BucketSummary(
        snapshot.name,
        location,
        kind.value if kind is not None else "unknown",
        storage_class,
        config.settings_for(snapshot.name).public,
        eligible,
    )
