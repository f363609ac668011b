"""The report section of the pre-deploy check: what it read and what it judged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from costwatch.report import register_section


@dataclass(frozen=True)
class CheckedBucket:
    """One bucket as a file describes it: where, from what kind of source, and its location
    (with "omitted; ..." where it is the documented default, "unknown (...)" where unresolved)."""

    bucket: str
    where: str
    source: str
    location: str


@register_section
@dataclass(frozen=True)
class CheckSection:
    """Files read by kind, buckets judged, grants seen, suppressions and the baseline."""

    files_read: Mapping[str, int] = field(default_factory=dict)
    buckets: tuple[CheckedBucket, ...] = ()
    grants: int = 0
    suppressed_inline: int = 0
    stale_suppressions: tuple[Mapping[str, Any], ...] = ()
    baseline: Mapping[str, Any] | None = None
    key: ClassVar[str] = "check"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "files_read": dict(self.files_read),
            "buckets": [
                {"bucket": b.bucket, "where": b.where, "source": b.source, "location": b.location}
                for b in self.buckets
            ],
            "grants": self.grants,
            "suppressed_inline": self.suppressed_inline,
            "stale_suppressions": [dict(s) for s in self.stale_suppressions],
        }
        if self.baseline is not None:
            out["baseline"] = dict(self.baseline)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckSection:
        return cls(
            files_read={str(k): int(v) for k, v in (data.get("files_read") or {}).items()},
            buckets=tuple(
                CheckedBucket(
                    str(b["bucket"]), str(b["where"]), str(b["source"]), str(b["location"])
                )
                for b in data.get("buckets") or ()
            ),
            grants=int(data.get("grants", 0)),
            suppressed_inline=int(data.get("suppressed_inline", 0)),
            stale_suppressions=tuple(data.get("stale_suppressions") or ()),
            baseline=data.get("baseline"),
        )
