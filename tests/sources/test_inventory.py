"""Storage Insights inventory reports, CSV and Parquet, as Cloud Storage writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costwatch.sources.inventory import InventoryError, InventoryReader

# The default metadata fields of `gcloud storage insights inventory-reports create`.
DEFAULT_COLUMNS = (
    "project,bucket,name,location,size,timeCreated,timeDeleted,updated,storageClass,etag,"
    "retentionExpirationTime,crc32c,md5Hash,generation,metageneration,contentType,"
    "contentEncoding,timeStorageClassUpdated"
)
NAMES = ["with space.png", "画像.webp", "hash#tag.png", "what?.png", "100%.png", 'quote".png']


def csv_row(name: str, size: int, storage_class: str = "STANDARD", deleted: str = "") -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    return (
        f"424242,gallery-b,{quoted},US-WEST1,{size},2026-11-01T00:00:00Z,{deleted},"
        f"2026-11-01T00:00:00Z,{storage_class},CAE=,,AAAAAA==,bWQ1,1,1,image/png,,"
        "2026-11-01T00:00:00Z"
    )


def write_csv(path: Path, rows: list[str], header: str = DEFAULT_COLUMNS) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_reads_default_csv_report_and_knows_it_lacks_cache_control(tmp_path: Path) -> None:
    rows = [csv_row(n, 10 + i) for i, n in enumerate(NAMES)]
    rows.append(csv_row("old.png", 5, deleted="2026-11-02T00:00:00Z"))
    reader = InventoryReader(str(write_csv(tmp_path / "r.csv", rows)))
    read = list(reader.rows())
    assert [r.record.name for r in read] == NAMES
    assert {r.bucket for r in read} == {"gallery-b"}
    assert read[0].record.size == 10
    assert read[0].record.storage_class == "STANDARD"
    assert reader.header is not None
    assert "cache_control" not in reader.header.fields
    assert {"size", "content_type", "storage_class", "content_encoding"} <= reader.header.fields


def test_missing_name_or_size_column_is_one_line_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["a.png,image/png"], header="name,contentType")
    with pytest.raises(InventoryError, match="lacks the size column"):
        list(InventoryReader(str(path)).rows())


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n\x00\x00binary", b"", b"\xff\xfe\x00garbage"]
)
def test_not_csv_or_parquet(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "r.bin"
    path.write_bytes(content)
    with pytest.raises(InventoryError, match="neither a CSV nor a Parquet"):
        list(InventoryReader(str(path)).rows())


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="not found"):
        list(InventoryReader(str(tmp_path / "nope.csv")).rows())


def test_bad_size_names_the_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ["a.png,12"], header="name,size")
    path.write_text("name,size\na.png,12\nb.png,twelve\n")
    with pytest.raises(InventoryError, match=r"r.csv:3: size 'twelve'"):
        list(InventoryReader(str(path)).rows())


def test_semicolon_delimiter_and_cache_control_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("name;size;cacheControl\na.png;3;public, max-age=60\n", encoding="utf-8")
    reader = InventoryReader(str(path))
    (row,) = list(reader.rows())
    assert row.record.cache_control == "public, max-age=60"
    assert row.bucket is None


def test_parquet_report(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "bucket": ["gallery-b"] * len(NAMES),
            "name": NAMES,
            "size": list(range(len(NAMES))),
            "contentType": ["image/png"] * len(NAMES),
            "storageClass": ["NEARLINE"] + ["STANDARD"] * (len(NAMES) - 1),
            "timeDeleted": [None] * len(NAMES),
        }
    )
    path = tmp_path / "report.parquet"
    pq.write_table(table, path)
    reader = InventoryReader(str(path))
    read = list(reader.rows())
    assert [r.record.name for r in read] == NAMES
    assert read[0].record.storage_class == "NEARLINE"
    assert reader.header is not None and "content_encoding" not in reader.header.fields


@given(
    st.lists(
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
            min_size=1,
            max_size=40,
        ),
        min_size=1,
        max_size=20,
        unique=True,
    )
)
@settings(max_examples=60, deadline=None)
def test_any_object_name_round_trips_through_a_csv_report(names: list[str]) -> None:
    import csv
    import io
    import tempfile

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["bucket", "name", "size"])
    for index, name in enumerate(names):
        writer.writerow(["gallery-b", name, index])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        read = [row.record.name for row in InventoryReader(str(path)).rows()]
    assert read == names
