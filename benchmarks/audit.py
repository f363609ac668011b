"""Benchmark: `costwatch audit` behind a slow network, at 1, 10, 50 and 200 buckets.

Starts the storage emulator seeded with N buckets behind a loopback proxy that holds every
request for ``--latency`` seconds (80 ms by default, a transatlantic round trip), and the
in-process Monitoring service answering each call equally late. Then runs the whole
``costwatch audit --project bench --format json`` process, listing the project's buckets, once
with the default concurrency and once with ``api_concurrency = 1`` (sequential, as costwatch
read before). Prints wall times (median of ``--runs``, after one warm-up run), the requests
the proxy received by kind, and checks that the report's ``api_calls`` equal them and that
both runs report the same buckets in the same order.

    python benchmarks/audit.py [--buckets 1,10,50,200] [--latency 0.08] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from costwatch.demo.cloud import SeedBucket, storage_emulator  # noqa: E402
from costwatch.demo.monitoring import MetricServiceEmulator, monitoring_emulator  # noqa: E402
from tests.helpers import PUBLIC_READ, bucket_resource  # noqa: E402
from tests.loopback import LatencyProxy  # noqa: E402


def run_audit(env: dict[str, str], folder: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "costwatch", "audit", "--project", "bench", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({result.returncode}): {result.stderr.strip()[:500]}")
    document: dict[str, object] = json.loads(result.stdout)
    return elapsed, document


def measure(count: int, latency: float, runs: int, concurrency: int) -> dict[str, object]:
    seed = [SeedBucket(bucket_resource(f"bench-{n:04d}"), PUBLIC_READ) for n in range(count)]
    service = MetricServiceEmulator("bench", [])
    service.delay = latency
    times = []
    with tempfile.TemporaryDirectory(prefix="costwatch-bench-") as tmp:
        folder = Path(tmp)
        (folder / "costwatch.toml").write_text(f"api_concurrency = {concurrency}\n")
        with (
            storage_emulator(seed) as upstream,
            LatencyProxy(upstream, latency).running() as proxy,
            monitoring_emulator(service) as monitoring,
        ):
            env = {k: v for k, v in os.environ.items() if not k.startswith("GOOGLE_")}
            env.update(
                STORAGE_EMULATOR_HOST=proxy.url,
                COSTWATCH_MONITORING_EMULATOR_HOST=monitoring,
                NO_GCE_CHECK="true",
            )
            run_audit(env, folder)  # warm-up: imports and the file cache
            for _ in range(runs):
                proxy.requests.clear()
                service.requests.clear()
                elapsed, document = run_audit(env, folder)
                times.append(elapsed)
            counts = dict(proxy.counts())
            calls = document["api_calls"]
            assert isinstance(calls, dict)
            assert calls["storage_requests"] == len(proxy.requests), (calls, counts)
            assert calls["class_a"] == counts.get("list", 0), (calls, counts)
            assert calls["class_b"] == counts.get("iam", 0) + counts.get("bucket", 0)
            assert calls["monitoring_calls"] == len(service.requests)
            buckets = document["buckets"]
            assert isinstance(buckets, list) and len(buckets) == count
    return {
        "seconds": statistics.median(times),
        "requests": counts,
        "monitoring_calls": calls["monitoring_calls"],
        "order": [b["name"] for b in buckets],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buckets", default="1,10,50,200")
    parser.add_argument("--latency", type=float, default=0.08)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; latency {args.latency * 1000:.0f} ms per request; "
        f"median of {args.runs} runs"
    )
    print(
        f"{'buckets':>7}  {'concurrent (16)':>15}  {'sequential (1)':>14}  {'speed-up':>8}  "
        "requests at the proxy (and Monitoring calls)"
    )
    for count in (int(n) for n in args.buckets.split(",")):
        fast = measure(count, args.latency, args.runs, concurrency=16)
        slow = measure(count, args.latency, args.runs, concurrency=1)
        assert fast["order"] == slow["order"], "concurrency changed the report's order"
        assert fast["requests"] == slow["requests"]
        print(
            f"{count:>7}  {fast['seconds']:>13.2f} s  {slow['seconds']:>12.2f} s  "
            f"{slow['seconds'] / fast['seconds']:>7.1f}x  "
            f"{fast['requests']} (+{fast['monitoring_calls']})"
        )


if __name__ == "__main__":
    main()
