"""A cache of parsed ``.tf`` files, keyed by content, so repeated checks skip the parser.

python-hcl2 builds a full parse tree in pure Python (about 3 ms per file); a pre-commit hook
or a developer re-running ``check`` sees mostly unchanged files. Entries are keyed by the
SHA-256 of the file's bytes and the parser's version, so an edit or an upgrade is a miss, never
a stale answer. The file lives in the user's cache folder (``$XDG_CACHE_HOME/costwatch``, or
``~/.cache/costwatch``), never in the repository; ``COSTWATCH_NO_CACHE=1`` turns it off.
Anything unreadable in it is ignored: the cache can only save time, not change a result.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MAX_ENTRIES = 20_000


def cache_file() -> Path | None:
    if os.environ.get("COSTWATCH_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "costwatch" / "terraform-blocks.json"


def parser_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("python-hcl2")
    except PackageNotFoundError:
        return "unknown"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: Path | None, parser: str) -> dict[str, Any]:
    """Entries by content digest; empty when there is no usable cache."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        return {}
    if data.get("parser") != parser or not isinstance(data.get("entries"), dict):
        return {}
    entries: dict[str, Any] = data["entries"]
    return entries


def save(path: Path | None, parser: str, entries: Mapping[str, Any]) -> None:
    """Write the entries used by this run (older ones are dropped, so the file stays small)."""
    if path is None:
        return
    from costwatch.fsio import atomic_write_text

    payload = {
        "schema_version": SCHEMA_VERSION,
        "parser": parser,
        "entries": dict(list(entries.items())[:MAX_ENTRIES]),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(payload, separators=(",", ":")))
    except OSError:
        pass  # a read-only home or a full disk only costs the next run some time
