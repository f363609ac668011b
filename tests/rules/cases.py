"""Per-rule pass/fail tables, run through the emulator and the real Cloud Storage client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from costwatch.audit import judge_buckets
from costwatch.config import BucketSettings, Config
from costwatch.demo.cloud import SeedBucket, storage_emulator
from costwatch.findings import Finding, Severity
from costwatch.sources.gcs import ApiSettings, read_buckets
from tests.helpers import PUBLIC_READ, bucket_resource

APPROVED = ("NAM4", "US-EAST1+US-WEST1")


@dataclass(frozen=True)
class Case:
    """A bucket, the owner's intent, and what ``rule`` should say about it (None: nothing)."""

    id: str
    rule: str
    overrides: dict[str, Any]
    expect: Severity | None
    iam: list[dict[str, Any]] = field(default_factory=lambda: list(PUBLIC_READ))
    public: bool = True

    @property
    def bucket(self) -> str:
        return f"{self.rule.lower()}-{self.id}"


def judge_cases(cases: Sequence[Case]) -> dict[str, list[Finding]]:
    """Seed every case's bucket, read them all through the client, judge them; by bucket."""
    seed = [SeedBucket(bucket_resource(c.bucket, **c.overrides), c.iam) for c in cases]
    with storage_emulator(seed):
        reading = read_buckets([c.bucket for c in cases], "test-project", ApiSettings(5, 0))
    assert reading.incomplete == ()
    assert len(reading.snapshots) == len(cases)
    config = Config(
        bucket_settings={c.bucket: BucketSettings(public=c.public) for c in cases},
        approved_dual_regions=APPROVED,
    )
    out: dict[str, list[Finding]] = {c.bucket: [] for c in cases}
    for finding in judge_buckets(reading.snapshots, config):
        out[finding.resource.removeprefix("gs://")].append(finding)
    return out


def check_case(case: Case, judged: dict[str, list[Finding]]) -> list[Finding]:
    """Assert ``case.rule`` fires with the expected severity, or not at all; return its hits."""
    hits = [f for f in judged[case.bucket] if f.rule_id == case.rule]
    if case.expect is None:
        assert hits == [], [f.message for f in hits]
    else:
        assert hits, f"{case.rule} did not fire on {case.bucket}"
        assert {f.severity for f in hits} == {case.expect}
        for hit in hits:
            assert f"gs://{case.bucket}" in hit.message
    return hits


def rule_table(cases: Sequence[Case]) -> tuple[Any, Any]:
    """The module fixture that judges every case once, and the parametrized test over them.

    Use as ``judged, test_rule = rule_table(CASES)`` at module level.
    """
    import pytest

    @pytest.fixture(scope="module")
    def judged() -> dict[str, list[Finding]]:
        return judge_cases(cases)

    @pytest.mark.parametrize("case", cases, ids=lambda c: f"{c.rule}-{c.id}")
    def test_rule(case: Case, judged: dict[str, list[Finding]]) -> None:
        check_case(case, judged)

    return judged, test_rule
