"""The Cloud Storage source against the emulator and against a server that fails on purpose."""

from __future__ import annotations

import pytest

from costwatch.checks.buckets import judge_buckets
from costwatch.config import Config
from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from costwatch.model import IamCompleteness, LifecycleAction, LifecycleRule, LocationType
from costwatch.sources.gcs import ApiSettings, read_buckets, snapshot_from_resource
from tests.helpers import PUBLIC_READ, ScriptedServer, bucket_resource, gcs_error

FAST = ApiSettings(timeout_seconds=5, retry_seconds=0)


def test_reads_bucket_and_iam_policy() -> None:
    resource = bucket_resource(
        "gallery",
        location="US-EAST1",
        versioning={"enabled": True},
        lifecycle={"rule": [{"action": {"type": "Delete"}, "condition": {"numNewerVersions": 3}}]},
    )
    with storage_emulator([SeedBucket(resource, PUBLIC_READ)]):
        reading = read_buckets(["gallery"], "p", FAST)
    assert reading.incomplete == ()
    (snap,) = reading.items
    assert snap.location.value == "US-EAST1"
    assert snap.location_type.value is LocationType.REGION
    assert snap.versioning.value is True
    assert snap.lifecycle_rules.value == (LifecycleRule(LifecycleAction.DELETE, True),)
    assert snap.iam.completeness is IamCompleteness.COMPLETE
    assert snap.iam.bindings[0].role == "roles/storage.legacyObjectReader"
    assert snap.iam.bindings[0].members == ("allUsers",)
    # The contract: what the client read is exactly the pure translation of the resource.
    assert snap == snapshot_from_resource("gallery", resource, snap.iam.bindings)


def test_lists_project_buckets_when_none_are_named() -> None:
    seed = [SeedBucket(bucket_resource(n), PUBLIC_READ) for n in ("one-b", "two-b")]
    with storage_emulator(seed):
        reading = read_buckets([], "p", FAST)
    assert sorted(s.name for s in reading.items) == ["one-b", "two-b"]


def test_unknown_bucket_is_incomplete_and_others_still_read() -> None:
    with storage_emulator([SeedBucket(bucket_resource("real-one"), PUBLIC_READ)]):
        reading = read_buckets(["no-such-bucket", "real-one"], "p", FAST)
    assert [s.name for s in reading.items] == ["real-one"]
    (item,) = reading.incomplete
    assert item.resource == "gs://no-such-bucket"
    assert "not found" in item.reason


def _scripted(script: list[tuple[int, object]]) -> ScriptedServer:
    return ScriptedServer(script)


def test_permission_denied_names_the_permission() -> None:
    server = _scripted([(403, gcs_error(403, "caller does not have storage.buckets.get access"))])
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["locked"], "p", FAST)
    (item,) = reading.incomplete
    assert "permission denied" in item.reason
    assert "storage.buckets.get" in item.reason
    assert reading.items == ()


def test_iam_permission_denied_keeps_the_bucket_and_skips_access_rules() -> None:
    server = _scripted(
        [
            (200, bucket_resource("half")),
            (403, gcs_error(403, "no getIamPolicy")),
        ]
    )
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["half"], "p", FAST)
    (snap,) = reading.items
    assert snap.iam.completeness is IamCompleteness.UNREAD
    assert "storage.buckets.getIamPolicy" in snap.iam.reason
    assert reading.incomplete == ()
    findings, not_checked = judge_buckets(reading.items, Config())
    (item,) = not_checked
    assert item.resource == "gs://half"
    assert item.reason.startswith("CW111, CW112, CW113 not checked: access policy:")
    assert "storage.buckets.getIamPolicy" in item.reason
    assert item.blocking
    assert not any(f.rule_id in ("CW111", "CW112", "CW113") for f in findings)


def test_not_found_from_server() -> None:
    server = _scripted([(404, gcs_error(404, "The specified bucket does not exist."))])
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["gone"], "p", FAST)
    assert "not found" in reading.incomplete[0].reason


def test_unavailable_is_retried_with_a_bound() -> None:
    server = _scripted([(503, gcs_error(503, "Service Unavailable"))])
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["flaky"], "p", ApiSettings(timeout_seconds=2, retry_seconds=1.0))
    (item,) = reading.incomplete
    assert "kept failing" in item.reason
    assert "ServiceUnavailable" in item.reason
    assert 2 <= len(server.requests) <= 10


def test_unavailable_then_success() -> None:
    server = _scripted(
        [
            (503, gcs_error(503, "Service Unavailable")),
            (429, gcs_error(429, "rate limited")),
            (200, bucket_resource("recovers")),
            (200, {"bindings": PUBLIC_READ, "etag": "CAE=", "version": 1}),
        ]
    )
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["recovers"], "p", ApiSettings(timeout_seconds=2, retry_seconds=10))
    assert reading.incomplete == ()
    assert reading.items[0].name == "recovers"
    assert len(server.requests) == 4


def test_bucket_request_asks_for_full_projection_and_policy_v3() -> None:
    server = _scripted(
        [(200, bucket_resource("b-q")), (200, {"bindings": [], "etag": "CAE=", "version": 3})]
    )
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        read_buckets(["b-q"], "p", FAST)
    get_bucket, get_policy = server.requests
    assert "projection=full" in get_bucket
    assert "/b/b-q/iam" in get_policy
    assert "optionsRequestedPolicyVersion=3" in get_policy


def test_unreachable_server_is_incomplete_not_a_crash() -> None:
    from costwatch.demo.cloud import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with env_var("STORAGE_EMULATOR_HOST", url):
        reading = read_buckets(["nobody-home"], "p", FAST)
    assert "could not reach Cloud Storage" in reading.incomplete[0].reason


@pytest.mark.parametrize("project", [None, ""])
def test_no_buckets_and_no_project(project: str | None) -> None:
    with storage_emulator([]):
        reading = read_buckets([], project, FAST)
    assert "no buckets configured" in reading.incomplete[0].reason
