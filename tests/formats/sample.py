"""One shared report that every format renders in the golden tests."""

from __future__ import annotations

from datetime import UTC, datetime

from costwatch.billing import billing_period
from costwatch.checks.forecast import usage_section
from costwatch.findings import Finding, Fix, Incomplete, IncompleteKind, Severity
from costwatch.model import BucketUsage, Resource, UsageSummary
from costwatch.report import BucketSummary, LinksSection, Report, UsageSection, build_report
from costwatch.units import GIB


def sample_usage() -> UsageSection:
    period = billing_period(datetime(2026, 11, 5, 12, tzinfo=UTC))
    resources = {
        "egress": Resource(
            "egress", "bytes", 100 * GIB, 30 * GIB, 140 * GIB,
            datetime(2026, 11, 20, 3, tzinfo=UTC), 4.8, "$0.12/GiB, list price as of 2026-11",
        ),
        "class_a_ops": Resource("class_a_ops", "operations", 5000, 120, 800),
        "class_b_ops": Resource("class_b_ops", "operations", 50000, unknown="permission denied"),
        "storage": Resource("storage", "GiB-months", 5, 0.5, 3.1),
    }  # fmt: skip
    buckets = (
        BucketUsage("images", "us-west1", True, True, 30 * GIB, 120, 9000, 3 * GIB, 0.5),
        BucketUsage("dr", "nam4", False, False),
    )
    daily = tuple(
        (period.start.date().replace(day=d), (d * 2 if d < 4 else 20) * GIB, 0.5 * GIB)
        for d in range(1, 5)
    )
    summary = UsageSummary(
        "gallery-123", period, resources, buckets, daily, (("QueryWriteStatus", 12.0),),
        ("Other projects on the billing account share the allowance.",),
    )  # fmt: skip
    return usage_section(summary)


def sample_report() -> Report:
    findings = [
        Finding(
            "CW102", Severity.ERROR, "gs://assets", "gs://assets is a multi-region bucket (US)"
        ),
        Finding(
            "CW106",
            Severity.WARNING,
            "gs://images",
            "gs://images keeps deleted objects | 7 days",
            fix=Fix(setting="soft_delete_seconds", value=0),
        ),
        Finding("CW103", Severity.NOTE, "gs://dr", "gs://dr is an approved dual-region bucket"),
        Finding(
            "CW112",
            Severity.ERROR,
            "gs://assets",
            "gs://assets gives allUsers roles/storage.objectAdmin [beyond reading]",
            key="allUsers:roles/storage.objectAdmin",
        ),
        Finding(
            "CW302",
            Severity.ERROR,
            "site/src/data/art.json",
            "GitHub link carries a private-repository token "
            "(https://raw.githubusercontent.com/o/r/main/a.png?token=REDACTED)",
            key="https://raw.githubusercontent.com/o/r/main/a.png?token=REDACTED",
            path="site/src/data/art.json",
            line=12,
        ),
    ]
    return build_report(
        "audit",
        datetime(2026, 11, 5, 12, 30, tzinfo=UTC),
        findings,
        [
            Incomplete(
                "buckets",
                "gs://locked",
                "permission denied: needs storage.buckets.get",
                kind=IncompleteKind.PERMISSION,
            ),
            Incomplete(
                "links",
                "site/logo.svg.js",
                "binary file (not text)",
                blocking=False,
                kind=IncompleteKind.SKIPPED,
            ),
        ],
        buckets=(
            BucketSummary("images", "US-WEST1", "region", "STANDARD", True, True),
            BucketSummary("assets", "US", "multi-region", "STANDARD", True, False),
        ),
        sections=[
            sample_usage(),
            LinksSection.from_json(
                {
                    "files_scanned": 120,
                    "bytes_scanned": 2_345_678,
                    "links_checked": 31,
                    "files_skipped": 1,
                    "suppressed_inline": 2,
                    "stale_suppressions": [{"path": "site/a.html", "line": 3, "rules": ["CW307"]}],
                    "as_of": "2026-11-05T12:30:00Z",
                    "baseline": {
                        "path": "costwatch-baseline.json",
                        "accepted": 3,
                        "stale": [
                            {
                                "rule_id": "CW304",
                                "path": "site/old.html",
                                "url": "https://storage.cloud.google.com/b/x.png",
                                "unmatched": 1,
                            }
                        ],
                    },
                }
            ),
        ],
        config_path="costwatch.toml",
        version="0.0.0-test",
        as_of=datetime(2026, 11, 5, 12, tzinfo=UTC),
        project="gallery-123",
    )
