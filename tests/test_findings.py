"""Findings: identity, immutability, and the flat rows they cross process boundaries as."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from costwatch.findings import (
    Finding,
    Fix,
    Severity,
    finding_rows,
    findings_from_rows,
    fingerprint,
)
from costwatch.model import Origin, SourceKind


def sample() -> list[Finding]:
    return [
        Finding(
            "CW307",
            Severity.WARNING,
            "site/a.html",
            "links bucket b",
            "https://x/b/o",
            "site/a.html",
            3,
        ),
        Finding(
            "CW102",
            Severity.ERROR,
            "gs://b",
            "multi-region",
            fix=Fix(setting="location", value="us-west1"),
            origin=Origin(SourceKind.TERRAFORM, "main.tf", 4, "google_storage_bucket.b"),
        ),
        Finding("CW403", Severity.NOTE, "gs://b", "m", fingerprint="given0123456789a"),
    ]


def test_the_fingerprint_is_the_content_hash_unless_given() -> None:
    first, _, given = sample()
    assert first.fingerprint == fingerprint("CW307", "site/a.html", "https://x/b/o")
    assert given.fingerprint == "given0123456789a"


def test_findings_stay_frozen_and_comparable() -> None:
    first = sample()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.line = 4  # type: ignore[misc]
    assert dataclasses.replace(first, line=3) == first
    assert hash(dataclasses.replace(first)) == hash(first)
    assert dataclasses.replace(first, line=9).line == 9


def test_rows_rebuild_the_same_findings_after_pickling() -> None:
    findings = sample()
    rows = pickle.loads(pickle.dumps(finding_rows(findings)))
    assert all(type(row) is tuple for row in rows)
    rebuilt = findings_from_rows(rows)
    assert rebuilt == findings
    assert [f.severity for f in rebuilt] == [Severity.WARNING, Severity.ERROR, Severity.NOTE]
    assert [f.fingerprint for f in rebuilt] == [f.fingerprint for f in findings]
