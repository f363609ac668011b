"""Every command that calls Cloud Storage or Monitoring says what it spent, in every format,
and the counts match what the loopback servers received."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
from costwatch.footprint import ApiCalls, Meter, operation_class
from costwatch.formats.base import OutputFormat, render
from costwatch.report import build_report, report_from_json, report_to_json
from costwatch.sources.monitoring import EGRESS
from tests.helpers import PUBLIC_READ, bucket_resource
from tests.loopback import LatencyProxy

runner = CliRunner()
NOW = datetime.now(UTC)


@pytest.mark.parametrize(
    ("method", "url", "kind"),
    [
        ("GET", "https://storage.googleapis.com/storage/v1/b?project=p", "A"),
        ("GET", "http://127.0.0.1:1/storage/v1/b/x/o?prefix=a", "A"),
        ("GET", "https://storage.googleapis.com/storage/v1/b/x?projection=full", "B"),
        ("GET", "https://storage.googleapis.com/storage/v1/b/x/iam", "B"),
        ("GET", "https://storage.googleapis.com/storage/v1/b/x/o/obj", "B"),
        ("PATCH", "https://storage.googleapis.com/storage/v1/b/x", "A"),
        ("POST", "https://storage.googleapis.com/upload/storage/v1/b/x/o", "A"),
        ("DELETE", "https://storage.googleapis.com/storage/v1/b/x/o/obj", None),
    ],
)
def test_operation_classes(method: str, url: str, kind: str | None) -> None:
    assert operation_class(method, url) == kind


def test_only_answered_successes_are_billed() -> None:
    meter = Meter()
    meter.storage("GET", "http://h/storage/v1/b/x", 200)
    meter.storage("GET", "http://h/storage/v1/b/x", 503)
    meter.storage("GET", "http://h/storage/v1/b/x", None)
    meter.storage("GET", "http://h/storage/v1/b?project=p", 200)
    meter.monitoring(3)
    assert meter.totals() == ApiCalls(class_a=1, class_b=1, storage_requests=4, monitoring_calls=3)


def audit_through_proxy(
    fmt: str, tmp_path: Path
) -> tuple[str, LatencyProxy, MetricServiceEmulator]:
    seed = [SeedBucket(bucket_resource(n), PUBLIC_READ) for n in ("one-b", "two-b", "three-b")]
    usage = [
        bucket_series(EGRESS, "one-b", "us-west1", [(NOW - timedelta(hours=1), 10)], project="p")
    ]
    service = MetricServiceEmulator("p", usage)
    with (
        storage_emulator(seed) as upstream,
        LatencyProxy(upstream).running() as proxy,
        env_var("STORAGE_EMULATOR_HOST", proxy.url),
        monitoring_emulator(service),
    ):
        result = runner.invoke(app, ["audit", "--project", "p", "-f", fmt], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout, proxy, service


def test_audit_json_counts_what_the_servers_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out, proxy, service = audit_through_proxy("json", tmp_path)
    calls = json.loads(out)["api_calls"]
    assert proxy.counts() == {"list": 1, "iam": 3}
    assert calls == {
        "class_a": 1,
        "class_b": 3,
        "storage_requests": len(proxy.requests),
        "monitoring_calls": len(service.requests),
    }
    assert calls["monitoring_calls"] == 3


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_audit_says_what_it_spent_in_text_formats(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out, _, _ = audit_through_proxy(fmt, tmp_path)
    assert "API calls this run" in out
    text = " ".join(out.split())
    assert (
        "Cloud Storage: 1 Class A operation and 3 Class B operations billed; 4 requests sent, "
        "failed and retried ones included." in text
    )
    assert "Cloud Monitoring: 3 calls, pages and retries included." in text


def test_usage_reports_its_monitoring_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    service = MetricServiceEmulator("p", [], page_series=1)
    with monitoring_emulator(service):
        result = runner.invoke(app, ["usage", "--project", "p", "-f", "json"])
    calls = json.loads(result.stdout)["api_calls"]
    assert calls == {
        "class_a": 0,
        "class_b": 0,
        "storage_requests": 0,
        "monitoring_calls": len(service.requests),
    }


def test_api_calls_in_json_schema_sarif_and_read_back() -> None:
    from importlib import resources

    import jsonschema

    calls = ApiCalls(class_a=2, class_b=401, storage_requests=405, monitoring_calls=3)
    report = build_report("audit", NOW, api_calls=calls)
    document = json.loads(render(report, OutputFormat.JSON))
    assert document["api_calls"] == calls.to_json()
    schema = json.loads(
        resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    )
    jsonschema.validate(document, schema)
    assert report_from_json(document).api_calls == calls
    assert report_to_json(report_from_json(document)) == report_to_json(report)
    sarif = json.loads(render(report, OutputFormat.SARIF))
    assert sarif["runs"][0]["properties"]["api_calls"] == calls.to_json()
    sarif_schema = json.loads(
        (Path(__file__).parent / "formats" / "sarif-schema-2.1.0.json").read_text()
    )
    jsonschema.validate(sarif, sarif_schema)


def test_an_offline_report_has_no_api_calls() -> None:
    report = build_report("links", NOW)
    assert "api_calls" not in json.loads(render(report, OutputFormat.JSON))
    assert "API calls" not in render(report, OutputFormat.TABLE)


def test_an_audit_against_slow_servers_ends_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.loopback import DripServer

    monkeypatch.chdir(tmp_path)
    (tmp_path / "costwatch.toml").write_text("api_timeout_seconds = 2\napi_retry_seconds = 3\n")
    drip = DripServer("body", interval=1.0)
    service = MetricServiceEmulator("p", [])
    service.delay = 120
    started = time.monotonic()
    with (
        drip.running(),
        env_var("STORAGE_EMULATOR_HOST", drip.url),
        monitoring_emulator(service),
    ):
        result = runner.invoke(app, ["audit", "-b", "slow-b", "--project", "p", "-f", "json"])
    elapsed = time.monotonic() - started
    # Storage: two 2 s tries within the 3 s budget; Monitoring the same, its first query, then
    # the other two side by side, while Storage is read. The servers would hold it for minutes.
    assert elapsed < 15, elapsed
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    reasons = " ".join(i["reason"] for i in document["incomplete"])
    assert "gs://slow-b" in {i["resource"] for i in document["incomplete"]}
    assert "DeadlineExceeded" in reasons
    assert document["api_calls"]["class_b"] == 0
    assert document["api_calls"]["storage_requests"] == len(drip.requests)
    assert document["api_calls"]["monitoring_calls"] == len(service.requests)


def test_objects_counts_its_listing_and_monitoring_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import ScriptedServer, gcs_error

    monkeypatch.chdir(tmp_path)
    (tmp_path / "costwatch.toml").write_text("api_retry_seconds = 0\n")
    page = {
        "kind": "storage#objects",
        "items": [{"name": "a.png", "size": "5", "contentType": "image/png"}],
    }
    server = ScriptedServer([(403, gcs_error(403, "no access", "forbidden")), (200, page)])
    service = MetricServiceEmulator("p", [])
    with (
        server.running(),
        env_var("STORAGE_EMULATOR_HOST", server.url),
        monitoring_emulator(service),
    ):
        result = runner.invoke(
            app, ["objects", "-b", "locked-b", "-b", "open-b", "--project", "p", "-f", "json"]
        )
    calls = json.loads(result.stdout)["api_calls"]
    # The denied listing was sent but not billed; the other is one Class A page.
    assert calls == {
        "class_a": 1,
        "class_b": 0,
        "storage_requests": 2,
        "monitoring_calls": len(service.requests),
    }
    assert len(server.requests) == 2
    assert calls["monitoring_calls"] > 0


def test_check_live_counts_its_bucket_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    (tmp_path / "costwatch.toml").write_text('buckets = ["gallery-images"]\n')
    (tmp_path / "deploy.sh").write_text("gcloud storage cp -r public gs://gallery-images\n")
    seed = [SeedBucket(bucket_resource("gallery-images"), PUBLIC_READ)]
    with (
        storage_emulator(seed) as upstream,
        LatencyProxy(upstream).running() as proxy,
        env_var("STORAGE_EMULATOR_HOST", proxy.url),
    ):
        result = runner.invoke(app, ["check", "deploy.sh", "--live", "-f", "json"])
    calls = json.loads(result.stdout)["api_calls"]
    assert proxy.counts() == {"bucket": 1, "iam": 1}
    assert calls == {"class_a": 0, "class_b": 2, "storage_requests": 2, "monitoring_calls": 0}


def test_check_without_live_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deploy.sh").write_text("gcloud storage cp -r public gs://gallery-images\n")
    result = runner.invoke(app, ["check", "deploy.sh", "-f", "json"])
    assert "api_calls" not in json.loads(result.stdout)
