"""Read a Storage Insights inventory report (CSV or Parquet), streaming, instead of listing.

A report is written by Cloud Storage itself on a schedule (``gcloud storage insights
inventory-reports create``): reading it costs no ``objects.list`` Class A operations, which a
big bucket's daily listing would exhaust. Its columns are the metadata field names the
report configuration chose (default ``project,bucket,name,location,size,timeCreated,
timeDeleted,updated,storageClass,etag,retentionExpirationTime,crc32c,md5Hash,generation,
metageneration,contentType,contentEncoding,timeStorageClassUpdated``; note: no
``cacheControl``). A column the report lacks is unknown for every object, so the rule that
needs it is "not checked", never passed.

Parquet needs ``pyarrow`` (``pip install 'costwatch[parquet]'``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from costwatch.errors import CostwatchError
from costwatch.objects_model import ObjectRecord

#: Report column -> ObjectRecord field.
COLUMNS = {
    "size": "size",
    "contentType": "content_type",
    "cacheControl": "cache_control",
    "contentEncoding": "content_encoding",
    "storageClass": "storage_class",
    "updated": "updated",
}
REQUIRED = ("name", "size")
_PARQUET_MAGIC = b"PAR1"
_DELIMITERS = (",", "\t", ";", "|")
_BATCH_ROWS = 10_000


class InventoryError(CostwatchError):
    """The inventory report cannot be read: one line saying why."""


@dataclass(frozen=True)
class InventoryRow:
    """One object of the report, and the bucket it names (None when no ``bucket`` column)."""

    bucket: str | None
    record: ObjectRecord


@dataclass(frozen=True)
class InventoryHeader:
    """The report's shape: which record fields it knows."""

    fields: frozenset[str]
    has_bucket: bool


def known_fields(columns: list[str]) -> InventoryHeader:
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InventoryError(
            f"the inventory report lacks the {' and '.join(missing)} column"
            f"{'s' if len(missing) > 1 else ''} (columns: {', '.join(columns[:12]) or 'none'})"
        )
    return InventoryHeader(
        frozenset(field for column, field in COLUMNS.items() if column in columns),
        "bucket" in columns,
    )


def _value(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    text = str(value)
    return text if text != "" else None


def _record(row: Mapping[str, Any], where: str) -> ObjectRecord | None:
    if _value(row, "timeDeleted"):
        return None  # a soft-deleted or noncurrent entry, not a live object
    size_text = _value(row, "size")
    try:
        size = int(float(size_text)) if size_text is not None else None
    except ValueError:
        raise InventoryError(f"{where}: size {size_text!r} is not a number") from None
    return ObjectRecord(
        name=str(row.get("name") or ""),
        size=size,
        content_type=_value(row, "contentType"),
        cache_control=_value(row, "cacheControl"),
        content_encoding=_value(row, "contentEncoding"),
        storage_class=_value(row, "storageClass"),
        updated=_value(row, "updated"),
    )


class InventoryReader:
    """One report file (or several shards) read row by row; :attr:`header` after opening."""

    def __init__(self, source: str, client_factory: Any = None) -> None:
        self.source = source
        self._client_factory = client_factory
        self.header: InventoryHeader | None = None

    def rows(self) -> Iterator[InventoryRow]:
        for name, handle in self._open():
            with handle:
                head = handle.read(4)
                handle.seek(0)
                if head == _PARQUET_MAGIC:
                    yield from self._parquet(name, handle)
                else:
                    yield from self._csv(name, handle)

    def _open(self) -> Iterator[tuple[str, IO[bytes]]]:
        if self.source.startswith("gs://"):
            yield from _open_gcs(self.source, self._client_factory)
            return
        path = Path(self.source)
        if not path.is_file():
            raise InventoryError(f"inventory report {self.source} not found")
        try:
            yield self.source, path.open("rb")
        except OSError as exc:
            raise InventoryError(f"cannot read {self.source}: {exc.strerror or exc}") from exc

    def _check_header(self, columns: list[str]) -> InventoryHeader:
        header = known_fields(columns)
        if self.header is not None and header != self.header:
            raise InventoryError(f"{self.source}: the report's shards have different columns")
        self.header = header
        return header

    def _csv(self, name: str, handle: IO[bytes]) -> Iterator[InventoryRow]:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            first = text.readline()
        except UnicodeDecodeError:
            first = "\x00"
        if "\x00" in first or not first.strip():
            raise InventoryError(f"{name} is neither a CSV nor a Parquet inventory report")
        delimiter = max(_DELIMITERS, key=first.count)
        columns = next(csv.reader([first], delimiter=delimiter))
        header = self._check_header([c.strip() for c in columns])
        reader = csv.DictReader(text, fieldnames=[c.strip() for c in columns], delimiter=delimiter)
        line = 1
        try:
            for row in reader:
                line += 1
                record = _record(row, f"{name}:{line}")
                if record is not None and record.name:
                    yield InventoryRow(_value(row, "bucket") if header.has_bucket else None, record)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InventoryError(f"{name}:{line}: not a readable CSV row ({exc})") from None

    def _parquet(self, name: str, handle: IO[bytes]) -> Iterator[InventoryRow]:
        try:
            import pyarrow.parquet as pq  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError:
            raise InventoryError(
                f"{name} is a Parquet report: reading it needs pyarrow "
                "(pip install 'costwatch[parquet]')"
            ) from None
        try:
            parquet = pq.ParquetFile(handle)
            columns = list(parquet.schema_arrow.names)
        except Exception as exc:  # pyarrow raises its own ArrowInvalid and OSError kinds
            raise InventoryError(f"{name}: not a readable Parquet file ({exc})") from None
        header = self._check_header(columns)
        wanted = [c for c in columns if c in (*REQUIRED, "bucket", "timeDeleted", *COLUMNS)]
        for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=wanted):
            for row in batch.to_pylist():
                record = _record(row, name)
                if record is not None and record.name:
                    yield InventoryRow(_value(row, "bucket") if header.has_bucket else None, record)


def _open_gcs(uri: str, client_factory: Any) -> Iterator[tuple[str, IO[bytes]]]:
    """One object, or every object under a ``gs://B/prefix/`` (the report's shards)."""
    from google.api_core import exceptions as gexc

    bucket_name, _, name = uri[5:].partition("/")
    client = client_factory()
    try:
        if not name or name.endswith("/"):
            shards = sorted(
                (b.name for b in client.list_blobs(bucket_name, prefix=name or None)),
            )
            shards = [s for s in shards if not s.endswith("/")]
            if not shards:
                raise InventoryError(f"no inventory report objects under {uri}")
        else:
            shards = [name]
        for shard in shards:
            blob = client.bucket(bucket_name).blob(shard)
            yield f"gs://{bucket_name}/{shard}", blob.open("rb")
    except gexc.GoogleAPIError as exc:
        raise storage_error(exc, uri) from None


def storage_error(exc: Exception, uri: str) -> InventoryError:
    """One line for a Cloud Storage failure while reading a report (opening it, or reading on)."""
    from google.api_core import exceptions as gexc

    if isinstance(exc, gexc.NotFound):
        return InventoryError(f"inventory report {uri} not found")
    if isinstance(exc, gexc.Forbidden):
        return InventoryError(
            f"permission denied reading {uri}: the caller needs storage.objects.get"
        )
    text = " ".join(str(exc).split())[:200]
    return InventoryError(f"cannot read {uri}: {type(exc).__name__}: {text}")
