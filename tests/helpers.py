"""Test helpers: bucket resources as Cloud Storage returns them, and a scripted HTTP server."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn

import pytest


def bucket_resource(name: str, **overrides: Any) -> dict[str, Any]:
    """A well-configured us-west1 bucket resource (full projection), with overrides."""
    resource: dict[str, Any] = {
        "kind": "storage#bucket",
        "id": name,
        "name": name,
        "location": "US-WEST1",
        "locationType": "region",
        "storageClass": "STANDARD",
        "iamConfiguration": {
            "uniformBucketLevelAccess": {"enabled": True},
            "publicAccessPrevention": "inherited",
        },
        "softDeletePolicy": {"retentionDurationSeconds": "0"},
        "acl": [],
        "defaultObjectAcl": [],
    }
    resource.update(overrides)
    return resource


PUBLIC_READ = [{"role": "roles/storage.legacyObjectReader", "members": ["allUsers"]}]


class ScriptedServer:
    """A loopback HTTP server that answers each request with the next scripted response.

    ``script`` is a list of (status, json body); the last entry repeats forever.
    """

    def __init__(self, script: list[tuple[int, Any]]) -> None:
        self.script = script
        self.requests: list[str] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                with outer._lock:
                    outer.requests.append(f"{self.command} {self.path}")
                    index = min(len(outer.requests), len(outer.script)) - 1
                    status, body = outer.script[index]
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @contextlib.contextmanager
    def running(self) -> Iterator[ScriptedServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def gcs_error(code: int, message: str, reason: str = "") -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
        }
    }


def missing_tool(what: str) -> NoReturn:
    """A real tool that checks a test's output is not installed.

    ``.ci/run`` installs every such tool, so under CI (``CI`` set) its absence fails the test;
    elsewhere (the README's plain ``pytest``) the test is skipped and says how to get it.
    """
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed, but .ci/run installs it")
    pytest.skip(f"{what} is not installed (.ci/run installs it)")
