"""Benchmark ``costwatch objects`` on a loopback server that speaks the JSON API list response.

    python benchmarks/objects.py                    # 100,000 and 1,000,000 objects
    python benchmarks/objects.py --counts 100000 --blob-compare 100000

A server process answers ``GET /storage/v1/b/BUCKET/o`` with 1,000 objects a page and a
``nextPageToken``, as Cloud Storage does. Each ``costwatch objects`` run is a separate process
(``STORAGE_EMULATOR_HOST`` points the real client at the server); its wall time and peak RSS
(``wait4``'s ``ru_maxrss``) are reported. ``--blob-compare`` times the client's own iterator,
which builds a ``Blob`` per object, against costwatch's listing, which reads the items as
they arrive, both in this process over the same server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

BUCKET = "bench-gallery"
PAGE = 1000
ROOT = Path(__file__).resolve().parent.parent


def _item(index: int) -> dict[str, Any]:
    kind = index % 10
    return {
        "name": f"gallery/{index // 1000:04d}/artwork-{index:07d}.{'png' if kind == 0 else 'jpg'}",
        "size": str(40_000 + (index * 7919) % 2_000_000),
        "contentType": "image/png" if kind == 0 else "image/jpeg",
        "cacheControl": "public, max-age=3600" if kind < 3 else "public, max-age=31536000",
        "storageClass": "NEARLINE" if index % 997 == 0 else "STANDARD",
        "updated": "2026-11-01T12:00:00.000Z",
    }


def serve(count: int) -> None:
    """Serve ``count`` objects on a free loopback port; print the URL, then serve forever."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path != f"/storage/v1/b/{BUCKET}/o":
                body = json.dumps({"error": {"code": 404, "message": "not found"}}).encode()
                self._send(404, body)
                return
            start = int(query.get("pageToken", ["0"])[0])
            size = min(int(query.get("maxResults", [str(PAGE)])[0]), PAGE)
            end = min(count, start + size)
            page: dict[str, Any] = {
                "kind": "storage#objects",
                "items": [_item(i) for i in range(start, end)],
            }
            if end < count:
                page["nextPageToken"] = str(end)
            self._send(200, json.dumps(page).encode())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


def start_server(count: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    return process, url


def environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"STORAGE_EMULATOR_HOST": url, "NO_GCE_CHECK": "true"})
    env.pop("GOOGLE_CLOUD_PROJECT", None)
    return env


def run_costwatch(count: int, url: str) -> dict[str, Any]:
    """One ``costwatch objects`` process over ``count`` objects: time, peak RSS, its JSON."""
    pages = (count + PAGE - 1) // PAGE
    command = [
        sys.executable, "-m", "costwatch", "objects", "--bucket", BUCKET,
        "--max-list-ops", str(pages + 1), "--fresh-month", "--format", "json",
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT / "benchmarks",
        env=environment(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix in earlier children).
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    report = json.loads(stdout)
    (bucket,) = report["objects"]["buckets"]
    if bucket["objects"] != count:
        raise SystemExit(f"listed {bucket['objects']} of {count}: {stderr.decode()[-500:]}")
    return {
        "objects": count,
        "pages": bucket["list_pages"],
        "seconds": elapsed,
        "objects_per_second": count / elapsed,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "exit": process.returncode,
    }


def blob_compare(count: int, url: str) -> dict[str, float]:
    """The client's Blob-building iterator against costwatch's listing, same server."""
    os.environ.update(environment(url))
    sys.path.insert(0, str(ROOT))
    from costwatch.sources.objects import FIELDS, list_objects, make_client

    client = make_client("bench")
    out: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    seen = sum(
        1 for _ in client.list_blobs(BUCKET, page_size=PAGE, fields=FIELDS, projection="noAcl")
    )
    out["blob_seconds"] = time.perf_counter() - started
    out["blob_cpu"] = time.process_time() - cpu
    assert seen == count
    started, cpu = time.perf_counter(), time.process_time()
    seen = sum(1 for _ in list_objects(client, BUCKET, max_pages=10**6, timeout=60, retry=None))
    out["records_seconds"] = time.perf_counter() - started
    out["records_cpu"] = time.process_time() - cpu
    assert seen == count
    # The conversion alone, without HTTP or JSON decoding: one Blob per item, or one record.
    from google.cloud.storage.bucket import _item_to_blob

    from costwatch.sources.objects import record_from_item

    iterator = client.list_blobs(BUCKET)
    items = [_item(i) for i in range(PAGE)]
    started = time.process_time()
    for _ in range(count // PAGE):
        for item in items:
            _item_to_blob(iterator, item)
    out["blob_convert_cpu"] = time.process_time() - started
    started = time.process_time()
    for _ in range(count // PAGE):
        for item in items:
            record_from_item(item)
    out["record_convert_cpu"] = time.process_time() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--counts", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--blob-compare", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    for count in args.counts:
        server, url = start_server(count)
        try:
            result = run_costwatch(count, url)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(
            f"{result['objects']:>9,} objects, {result['pages']:>5,} pages: "
            f"{result['seconds']:7.1f} s, {result['objects_per_second']:9,.0f} objects/s, "
            f"{result['cpu_seconds']:6.1f} s CPU in costwatch, "
            f"peak RSS {result['peak_rss_mb']:6.1f} MB (exit {result['exit']})",
            flush=True,
        )
    if args.blob_compare:
        server, url = start_server(args.blob_compare)
        try:
            times = blob_compare(args.blob_compare, url)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(
            f"{args.blob_compare:,} objects: client iterator building Blobs "
            f"{times['blob_seconds']:.2f} s ({times['blob_cpu']:.2f} s CPU), costwatch records "
            f"{times['records_seconds']:.2f} s ({times['records_cpu']:.2f} s CPU); the "
            f"conversion alone: Blobs {times['blob_convert_cpu']:.2f} s CPU, records "
            f"{times['record_convert_cpu']:.2f} s CPU",
            flush=True,
        )


if __name__ == "__main__":
    main()
