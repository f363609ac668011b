"""Shared fixtures. Every test stays on loopback: the guard below fails any other connection."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

# google-auth reads this at import: never probe a metadata server from a test. With no
# Application Default Credentials either, a client that is not pointed at an emulator fails
# at once instead of dialling Google (gRPC's sockets are not Python's, so the guard below
# would not see them).
os.environ["NO_GCE_CHECK"] = "true"
os.environ["CLOUDSDK_CONFIG"] = tempfile.mkdtemp(prefix="costwatch-tests-gcloud-")
os.environ.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
os.environ.pop("STORAGE_EMULATOR_HOST", None)
os.environ.pop("COSTWATCH_MONITORING_EMULATOR_HOST", None)
os.environ.pop("GOOGLE_CLOUD_PROJECT", None)


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:
        return True  # AF_UNIX paths and the like never leave the machine
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkEscape(AssertionError):
    """A test tried to open a connection that is not on loopback."""


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any Python socket connection off loopback (HTTP clients, google-auth, requests).

    gRPC's C core opens its sockets outside Python; the only gRPC peer in the tests is the
    in-process Monitoring service, which always listens on 127.0.0.1.
    """
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: Any) -> None:
        if not _is_loopback(address):
            raise NetworkEscape(f"test tried to connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _is_loopback(address):
            raise NetworkEscape(f"test tried to connect to {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caches (parsed Terraform) go to a temporary folder, never the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(params=["python", "hyperscan"])
def link_scanner(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a link-scan test with each way of reading a file's bytes: pure Python, and one
    Hyperscan pass (the ``fast`` extra). Both must give the same findings."""
    if request.param == "python":
        monkeypatch.setenv("COSTWATCH_NO_HYPERSCAN", "1")
    else:
        monkeypatch.delenv("COSTWATCH_NO_HYPERSCAN", raising=False)
        if importlib.util.find_spec("hyperscan") is None:
            from tests.helpers import missing_tool

            missing_tool("hyperscan (the `fast` extra)")
    return str(request.param)
