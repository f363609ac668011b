"""Baselines: accept today's findings, catch tomorrow's.

Entries are keyed on content (rule, file, redacted URL) with a count, never on line numbers:
moving code does not resurrect an accepted finding, and a second copy of an accepted link, or a
new bad link on an old line, is still reported. The file never holds a secret: URLs in it are
redacted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from costwatch.errors import CostwatchError
from costwatch.findings import Finding
from costwatch.fsio import atomic_write_text

BASELINE_VERSION = 1

Key = tuple[str, str, str]


def _key(finding: Finding) -> Key:
    return (finding.rule_id, finding.path or finding.resource, finding.key)


@dataclass(frozen=True)
class BaselineResult:
    """Findings still reported, how many the baseline accepted, and entries matching nothing."""

    findings: tuple[Finding, ...]
    accepted: int
    stale: tuple[dict[str, Any], ...]


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    counts = Counter(_key(f) for f in findings)
    entries = [
        {"rule_id": rule, "path": where, "url": key, "count": n}
        for (rule, where, key), n in sorted(counts.items())
    ]
    payload = {"schema_version": BASELINE_VERSION, "tool": "costwatch", "entries": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A failed write (full disk, killed run) leaves the committed baseline as it was.
        atomic_write_text(path, json.dumps(payload, indent=2) + "\n")
    except OSError as exc:
        raise CostwatchError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(entries)


def read_baseline(path: Path) -> Counter[Key]:
    """The accepted findings in a baseline file, by key, with their counts.

    A file without ``schema_version`` is read as version 1 (the only version so far); a newer
    version is refused with a message rather than misread.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CostwatchError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CostwatchError(f"baseline {path} is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise CostwatchError(f"baseline {path} is nested too deeply to be a baseline") from exc
    version = data.get("schema_version", BASELINE_VERSION) if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > BASELINE_VERSION:
        raise CostwatchError(
            f"baseline {path} has schema_version {version}, newer than this costwatch reads "
            f"({BASELINE_VERSION}); upgrade costwatch"
        )
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CostwatchError(
            f"baseline {path} has no 'entries' list; write it with --write-baseline"
        )
    counts: Counter[Key] = Counter()
    for entry in entries:
        try:
            key = (str(entry["rule_id"]), str(entry["path"]), str(entry["url"]))
            count = entry.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(count)
            counts[key] += count
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            shown = " ".join(repr(entry).split())[:200]
            raise CostwatchError(f"baseline {path} has a malformed entry: {shown}") from exc
    return counts


def apply_baseline(findings: Iterable[Finding], baseline: Counter[Key]) -> BaselineResult:
    remaining = Counter(baseline)
    kept: list[Finding] = []
    accepted = 0
    for finding in findings:
        key = _key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
            accepted += 1
        else:
            kept.append(finding)
    stale = tuple(
        {"rule_id": rule, "path": where, "url": url, "unmatched": n}
        for (rule, where, url), n in sorted(remaining.items())
        if n > 0 and n == baseline[(rule, where, url)]
    )
    return BaselineResult(tuple(kept), accepted, stale)
