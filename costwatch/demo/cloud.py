"""An emulated Cloud Storage on loopback, seeded with bucket resources and IAM policies.

The demo and the tests both use it: the project's code talks to it through the real
google-cloud-storage client over HTTP, exactly as it talks to Google.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class SeedBucket:
    """A bucket as the cloud holds it: its JSON API resource and IAM bindings."""

    resource: Mapping[str, Any]
    iam: Sequence[Mapping[str, Any]] = ()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def env_var(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@contextlib.contextmanager
def storage_emulator(seed: Sequence[SeedBucket]) -> Iterator[str]:
    """Start gcp-storage-emulator in memory on loopback; yield its URL with the env var set."""
    from gcp_storage_emulator.server import create_server

    logging.getLogger("gcp_storage_emulator").setLevel(logging.WARNING)
    port = free_port()
    server = create_server("127.0.0.1", port, in_memory=True)
    # Seeding writes the emulator's state directly: some fields (locationType, autoclass,
    # rpo, customPlacementConfig) are set by Google at creation and cannot be patched.
    state = server._storage
    for bucket in seed:
        resource = json.loads(json.dumps(bucket.resource))
        state.create_bucket(resource["name"], resource)
        state.set_bucket_iam_policy(
            resource["name"],
            {"version": 1, "etag": "CAE=", "bindings": [dict(b) for b in bucket.iam]},
        )
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        with env_var("STORAGE_EMULATOR_HOST", url):
            yield url
    finally:
        server.stop()


def demo_seed() -> list[SeedBucket]:
    """The gallery owner's buckets shipped with the package."""
    raw = json.loads(resources.files("costwatch.demo").joinpath("data/cloud.json").read_text())
    return [SeedBucket(b["resource"], b["iam"]) for b in raw["buckets"]]
