import socket

import pytest

from tests.conftest import NetworkEscape


def test_guard_blocks_non_loopback() -> None:
    with socket.socket() as sock, pytest.raises(NetworkEscape):
        sock.connect(("192.0.2.1", 80))


def test_guard_allows_loopback() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
