"""A bucket the audit cannot fully read is never clean: the rules that need what is missing are
listed as not checked, every other rule and bucket is still judged, and the run exits 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, monitoring_emulator
from tests.helpers import PUBLIC_READ, ScriptedServer, bucket_resource

runner = CliRunner()


def audit_json(seed: list[SeedBucket], names: list[str], tmp: Path) -> tuple[int, dict[str, Any]]:
    with (
        storage_emulator(seed),
        monitoring_emulator(MetricServiceEmulator("p")),
        env_var("GOOGLE_CLOUD_PROJECT", "p"),
    ):
        args = ["audit", "--format", "json", *[a for n in names for a in ("--bucket", n)]]
        result = runner.invoke(app, args)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.parametrize(
    ("overrides", "rules", "says"),
    [
        (
            {"locationType": "quad-region", "location": "EUROPE-WEST9"},
            "CW101, CW102, CW103",
            "location type 'quad-region' is not one costwatch knows",
        ),
        ({"locationType": None}, "CW101, CW102, CW103", "the API returned no locationType"),
        (
            {"softDeletePolicy": {"retentionDurationSeconds": "forever"}},
            "CW106",
            "malformed softDeletePolicy.retentionDurationSeconds: 'forever'",
        ),
        (
            {"lifecycle": {"rule": "delete everything"}, "versioning": {"enabled": True}},
            "CW107",
            "malformed lifecycle.rule",
        ),
        ({"billing": {"requesterPays": "maybe"}}, "CW108", "malformed billing.requesterPays"),
    ],
    ids=["unknown-type", "no-type", "soft-delete-string", "lifecycle-string", "requester-pays"],
)
def test_malformed_field_is_not_checked_and_others_go_on(
    overrides: dict[str, Any], rules: str, says: str, in_tmp: Path
) -> None:
    resource = bucket_resource("odd-bucket", **overrides)
    resource = {k: v for k, v in resource.items() if v is not None}
    multi = bucket_resource("multi-bucket", location="US", locationType="multi-region")
    code, data = audit_json(
        [SeedBucket(resource, PUBLIC_READ), SeedBucket(multi, PUBLIC_READ)],
        ["odd-bucket", "multi-bucket"],
        in_tmp,
    )
    assert code == 2
    (item,) = [i for i in data["incomplete"] if i["resource"] == "gs://odd-bucket"]
    assert item["reason"].startswith(f"{rules} not checked:")
    assert says in item["reason"]
    assert item["kind"] == "unknown_value"
    assert any(
        f["rule_id"] == "CW102" and f["resource"] == "gs://multi-bucket" for f in data["findings"]
    )


def test_an_empty_bucket_resource_is_not_judged(in_tmp: Path) -> None:
    server = ScriptedServer([(200, {}), (200, {"bindings": []})])
    with (
        server.running(),
        env_var("STORAGE_EMULATOR_HOST", server.url),
        monitoring_emulator(MetricServiceEmulator("p")),
    ):
        result = runner.invoke(app, ["audit", "-b", "empty-bucket", "--project", "p", "-f", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    # Only the access policy, which was read on its own, is judged.
    assert [f["rule_id"] for f in data["findings"]] == ["CW111"]
    (item,) = data["incomplete"]
    assert "CW101" in item["reason"] and "CW114" in item["reason"]
    assert "empty or incomplete bucket resource" in item["reason"]
    assert data["buckets"][0]["location"] == "UNKNOWN"
    assert data["buckets"][0]["free_tier_eligible"] is None  # unknown, not "not eligible"
