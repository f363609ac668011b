"""One deadline for a whole HTTP request: connect, headers and body, however slowly they come.

``requests`` and ``urllib3`` time out per socket read: a server that sends one byte a second
never trips a 2-second read timeout and can hold a request for as long as it likes. The
:class:`DeadlineAdapter` starts a timer with each request; when it fires, the request's sockets
are shut down, the blocked read returns, and the request ends in :class:`DeadlineExceeded`
(a ``requests`` timeout, so the caller's retry policy and error handling treat it as one).

The adapter also reports every request it sends, with its status (None when no answer came),
which is how costwatch counts the operations a run spends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

#: Called once per request sent: method, URL, and the status code (None: no answer).
OnRequest = Callable[[str, str, "int | None"], None]

_current = threading.local()
#: Requests in flight in any thread, so that an interrupt can end them all at once.
_active: set[_Watch] = set()
_active_lock = threading.Lock()


class DeadlineExceeded(requests.exceptions.Timeout):
    """A request did not complete (headers and body) within its deadline."""


class _Watch:
    """The sockets one request uses, and a timer that shuts them down at its deadline."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._connections: list[HTTPConnection] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        _current.watch = self
        with _active_lock:
            _active.add(self)
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with _active_lock:
            _active.discard(self)
        _current.watch = None

    def add(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.expired:
                _shut(connection)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                _shut(connection)


def abort_all() -> None:
    """End every request in flight now, as if its deadline had passed (on an interrupt)."""
    with _active_lock:
        watches = list(_active)
    for watch in watches:
        watch.expire()


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    # The plain socket's shutdown, also for TLS: it wakes a read blocked in another thread
    # without touching the TLS object that thread is using.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(connection: HTTPConnection) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.add(connection)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watched(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watched(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    """The same watching, on HTTPS (its ``connect`` comes after this class's, via ``super``)."""


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTP adapter whose requests end, body read, within ``seconds`` or fail."""

    def __init__(
        self, seconds: float, on_request: OnRequest | None = None, pool_size: int = 10
    ) -> None:
        self.seconds = seconds
        self.on_request = on_request
        super().__init__(pool_connections=4, pool_maxsize=max(1, pool_size))

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        status: int | None = None
        try:
            with _Watch(self.seconds) as watch:
                try:
                    response = super().send(request, stream=stream, **kwargs)
                    if not stream:
                        # Read the body under the same deadline (requests reads it later).
                        response.content  # noqa: B018
                except (requests.exceptions.RequestException, OSError) as exc:
                    if watch.expired:
                        raise self._exceeded(request) from exc
                    raise
            if watch.expired:
                # A body without a length simply ends when the socket is shut: not an answer.
                raise self._exceeded(request)
            status = response.status_code
            return response
        finally:
            if self.on_request is not None:
                self.on_request(str(request.method), str(request.url), status)

    def _exceeded(self, request: requests.PreparedRequest) -> DeadlineExceeded:
        return DeadlineExceeded(f"no complete answer within {self.seconds:g}s", request=request)


def install(
    session: requests.Session, seconds: float, on_request: OnRequest | None, pool_size: int
) -> bool:
    """Mount a :class:`DeadlineAdapter` on ``session``; False if it has a custom adapter
    (mutual TLS) that must be kept."""
    if any(type(session.get_adapter(p)) is not HTTPAdapter for p in ("https://", "http://")):
        if on_request is not None:
            callback = on_request

            def count(response: requests.Response, *args: Any, **kwargs: Any) -> None:
                sent = response.request
                callback(str(sent.method), str(sent.url), response.status_code)

            session.hooks["response"].append(count)
        return False
    adapter = DeadlineAdapter(seconds, on_request, pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return True
