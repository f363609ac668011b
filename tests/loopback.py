"""Loopback servers that count what costwatch sends: a paged bucket API with latency and
scripted failures, a latency proxy in front of the emulator, and a server that drips.

The benchmarks use them too (``benchmarks/audit.py``).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

API = "/storage/v1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections when 16 arrive at once; the client then waits
    # a second to try again, which would be timed as costwatch's.
    request_queue_size = 128


class CountingServer:
    """What every loopback server here shares: a request log, the peak of requests in flight,
    and a ``running()`` context."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[str] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes: with Nagle's algorithm on, the body would
            # wait for the client's delayed ACK, adding 40 ms to every answer.
            disable_nagle_algorithm = True

            def _answer(self) -> None:
                with outer._lock:
                    outer.requests.append(f"{self.command} {self.path}")
                    outer.in_flight += 1
                    outer.peak_in_flight = max(outer.peak_in_flight, outer.in_flight)
                try:
                    if outer.latency:
                        time.sleep(outer.latency)
                    outer.handle(self)
                finally:
                    with outer._lock:
                        outer.in_flight -= 1

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def counts(self) -> Counter[str]:
        """Requests by kind: ``list``, ``bucket`` (GET one bucket), ``iam``, or ``other``."""
        return Counter(request_kind(r) for r in self.requests)

    @contextlib.contextmanager
    def running(self) -> Iterator[Any]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def request_kind(line: str) -> str:
    method, _, target = line.partition(" ")
    path = urlsplit(target).path.removeprefix(API)
    if method != "GET":
        return "other"
    if path == "/b":
        return "list"
    parts = path.split("/")
    if len(parts) == 3 and parts[1] == "b":
        return "bucket"
    if len(parts) == 4 and parts[1] == "b" and parts[3] == "iam":
        return "iam"
    return "other"


def send_json(request: BaseHTTPRequestHandler, status: int, body: Any) -> None:
    payload = json.dumps(body).encode()
    request.send_response(status)
    request.send_header("Content-Type", "application/json")
    request.send_header("Content-Length", str(len(payload)))
    request.end_headers()
    request.wfile.write(payload)


class FakeBuckets(CountingServer):
    """The bucket part of the Cloud Storage JSON API: list (paged by ``maxResults``, at most
    1,000), get, getIamPolicy. ``endless`` sends a page token back forever.

    ``failures`` maps a bucket name to the statuses its requests answer in turn (the last one
    repeats); ``jitter`` adds a different delay per bucket so answers come back out of order.
    """

    def __init__(
        self,
        resources: Sequence[Mapping[str, Any]],
        iam: Sequence[Mapping[str, Any]] = (),
        *,
        latency: float = 0.0,
        jitter: float = 0.0,
        failures: Mapping[str, Sequence[int]] | None = None,
        endless: bool = False,
    ) -> None:
        super().__init__(latency)
        self.endless = endless
        self.resources = {str(r["name"]): dict(r) for r in resources}
        self.order = [str(r["name"]) for r in resources]
        self.iam = list(iam)
        self.jitter = jitter
        self.failures = {k: list(v) for k, v in (failures or {}).items()}

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        split = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        parts = split.path.removeprefix(API).split("/")
        if parts[1:] == ["b"]:
            size = min(1000, int(query.get("maxResults", 1000)))
            start = int(query.get("pageToken", "0"))
            names = self.order[start : start + size]
            body: dict[str, Any] = {
                "kind": "storage#buckets",
                "items": [self.resources[n] for n in names],
            }
            if start + size < len(self.order):
                body["nextPageToken"] = str(start + size)
            elif self.endless:
                body["nextPageToken"] = "0"
            send_json(request, 200, body)
            return
        name = unquote(parts[2]) if len(parts) > 2 else ""
        if self.jitter and name in self.resources:
            time.sleep(self.jitter * (hash(name) % 7) / 6)
        statuses = self.failures.get(name)
        if statuses:
            with self._lock:
                status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
            if status >= 400:
                error = {"error": {"code": status, "message": f"scripted {status}"}}
                send_json(request, status, error)
                return
        if name not in self.resources:
            send_json(request, 404, {"error": {"code": 404, "message": "Not Found"}})
        elif parts[3:] == ["iam"]:
            send_json(request, 200, {"bindings": self.iam, "etag": "CAE=", "version": 3})
        else:
            send_json(request, 200, self.resources[name])


class LatencyProxy(CountingServer):
    """Forwards every request to ``upstream`` (the storage emulator) after ``latency``."""

    def __init__(self, upstream: str, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.upstream = urlsplit(upstream)
        # The emulator answers one request at a time (and its backlog is 5): hand it one.
        self._upstream_lock = threading.Lock()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else None
        connection = http.client.HTTPConnection(
            self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=30
        )
        try:
            with self._upstream_lock:
                connection.request(request.command, request.path, body=body)
                answer = connection.getresponse()
                payload = answer.read()
        finally:
            connection.close()
        request.send_response(answer.status)
        request.send_header("Content-Type", answer.getheader("Content-Type", "application/json"))
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)


class DripServer(CountingServer):
    """Answers every request one byte every ``interval`` seconds, for as long as the client
    listens (``where``: ``"body"`` after prompt headers, or ``"headers"``)."""

    def __init__(self, where: str = "body", interval: float = 0.5, total: float = 120) -> None:
        super().__init__()
        self.where = where
        self.interval = interval
        self.total = total

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        payload = json.dumps({"name": "slow", "location": "US-WEST1"}).encode()
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + b"X-Padding: "
            + b"x" * 4000
            + b"\r\nContent-Length: %d\r\n\r\n" % (len(payload) + 100_000)
        )
        dripped = head if self.where == "headers" else payload + b" " * 100_000
        if self.where == "body":
            request.wfile.write(head)
        deadline = time.monotonic() + self.total
        with contextlib.suppress(OSError):
            for byte in dripped:
                if time.monotonic() > deadline:
                    return
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(self.interval)
