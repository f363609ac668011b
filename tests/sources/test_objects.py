"""The object listing through the real client: the emulator, and scripted servers for paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from costwatch.objects_model import ListingProgress, ObjectRecord
from costwatch.sources.objects import (
    FIELDS,
    ListingError,
    list_objects,
    list_retry,
    make_client,
)
from tests.helpers import PUBLIC_READ, ScriptedServer, bucket_resource, gcs_error

NAMES = [
    "plain.png",
    "with space.png",
    "画像 ギャラリー.webp",
    "hash#tag.png",
    "what?.png",
    "100%.png",
]


def upload(client: Any, bucket: str, name: str, data: bytes, **meta: Any) -> None:
    blob = client.bucket(bucket).blob(name)
    for key, value in meta.items():
        setattr(blob, key, value)
    blob.upload_from_string(data, content_type=meta.get("content_type", "image/png"))


@pytest.fixture()
def gallery() -> Iterator[Any]:
    with storage_emulator([SeedBucket(bucket_resource("gallery-b"), PUBLIC_READ)]):
        client = make_client("p")
        for name in NAMES:
            upload(client, "gallery-b", name, b"x" * 10, cache_control="public, max-age=31536000")
        upload(client, "gallery-b", "icon.svg", b"<svg/>", content_type="application/octet-stream")
        upload(
            client,
            "gallery-b",
            "cold.jpg",
            b"j" * 20,
            content_type="image/jpeg",
            storage_class="NEARLINE",
        )
        upload(client, "gallery-b", "zipped.png", b"z" * 5, content_encoding="gzip")
        yield client


def test_lists_every_object_with_its_metadata(gallery: Any) -> None:
    records = {
        r.name: r for r in list_objects(gallery, "gallery-b", max_pages=10, timeout=5, retry=None)
    }
    assert set(records) == {*NAMES, "icon.svg", "cold.jpg", "zipped.png"}
    assert records["with space.png"].size == 10
    assert records["with space.png"].cache_control == "public, max-age=31536000"
    assert records["icon.svg"].content_type == "application/octet-stream"
    assert records["icon.svg"].cache_control is None
    assert records["cold.jpg"].storage_class == "NEARLINE"
    assert records["zipped.png"].content_encoding == "gzip"
    assert isinstance(records["plain.png"], ObjectRecord)


def page(names: list[str], token: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "storage#objects",
        "items": [{"name": n, "size": "100", "contentType": "image/png"} for n in names],
    }
    if token:
        body["nextPageToken"] = token
    return body


def listing(server: ScriptedServer, **kwargs: Any) -> tuple[list[ObjectRecord], ListingProgress]:
    progress = ListingProgress()
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        client = make_client("p")
        options: dict[str, Any] = {"max_pages": 100, "timeout": 5, "retry": None}
        options.update(kwargs)
        records = list(list_objects(client, "b-b", progress=progress, **options))
    return records, progress


def test_pages_ask_for_1000_objects_and_the_field_mask() -> None:
    server = ScriptedServer(
        [(200, page(["a", "b"], "t1")), (200, page(["c"], "t2")), (200, page(["d"]))]
    )
    records, progress = listing(server)
    assert [r.name for r in records] == ["a", "b", "c", "d"]
    assert progress.pages == 3
    first = parse_qs(urlsplit(server.requests[0].split(" ", 1)[1]).query)
    assert first["maxResults"] == ["1000"]
    assert first["fields"] == [FIELDS]
    assert first["projection"] == ["noAcl"]
    second = parse_qs(urlsplit(server.requests[1].split(" ", 1)[1]).query)
    assert second["pageToken"] == ["t1"]


def test_a_503_mid_listing_resumes_at_the_failed_page() -> None:
    unavailable = (503, gcs_error(503, "backend unavailable"))
    server = ScriptedServer([(200, page(["a"], "t1")), unavailable, (200, page(["b"]))])
    records, progress = listing(server)
    assert [r.name for r in records] == ["a", "b"]
    assert "pageToken=t1" in server.requests[2]
    assert progress.retries == 1


def test_repeated_failures_end_incomplete_after_n_objects() -> None:
    server = ScriptedServer([(200, page(["a", "b"], "t1")), (503, gcs_error(503, "unavailable"))])
    with pytest.raises(ListingError) as caught:
        listing(server)
    assert caught.value.kind == "incomplete"
    assert caught.value.objects == 2
    assert "incomplete after 2 objects" in str(caught.value)
    assert len(server.requests) == 4  # the first page, then three tries of the second


def test_a_rejected_page_token_is_bounded_too() -> None:
    bad_token = (400, gcs_error(400, "Invalid page token", "invalid"))
    server = ScriptedServer([(200, page(["a"], "t1")), bad_token])
    with pytest.raises(ListingError, match="incomplete after 1 objects"):
        listing(server)


def test_permission_denied_names_storage_objects_list() -> None:
    server = ScriptedServer([(403, gcs_error(403, "no access", "forbidden"))])
    with pytest.raises(ListingError) as caught:
        listing(server)
    assert caught.value.kind == "permission"
    assert "storage.objects.list" in str(caught.value)


def test_listing_stops_at_max_pages() -> None:
    server = ScriptedServer([(200, page(["a"], "t1")), (200, page(["b"], "t2"))])
    with pytest.raises(ListingError) as caught:
        listing(server, max_pages=1)
    assert caught.value.kind == "capped"
    assert len(server.requests) == 1


def test_client_retry_is_bounded_by_config() -> None:
    assert list_retry(0) is None
    assert list_retry(5) is not None
