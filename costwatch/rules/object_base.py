"""What object rules share: the context, the base classes, and the streaming tally.

Object rules judge one object at a time (:meth:`ObjectRule.matches`, pure) and then report
once per bucket on the tally of what matched (:meth:`ObjectRule.check`), so a bucket of a
million objects costs a few counters and the largest examples, never the list.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from costwatch.config import Prices
from costwatch.findings import Severity
from costwatch.objects_model import ObjectRecord, extension
from costwatch.rules.base import Rule

#: How many of the largest matching objects a finding names.
EXAMPLES = 5
#: Distinct extensions a tally keeps (the fix command names them); more are counted as one.
MAX_EXTENSIONS = 32

IMAGE_EXTENSIONS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".bmp", ".ico", ".tif", ".tiff"}
    | {".heic", ".heif", ".jxl"}
)
#: Formats that are compressed already: gzip gains nothing on them.
COMPRESSED_IMAGES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".heic", ".heif", ".jxl"}
)
GIB = 1024**3


@dataclass(frozen=True)
class ObjectContext:
    """The bucket being judged, its intent, and the thresholds from config."""

    bucket: str
    public: bool = True
    max_image_bytes: int = 1024 * 1024
    prices: Prices = field(default_factory=Prices)
    #: Record fields the source knows for every object (a listing knows them all).
    fields: frozenset[str] = frozenset()
    #: A local build folder (``objects --local``): the bucket's settings do not apply yet.
    local: bool = False

    @property
    def resource(self) -> str:
        return self.bucket if self.local else f"gs://{self.bucket}"


@dataclass
class Tally:
    """What one rule matched in one bucket at one severity: counts, bytes, largest examples."""

    count: int = 0
    bytes: int = 0
    largest: list[tuple[int, str]] = field(default_factory=list)
    extensions: Counter[str] = field(default_factory=Counter)

    def add(self, record: ObjectRecord) -> None:
        size = record.size or 0
        self.count += 1
        self.bytes += size
        entry = (size, record.name)
        if len(self.largest) < EXAMPLES:
            heapq.heappush(self.largest, entry)
        elif entry > self.largest[0]:
            heapq.heapreplace(self.largest, entry)
        ext = extension(record.name) or "(none)"
        if ext in self.extensions or len(self.extensions) < MAX_EXTENSIONS:
            self.extensions[ext] += 1
        else:
            self.extensions["(other)"] += 1

    def examples(self) -> list[tuple[int, str]]:
        return sorted(self.largest, reverse=True)


class ObjectRule(Rule[Tally, ObjectContext]):
    """A rule about objects: ``matches`` judges one object, ``check`` reports the tally.

    ``needs`` names the record fields the rule reads; when the source does not know one (an
    inventory report without that column) the rule is reported as not checked.
    ``remote_only`` rules judge settings a local build folder does not have yet.
    """

    family = "objects"
    needs: ClassVar[frozenset[str]] = frozenset()
    remote_only: ClassVar[bool] = False

    def matches(self, record: ObjectRecord, context: ObjectContext) -> Severity | None:
        raise NotImplementedError
