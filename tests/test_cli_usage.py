"""``costwatch usage`` end to end: real client, in-process Monitoring, JSON contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import grpc
import pytest
from typer.testing import CliRunner

from costwatch.billing import billing_period
from costwatch.cli import app
from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
from costwatch.sources.monitoring import EGRESS, REQUESTS
from costwatch.units import GIB

runner = CliRunner()
AS_OF = "2026-11-20T12:00:00Z"
PERIOD = billing_period(datetime.fromisoformat(AS_OF))


@pytest.fixture()
def service(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> Iterator[MetricServiceEmulator]:
    monkeypatch.chdir(str(tmp_path))
    hours = [
        PERIOD.start + timedelta(hours=h, minutes=30)
        for h in range(int(PERIOD.elapsed / timedelta(hours=1)))
    ]
    spike_from = PERIOD.as_of - timedelta(hours=20)
    egress = {h: (10 if h > spike_from else 0.5) * GIB / 24 for h in hours}
    series = [
        bucket_series(EGRESS, "gallery-b", "us-west1", egress, project="p"),
        bucket_series(
            REQUESTS,
            "gallery-b",
            "us-west1",
            {h: 60 for h in hours},
            labels={"method": "ReadObject", "response_code": "OK"},
            project="p",
        ),
    ]
    emulator = MetricServiceEmulator("p", series, page_series=1)
    with monitoring_emulator(emulator):
        yield emulator


def test_usage_json_contract(service: MetricServiceEmulator) -> None:
    result = runner.invoke(
        app,
        [
            "usage",
            "--project",
            "p",
            "--as-of",
            AS_OF,
            "-b",
            "gallery-b",
            "-b",
            "quiet-b",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 1, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["command"] == "usage"
    usage = data["usage"]
    assert usage["period"] == {
        "start": "2026-11-01T07:00:00Z",
        "end": "2026-12-01T08:00:00Z",
        "as_of": "2026-11-20T12:00:00Z",
        "timezone": "America/Los_Angeles",
    }
    assert set(usage["egress"]) >= {
        "used_bytes",
        "forecast_bytes",
        "allowance_bytes",
        "crossing_at",
    }
    assert set(usage["class_a_ops"]) >= {"used", "forecast", "allowance"}
    assert set(usage["storage"]) >= {
        "used_gib_months",
        "forecast_gib_months",
        "allowance_gib_months",
    }
    assert usage["egress"]["allowance_bytes"] == 100 * GIB
    assert usage["egress"]["forecast_bytes"] > usage["egress"]["allowance_bytes"]
    assert usage["egress"]["crossing_at"].startswith("2026-11-")
    assert usage["class_b_ops"]["used"] == 60 * int(PERIOD.elapsed / timedelta(hours=1))
    buckets = {b["name"]: b for b in usage["buckets"]}
    assert buckets["quiet-b"]["has_data"] is False and buckets["quiet-b"]["egress_bytes"] is None
    assert buckets["gallery-b"]["location"] == "us-west1"
    assert usage["daily"][0]["date"] == "2026-11-01" and len(usage["daily"]) == 20
    rules = {f["rule_id"]: f["severity"] for f in data["findings"]}
    assert rules == {"CW201": "error", "CW203": "warning"}


def test_usage_table_shows_chart_and_no_data(service: MetricServiceEmulator) -> None:
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF, "-b", "quiet-b"])
    assert "even pace for the allowance: 3.33 GiB/day" in result.stdout
    assert "no data" in result.stdout
    assert "upper bound" in result.stdout


def test_permission_denied_is_unknown_exit_2(service: MetricServiceEmulator) -> None:
    service.fail_next(grpc.StatusCode.PERMISSION_DENIED, "denied")
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF, "-f", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["usage"]["egress"]["used_bytes"] is None
    assert "roles/monitoring.viewer" in data["usage"]["egress"]["unknown"]
    (item,) = data["incomplete"]
    assert item["reason"].startswith(
        "egress, class_a_ops, class_b_ops, storage unknown: permission denied"
    )
    assert "monitoring.timeSeries.list" in result.stderr
    table = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF])
    assert table.exit_code == 0 or "unknown" not in table.stdout  # data is back; the table renders


def test_unknown_resource_shows_unknown_in_table(service: MetricServiceEmulator) -> None:
    service.fail_next(grpc.StatusCode.PERMISSION_DENIED, "denied")
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", AS_OF])
    assert result.exit_code == 2
    egress_row = next(line for line in result.stdout.splitlines() if line.startswith("egress "))
    assert egress_row.split() == ["egress", "unknown", "unknown", "100.00", "GiB", "-", "-", "-"]


def test_no_project(service: MetricServiceEmulator) -> None:
    result = runner.invoke(app, ["usage"])
    assert result.exit_code == 2
    assert "no project" in result.stderr


def test_as_of_in_the_future_is_refused(service: MetricServiceEmulator) -> None:
    result = runner.invoke(app, ["usage", "--project", "p", "--as-of", "2999-01-01"])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "costwatch: error: --as-of 2999-01-01 is in the future: usage can only be read up to now\n"
    )
