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
    ]
    return Report.build(
        "audit",
        datetime(2026, 11, 5, 12, 30, tzinfo=UTC),
        findings,
        [Incomplete("buckets", "gs://locked", "permission denied: needs storage.buckets.get")],
        buckets=(
            BucketSummary("images", "US-WEST1", "region", "STANDARD", True),
            BucketSummary("assets", "US", "multi-region", "STANDARD", True),
        ),
        config_path="costwatch.toml",
        version="0.0.0-test",
    )
