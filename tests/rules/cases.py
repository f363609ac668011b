"""Per-rule pass/fail tables, run through the emulator and the real Cloud Storage client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from costwatch.checks.buckets import judge_buckets
from costwatch.config import BucketSettings, Config
from costwatch.findings import Finding, Severity
from costwatch.model import Binding, BucketSnapshot
from costwatch.sources.gcs import snapshot_from_resource
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

    def snapshot(self) -> BucketSnapshot:
        """The case's bucket as the model holds it (the live source's translation).

        Rule tables build snapshots directly so the same tables serve every source; each
        source has its own contract test from its input to this model.
        """
        bindings = tuple(Binding(b["role"], tuple(sorted(b["members"]))) for b in self.iam)
        return snapshot_from_resource(
            self.bucket, bucket_resource(self.bucket, **self.overrides), bindings
        )


def judge_cases(cases: Sequence[Case]) -> dict[str, list[Finding]]:
    """Judge every case's bucket snapshot; findings by bucket."""
    config = Config(
        bucket_settings={c.bucket: BucketSettings(public=c.public) for c in cases},
        approved_dual_regions=APPROVED,
    )
    out: dict[str, list[Finding]] = {c.bucket: [] for c in cases}
    findings, not_checked = judge_buckets([c.snapshot() for c in cases], config)
    assert not_checked == []
    for finding in findings:
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
