"""The sizes cache that lets audit show capacity: round trip, versions, damage."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from costwatch.objects_cache import ObjectsCache, cache_path, read_cache, write_cache

MOMENT = datetime(2026, 11, 27, 12, tzinfo=UTC)


def test_round_trip(tmp_path: Path) -> None:
    path = cache_path(tmp_path / "costwatch.toml")
    assert path == tmp_path / ".costwatch" / "objects-cache.json"
    cache = ObjectsCache(MOMENT, {"b-b": {"画像 #1?.png": 10, "a.png": 5}})
    write_cache(path, cache)
    assert read_cache(path) == cache
    assert json.loads(path.read_text())["schema_version"] == 1
    assert cache_path(None) is None


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"schema_version": 2, "read_at": "2026-11-27T12:00:00Z", "buckets": {}}',
        '{"schema_version": 1, "read_at": "yesterday", "buckets": {}}',
        '{"schema_version": 1, "read_at": "2026-11-27T12:00:00Z", "buckets": {"b": {"a": "x"}}}',
    ],
)
def test_a_cache_this_version_cannot_read_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "objects-cache.json"
    path.write_text(content)
    assert read_cache(path) is None


def test_missing_cache(tmp_path: Path) -> None:
    assert read_cache(tmp_path / "none.json") is None
