"""``costwatch check`` on real public deploy files, against hand-labelled expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costwatch.checks.gate import CheckOptions, harvest, run_gate
from costwatch.config import Config

REAL = Path(__file__).parent / "data" / "check" / "real"
EXPECTED = json.loads((REAL / "expectations.json").read_text())


def test_expectations_are_versioned_and_cover_every_sample() -> None:
    assert EXPECTED["schema_version"] == 1
    assert set(EXPECTED["samples"]) == {p.name for p in REAL.iterdir() if p.is_dir()}


@pytest.mark.parametrize("sample", sorted(EXPECTED["samples"]))
def test_real_sample(sample: str) -> None:
    root = REAL / sample
    options = CheckOptions((root,), root)
    result = run_gate(Config(), options)
    found = sorted([f.path, f.line, f.rule_id] for f in result.findings)
    assert found == sorted(EXPECTED["samples"][sample]["findings"])
    grants, _ = harvest(options)
    assert len(grants.grants) == EXPECTED["samples"][sample]["grants"]
    assert not any(i.blocking for i in result.incomplete)
    reasons = " | ".join(i.reason for i in result.incomplete)
    for expected in EXPECTED["samples"][sample].get("not_checked", []):
        assert expected in reasons
