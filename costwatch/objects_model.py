"""The objects' neutral model: an object as any source describes it, the links that name
objects, stored bytes by type, and the ``objects`` report section."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from costwatch.report import register_section


def extension(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


@dataclass(frozen=True, slots=True)
class ObjectRecord:
    """One live object as a listing or an inventory report describes it.

    A field is None when the object has no such metadata, or (for an inventory report
    without that column) when it is unknown: the source's known fields say which.
    """

    name: str
    size: int | None = None
    content_type: str | None = None
    cache_control: str | None = None
    content_encoding: str | None = None
    storage_class: str | None = None
    updated: str | None = None


@dataclass
class ListingProgress:
    """How far a listing got; ``pages`` is also the Class A operations spent."""

    objects: int = 0
    pages: int = 0
    retries: int = 0


@dataclass(frozen=True)
class StoredBytes:
    """A bucket's latest stored bytes by type, from Monitoring (None: no data)."""

    bucket: str
    live: float | None
    noncurrent: float | None
    soft_deleted: float | None


@dataclass(frozen=True)
class ObjectLink:
    """A site link to an object of an audited bucket: where it is, and the decoded name."""

    path: str
    line: int
    bucket: str
    name: str
    url: str


@dataclass(frozen=True)
class BucketObjects:
    """One bucket (or local build folder) as the objects run read it.

    ``complete`` is False when the listing stopped early: every figure is then a lower bound
    ("after N objects"), never the bucket's total. ``list_pages`` is the Class A operations
    the listing spent (None for an inventory report or a local folder).
    """

    name: str
    source: str
    complete: bool
    objects: int
    bytes: int
    bytes_by_class: tuple[tuple[str, int], ...] = ()
    list_pages: int | None = None
    estimated_list_pages: int | None = None
    class_a_share_percent: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "complete": self.complete,
            "objects": self.objects,
            "bytes": self.bytes,
            "bytes_by_class": dict(self.bytes_by_class),
            "list_pages": self.list_pages,
            "estimated_list_pages": self.estimated_list_pages,
            "class_a_share_percent": self.class_a_share_percent,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BucketObjects:
        return cls(
            str(data["name"]),
            str(data["source"]),
            bool(data["complete"]),
            int(data["objects"]),
            int(data["bytes"]),
            tuple((str(k), int(v)) for k, v in (data.get("bytes_by_class") or {}).items()),
            data.get("list_pages"),
            data.get("estimated_list_pages"),
            data.get("class_a_share_percent"),
        )


@register_section
@dataclass(frozen=True)
class ObjectsSection:
    """Every bucket read, the Monitoring queries it took, and notes (estimates, caveats)."""

    buckets: tuple[BucketObjects, ...]
    notes: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    monitoring_queries: int = 0
    key: ClassVar[str] = "objects"

    def to_json(self) -> dict[str, Any]:
        return {
            "buckets": [b.to_json() for b in self.buckets],
            "monitoring_queries": self.monitoring_queries,
            "notes": list(self.notes),
            "not_applicable": list(self.not_applicable),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ObjectsSection:
        return cls(
            tuple(BucketObjects.from_json(b) for b in data.get("buckets", ())),
            tuple(data.get("notes", ())),
            tuple(data.get("not_applicable", ())),
            int(data.get("monitoring_queries", 0)),
        )
