"""What the Cloud Storage source sends, counted at loopback servers: no hidden requests,
bounded concurrency in the original order, isolated failures, whole-request deadlines."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from costwatch.footprint import ApiCalls
from costwatch.sources.gcs import ApiSettings, read_buckets
from tests.helpers import PUBLIC_READ, bucket_resource
from tests.loopback import DripServer, FakeBuckets, LatencyProxy

FAST = ApiSettings(timeout_seconds=5, retry_seconds=0)

#: google-cloud-storage sends its telemetry fetches from background threads after a call
#: returns: wait this long before counting so that a late request would still be seen.
SETTLE = 0.5


def names(count: int) -> list[str]:
    return [f"bucket-{n:04d}" for n in range(count)]


def test_named_buckets_cost_one_bucket_read_and_one_policy_read_each() -> None:
    seed = [SeedBucket(bucket_resource(n), PUBLIC_READ) for n in names(5)]
    with storage_emulator(seed) as upstream, LatencyProxy(upstream).running() as proxy:
        with env_var("STORAGE_EMULATOR_HOST", proxy.url):
            reading = read_buckets(names(5), "p", FAST)
        time.sleep(SETTLE)
    assert [s.name for s in reading.items] == names(5)
    assert proxy.counts() == {"bucket": 5, "iam": 5}
    assert reading.api_calls == ApiCalls(class_a=0, class_b=10, storage_requests=10)


def test_listed_buckets_cost_one_list_call_and_one_policy_read_each() -> None:
    seed = [SeedBucket(bucket_resource(n), PUBLIC_READ) for n in names(6)]
    with storage_emulator(seed) as upstream, LatencyProxy(upstream).running() as proxy:
        with env_var("STORAGE_EMULATOR_HOST", proxy.url):
            reading = read_buckets([], "p", FAST)
        time.sleep(SETTLE)
    assert sorted(s.name for s in reading.items) == names(6)
    # No GET of a listed bucket: the list already carried the full resource.
    assert proxy.counts() == {"list": 1, "iam": 6}
    assert reading.api_calls == ApiCalls(class_a=1, class_b=6, storage_requests=7)


def test_one_list_call_per_thousand_buckets() -> None:
    server = FakeBuckets([bucket_resource(n) for n in names(1001)], PUBLIC_READ)
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets([], "p", FAST)
        time.sleep(SETTLE)
    assert [s.name for s in reading.items] == names(1001)
    assert server.counts() == {"list": 2, "iam": 1001}
    assert all("maxResults=1000" in r for r in server.requests if " /storage/v1/b?" in r)
    assert reading.api_calls.class_a == 2 and reading.api_calls.class_b == 1001


def test_a_list_that_never_ends_is_cut_off_and_incomplete() -> None:
    server = FakeBuckets([bucket_resource(n) for n in names(3)], endless=True)
    api = ApiSettings(timeout_seconds=5, retry_seconds=0, max_pages=4)
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets([], "p", api)
    (item,) = reading.incomplete
    assert item.resource == "projects/p"
    assert "after 4 list pages" in item.reason
    assert server.counts()["list"] == 4
    # What was listed is still read.
    assert len(reading.items) == 12


def test_reads_run_concurrently_within_the_bound_and_keep_their_order() -> None:
    server = FakeBuckets(
        [bucket_resource(n) for n in names(40)], PUBLIC_READ, latency=0.05, jitter=0.05
    )
    api = ApiSettings(timeout_seconds=5, retry_seconds=0, concurrency=6)
    wanted = list(reversed(names(40)))
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(wanted, "p", api)
    assert [s.name for s in reading.items] == wanted
    assert 1 < server.peak_in_flight <= 6
    assert server.counts() == {"bucket": 40, "iam": 40}


def test_concurrency_of_one_is_sequential() -> None:
    server = FakeBuckets([bucket_resource(n) for n in names(5)], latency=0.02)
    api = ApiSettings(timeout_seconds=5, retry_seconds=0, concurrency=1)
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(names(5), "p", api)
    assert len(reading.items) == 5
    assert server.peak_in_flight == 1


def test_one_bucket_failing_leaves_the_others_and_retries_are_unchanged() -> None:
    failures = {"bucket-0003": [403], "bucket-0005": [503, 503, 200], "bucket-0007": [404]}
    server = FakeBuckets(
        [bucket_resource(n) for n in names(10)], PUBLIC_READ, latency=0.01, failures=failures
    )
    api = ApiSettings(timeout_seconds=5, retry_seconds=10, concurrency=4)
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(names(10), "p", api)
    read = [s.name for s in reading.items]
    assert read == [n for n in names(10) if n not in ("bucket-0003", "bucket-0007")]
    assert [i.resource for i in reading.incomplete] == ["gs://bucket-0003", "gs://bucket-0007"]
    assert "permission denied" in reading.incomplete[0].reason
    assert "not found" in reading.incomplete[1].reason
    # bucket-0005 answered 503 twice and was retried into a full read.
    retried = [r for r in server.requests if "/b/bucket-0005?" in r]
    assert len(retried) == 3
    # Every request sent is counted; only the successful ones are billed operations.
    calls = reading.api_calls
    assert calls.storage_requests == len(server.requests)
    assert calls.class_b == 8 * 2
    assert calls.class_a == 0


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_is_cut_off_at_the_deadline(where: str) -> None:
    server = DripServer(where, interval=0.3)
    api = ApiSettings(timeout_seconds=2, retry_seconds=3)
    started = time.monotonic()
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["slow-one", "slow-two"], "p", api)
    elapsed = time.monotonic() - started
    # Two tries of 2 s within the 3 s retry budget, both buckets at once: far below the
    # minutes the drip would take (a per-read timeout never fires at a byte every 0.3 s).
    assert elapsed < 9, elapsed
    assert reading.items == ()
    assert [i.resource for i in reading.incomplete] == ["gs://slow-one", "gs://slow-two"]
    for item in reading.incomplete:
        assert "kept failing" in item.reason
        assert "DeadlineExceeded" in item.reason
    assert reading.api_calls.class_b == 0
    assert reading.api_calls.storage_requests == len(server.requests) >= 4


def test_without_retries_a_drip_ends_at_one_deadline() -> None:
    server = DripServer("body", interval=0.2)
    api = ApiSettings(timeout_seconds=1, retry_seconds=0)
    started = time.monotonic()
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        reading = read_buckets(["slow"], "p", api)
    assert time.monotonic() - started < 4
    (item,) = reading.incomplete
    assert "no complete answer within 1s" in item.reason


def test_an_interrupt_ends_the_reads_in_flight_at_once(tmp_path: Path) -> None:
    # In a process of its own: the interrupt is a real SIGINT to the whole process.
    script = tmp_path / "interrupt.py"
    script.write_text(
        "import os, signal, sys, threading, time\n"
        "from costwatch.demo.cloud import env_var\n"
        "from costwatch.sources.gcs import ApiSettings, read_buckets\n"
        "from tests.loopback import DripServer\n"
        "server = DripServer('body', interval=0.2)\n"
        "with server.running(), env_var('STORAGE_EMULATOR_HOST', server.url):\n"
        "    threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "    started = time.monotonic()\n"
        "    try:\n"
        "        read_buckets([f'slow-{n}' for n in range(8)], 'p', ApiSettings(60, 0, 4))\n"
        "    except KeyboardInterrupt:\n"
        "        print('interrupted after', round(time.monotonic() - started, 2))\n"
    )
    root = Path(__file__).parents[2]
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert "interrupted after" in result.stdout, result.stderr
    # Without ending the requests in flight, the pool would wait for their 60 s deadlines.
    assert float(result.stdout.split()[-1]) < 5
