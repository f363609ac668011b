"""The demo gallery's objects, uploaded with their metadata through the real client."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def demo_objects() -> list[dict[str, Any]]:
    raw = resources.files("costwatch.demo").joinpath("data/objects.json").read_text()
    objects: list[dict[str, Any]] = json.loads(raw)["objects"]
    return objects


def upload_objects(objects: list[dict[str, Any]], project: str) -> None:
    """Upload each object (zero bytes of its size) to the emulator STORAGE_EMULATOR_HOST names."""
    from costwatch.sources.objects import make_client

    client = make_client(project)
    for item in objects:
        blob = client.bucket(item["bucket"]).blob(item["name"])
        for field in ("cache_control", "content_encoding", "storage_class"):
            if field in item:
                setattr(blob, field, item[field])
        blob.upload_from_string(b"\0" * item["size"], content_type=item["content_type"])
