"""One deadline for a whole HTTP request, against servers on loopback."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from requests.adapters import HTTPAdapter

from costwatch.sources.deadline import DeadlineAdapter, DeadlineExceeded, abort_all, install
from tests.loopback import DripServer, FakeBuckets

Seen = list[tuple[str, str, "int | None"]]


def session_with(seconds: float, seen: Seen) -> requests.Session:
    session = requests.Session()
    assert install(session, seconds, lambda m, u, s: seen.append((m, u, s)), pool_size=4)
    return session


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_drip_ends_at_the_deadline_not_at_each_read(where: str) -> None:
    seen: Seen = []
    server = DripServer(where, interval=0.1)
    with server.running():
        session = session_with(1.0, seen)
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            # A read timeout of 5 s never fires: a byte comes every 0.1 s.
            session.get(f"{server.url}/storage/v1/b/x", timeout=5)
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 3, elapsed
    assert seen == [("GET", f"{server.url}/storage/v1/b/x", None)]


def test_a_prompt_answer_is_read_whole_and_reported() -> None:
    seen: Seen = []
    server = FakeBuckets([{"name": "fine-b"}])
    with server.running():
        session = session_with(2.0, seen)
        first = session.get(f"{server.url}/storage/v1/b/fine-b", timeout=5)
        second = session.get(f"{server.url}/storage/v1/b/gone-b", timeout=5)
    assert first.json() == {"name": "fine-b"}
    assert second.status_code == 404
    assert [s for _, _, s in seen] == [200, 404]


def test_an_interrupt_ends_requests_in_flight_at_once() -> None:
    server = DripServer("body", interval=0.1)
    outcome: list[BaseException] = []

    def fetch() -> None:
        session = session_with(60.0, [])
        try:
            session.get(f"{server.url}/storage/v1/b/x", timeout=60)
        except BaseException as exc:
            outcome.append(exc)

    with server.running():
        worker = threading.Thread(target=fetch)
        worker.start()
        time.sleep(0.5)
        started = time.monotonic()
        abort_all()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert time.monotonic() - started < 2
    assert isinstance(outcome[0], DeadlineExceeded)


def test_a_custom_adapter_is_kept_and_requests_still_counted() -> None:
    class MutualTls(HTTPAdapter):
        pass

    seen: Seen = []
    session = requests.Session()
    session.mount("https://", MutualTls())
    assert not install(session, 2.0, lambda m, u, s: seen.append((m, u, s)), pool_size=4)
    assert type(session.get_adapter("https://x")) is MutualTls
    server = FakeBuckets([{"name": "fine-b"}])
    with server.running():
        session.get(f"{server.url}/storage/v1/b/fine-b", timeout=5)
    assert seen == [("GET", f"{server.url}/storage/v1/b/fine-b", 200)]


def test_the_adapter_alone() -> None:
    adapter = DeadlineAdapter(0.5)
    session = requests.Session()
    session.mount("http://", adapter)
    server = DripServer("headers", interval=0.05)
    with server.running(), pytest.raises(requests.exceptions.Timeout):
        session.get(server.url, timeout=5)
