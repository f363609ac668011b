"""The one report object every output format renders."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch import __version__
from costwatch.config import FREE_REGIONS
from costwatch.findings import FailOn, Finding, Incomplete, sort_findings
from costwatch.sources.base import BucketSnapshot

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class BucketSummary:
    """One audited bucket as the report lists it."""

    name: str
    location: str
    location_type: str
    storage_class: str
    public: bool

    @property
    def free_tier_eligible(self) -> bool:
        return (
            self.location_type == "region"
            and self.location in FREE_REGIONS
            and self.storage_class == "STANDARD"
        )

    @classmethod
    def of(cls, snapshot: BucketSnapshot, public: bool) -> BucketSummary:
        return cls(
            snapshot.name,
            snapshot.location,
            snapshot.location_type,
            snapshot.storage_class,
            public,
        )


@dataclass(frozen=True)
class Report:
    """What a run found, what it could not check, and the sections it produced.

    ``sections`` holds extra, format-neutral sections keyed by name (for example ``usage`` or
    ``links``); each value is plain JSON-ready data so every format can render it.
    """

    command: str
    generated_at: datetime
    findings: tuple[Finding, ...] = ()
    incomplete: tuple[Incomplete, ...] = ()
    buckets: tuple[BucketSummary, ...] = ()
    sections: dict[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    config_lines: dict[str, int] = field(default_factory=dict)
    rules: tuple[str, ...] = ()
    version: str = __version__

    @classmethod
    def build(
        cls,
        command: str,
        generated_at: datetime,
        findings: Iterable[Finding],
        incomplete: Iterable[Incomplete] = (),
        **kwargs: Any,
    ) -> Report:
        return cls(
            command,
            generated_at,
            tuple(sort_findings(list(findings))),
            tuple(incomplete),
            **kwargs,
        )

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "note": 0}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def exit_code(self, fail_on: FailOn) -> int:
        """2 when anything could not be checked, 1 when a finding trips ``fail_on``, else 0."""
        if any(item.blocking for item in self.incomplete):
            return 2
        if any(fail_on.trips(f.severity) for f in self.findings):
            return 1
        return 0


def relative_uri(path: Path | None) -> str | None:
    """``path`` relative to the working folder with forward slashes, for SARIF and reports."""
    if path is None:
        return None
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()
