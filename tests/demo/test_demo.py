"""The embedded demo end to end: emulator, real client, the audit code path, every format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from costwatch.capacity import CapacitySection
from costwatch.demo.scenario import run_demo
from costwatch.report import Report, UsageSection


def test_demo_report_covers_the_gallery_story() -> None:
    report: Report = run_demo()
    assert report.incomplete == ()
    rules_by_bucket: dict[str, set[str]] = {}
    for finding in report.findings:
        rules_by_bucket.setdefault(finding.resource, set()).add(finding.rule_id)
    # The bucket's settings are right; some of its objects are not.
    assert {r for r in rules_by_bucket["gs://aiart-gallery-images"] if r < "CW400"} == set()
    assert {"CW401", "CW402", "CW403", "CW404", "CW405", "CW408"} <= rules_by_bucket[
        "gs://aiart-gallery-images"
    ]
    assert "CW406" in rules_by_bucket["gs://aiart-originals-backup"]
    broken = [f for f in report.findings if f.rule_id == "CW407"]
    assert [(f.path, "night-market.webp" in f.message) for f in broken] == [
        ("site/src/data/artworks.json", True)
    ]
    capacity = report.section(CapacitySection)
    assert capacity is not None and [p.name for p in capacity.pages] == ["gallery"]
    assert capacity.pages[0].objects_per_view >= 8
    assert capacity.conversions[0].name == "moth queen (print).png"
    assert {"CW102", "CW106", "CW113"} <= rules_by_bucket["gs://aiart-gallery-assets"]
    assert {"CW101", "CW108", "CW112", "CW114"} <= rules_by_bucket["gs://aiart-thumbs-eu"]
    assert {"CW104", "CW107"} <= rules_by_bucket["gs://aiart-originals-backup"]
    assert {"CW103", "CW105", "CW109"} <= rules_by_bucket["gs://aiart-gallery-dr"]
    eligible = {b.name for b in report.buckets if b.free_tier_eligible}
    assert eligible == {"aiart-gallery-images"}
    # The gate's verdict on the gallery's Terraform and deploy script, at their lines.
    gate = {(f.rule_id, f.path, f.line) for f in report.findings if f.path and "/" in f.path}
    assert {("CW102", "scripts/deploy.sh", 7), ("CW102", "infra/main.tf", 6)} <= gate
    assert ("CW113", "infra/main.tf", 14) in gate


def test_demo_command_needs_no_account(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "CLOUDSDK_"))}
    env.update(HOME=str(tmp_path), NO_GCE_CHECK="true")
    env.pop("STORAGE_EMULATOR_HOST", None)
    result = subprocess.run(
        [sys.executable, "-m", "costwatch", "demo", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["error"] >= 5
    assert data["incomplete"] == []
    assert result.stderr == ""


def test_demo_usage_shows_the_spike() -> None:
    from datetime import UTC, datetime

    report = run_demo(as_of=datetime(2026, 11, 20, 12, tzinfo=UTC))
    assert report.incomplete == ()
    section = report.section(UsageSection)
    assert section is not None
    usage = section.to_json()
    assert usage["period"]["as_of"] == "2026-11-20T12:00:00Z"
    egress = usage["egress"]
    assert egress["forecast_bytes"] > egress["allowance_bytes"] > egress["used_bytes"] > 0
    assert egress["crossing_at"] is not None
    by_rule = {f.rule_id: f for f in report.findings if f.rule_id.startswith("CW2")}
    assert by_rule["CW201"].severity.value == "error"
    buckets = {b["name"]: b for b in usage["buckets"]}
    assert buckets["aiart-gallery-dr"]["has_data"] is False
    assert buckets["aiart-gallery-assets"]["free_region"] is False
    assert usage["unknown_methods"] == [
        {"method": "QueryWriteStatus", "count": usage["unknown_methods"][0]["count"]}
    ]
    days = usage["daily"]
    assert max(d["egress_bytes"] for d in days[-2:]) > 5 * days[0]["egress_bytes"]  # viral post
