"""The sizes an ``objects`` run saw, kept so ``audit`` can show capacity without listing.

Only the objects the site links are kept (the capacity model needs nothing else), so the file
stays as small as the site. It carries a schema version and is written atomically; a file
that cannot be read is ignored, never trusted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.fsio import atomic_write_text
from costwatch.units import iso, parse_iso

SCHEMA_VERSION = 1
CACHE_NAME = Path(".costwatch") / "objects-cache.json"


@dataclass(frozen=True)
class ObjectsCache:
    """When the objects were read, and the size of each linked object, by bucket."""

    read_at: datetime
    sizes: Mapping[str, Mapping[str, int]]


def cache_path(config_source: Path | None) -> Path | None:
    """Next to the config file; no config, no cache."""
    return None if config_source is None else config_source.parent / CACHE_NAME


def write_cache(path: Path, cache: ObjectsCache) -> None:
    document = {
        "schema_version": SCHEMA_VERSION,
        "read_at": iso(cache.read_at),
        "buckets": {b: dict(sorted(s.items())) for b, s in sorted(cache.sizes.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def read_cache(path: Path) -> ObjectsCache | None:
    """The cache, or None when there is none or it is not one this version reads."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        return None
    try:
        buckets = data["buckets"]
        sizes = {
            str(bucket): {str(name): int(size) for name, size in objects.items()}
            for bucket, objects in buckets.items()
        }
        return ObjectsCache(parse_iso(data["read_at"]), sizes)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
