"""``--notify``: a JSON POST to a webhook on loopback, bounded, and never a secret shown."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import pytest

from costwatch.notify import NotifyError, check_url, post_text, where
from tests.helpers import ScriptedServer


class Recorder:
    """A webhook on loopback that records each JSON body it receives."""

    def __init__(self, delay: float = 0.0) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.bodies.append(json.loads(self.rfile.read(length)))
                time.sleep(delay)
                # The client may have timed out and gone: that is what a slow test checks.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/services/T000/B000/XXXX"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_posts_the_text_as_json() -> None:
    with Recorder() as hook:
        post_text(hook.url, "2 new findings")
    assert hook.bodies == [{"text": "2 new findings"}]


def test_secrets_in_urls_are_redacted_in_the_message() -> None:
    with Recorder() as hook:
        post_text(hook.url, "see https://x.example/a.png?token=ghp_abcdef123456 now")
    assert hook.bodies[0]["text"] == "see https://x.example/a.png?token=REDACTED now"


def test_retries_server_errors_then_succeeds() -> None:
    server = ScriptedServer([(503, {}), (429, {}), (200, {})])
    with server.running():
        post_text(server.url + "/hook", "hi", backoff=0.01)
    assert len(server.requests) == 3


def test_gives_up_after_bounded_attempts_without_showing_the_url() -> None:
    server = ScriptedServer([(500, {})])
    with server.running(), pytest.raises(NotifyError) as caught:
        post_text(server.url + "/hook/SECRET", "hi", backoff=0.01)
    assert len(server.requests) == 3
    assert "SECRET" not in str(caught.value)
    assert "HTTP 500" in str(caught.value)


def test_client_error_is_not_retried() -> None:
    server = ScriptedServer([(404, {})])
    with server.running(), pytest.raises(NotifyError):
        post_text(server.url + "/hook", "hi", backoff=0.01)
    assert len(server.requests) == 1


def test_timeout_is_bounded() -> None:
    with Recorder(delay=2.0) as hook:
        started = time.monotonic()
        with pytest.raises(NotifyError):
            post_text(hook.url, "hi", timeout=0.2, attempts=2, backoff=0.01)
        assert time.monotonic() - started < 1.5


def test_nothing_listening_is_an_error() -> None:
    server = ScriptedServer([(200, {})])
    url = server.url
    server.httpd.server_close()
    with pytest.raises(NotifyError):
        post_text(url + "/x", "hi", attempts=2, backoff=0.01)


@pytest.mark.parametrize("url", ["ftp://host/x", "hooks.example/x", "http:///nohost"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(NotifyError):
        check_url(url)


def test_where_shows_only_scheme_and_host() -> None:
    assert where("https://hooks.slack.com/services/T0/B0/secret") == "https://hooks.slack.com"
