"""One shared report that every format renders in the golden tests."""

from __future__ import annotations

from datetime import UTC, datetime

from costwatch.findings import Finding, Incomplete, Severity
from costwatch.report import BucketSummary, Report


def sample_report() -> Report:
    findings = [
        Finding(
            "CW102", Severity.ERROR, "gs://assets", "gs://assets is a multi-region bucket (US)"
        ),
        Finding(
            "CW106", Severity.WARNING, "gs://images", "gs://images keeps deleted objects | 7 days"
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
    return Report.build(
        "audit",
        datetime(2026, 11, 5, 12, 30, tzinfo=UTC),
        findings,
        [
            Incomplete("buckets", "gs://locked", "permission denied: needs storage.buckets.get"),
            Incomplete("links", "site/logo.svg.js", "binary file (not text)", blocking=False),
        ],
        buckets=(
            BucketSummary("images", "US-WEST1", "region", "STANDARD", True),
            BucketSummary("assets", "US", "multi-region", "STANDARD", True),
        ),
        sections={
            "links": {
                "files_scanned": 120,
                "bytes_scanned": 2_345_678,
                "links_checked": 31,
                "files_skipped": 1,
                "suppressed_inline": 2,
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
        },
        config_path="costwatch.toml",
        version="0.0.0-test",
    )
