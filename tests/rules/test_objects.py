"""Object rules: per-object pass/fail tables and the findings they report per bucket."""

from __future__ import annotations

import pytest

from costwatch.findings import Severity
from costwatch.objects_model import ObjectLink, ObjectRecord, StoredBytes
from costwatch.rules.object_base import ObjectContext, Tally
from costwatch.rules.objects import (
    GzipOnCompressedImage,
    HiddenBytes,
    HiddenBytesContext,
    MissingLinkedObject,
    MissingObjects,
    ObjectClassNotStandard,
    OversizedImage,
    ShortBrowserCache,
    UnlinkedObjects,
    UnlinkedTally,
    WrongImageType,
    max_age,
)

CTX = ObjectContext("gallery-b", public=True, max_image_bytes=1024 * 1024)
PRIVATE = ObjectContext("gallery-b", public=False)


@pytest.mark.parametrize(
    ("record", "context", "expected"),
    [
        (ObjectRecord("a.png", 10), CTX, Severity.WARNING),  # default public, max-age=3600
        (ObjectRecord("a.png", 10, cache_control="public, max-age=31536000"), CTX, None),
        (ObjectRecord("a.png", 10, cache_control="public, max-age=86400"), CTX, None),
        (ObjectRecord("a.png", 10, cache_control="public, max-age=600"), CTX, Severity.WARNING),
        (
            ObjectRecord("a.png", 10, cache_control="no-cache, max-age=31536000"),
            CTX,
            Severity.WARNING,
        ),
        (ObjectRecord("a.png", 10, cache_control="private"), CTX, Severity.WARNING),
        (ObjectRecord("index.html", 10), CTX, None),
        (ObjectRecord("page", 10, content_type="text/html; charset=utf-8"), CTX, None),
        (ObjectRecord("a.png", 10), PRIVATE, None),
    ],
)
def test_cw401_short_browser_cache(
    record: ObjectRecord, context: ObjectContext, expected: Severity | None
) -> None:
    assert ShortBrowserCache().matches(record, context) == expected


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (ObjectRecord("logo.svg", content_type="image/svg+xml"), None),
        (ObjectRecord("logo.SVG", content_type="image/svg+xml; charset=utf-8"), None),
        (ObjectRecord("logo.svg", content_type="application/octet-stream"), Severity.ERROR),
        (ObjectRecord("logo.svg", content_type="text/plain"), Severity.ERROR),
        (ObjectRecord("logo.svg"), Severity.ERROR),
        (ObjectRecord("art.png", content_type="application/octet-stream"), Severity.WARNING),
        (ObjectRecord("art.webp", content_type="image/webp"), None),
        (ObjectRecord("notes.txt", content_type="application/octet-stream"), None),
    ],
)
def test_cw402_wrong_image_type(record: ObjectRecord, expected: Severity | None) -> None:
    assert WrongImageType().matches(record, CTX) == expected


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (ObjectRecord("big.png", 1024 * 1024 + 1), Severity.WARNING),
        (ObjectRecord("ok.png", 1024 * 1024), None),
        (ObjectRecord("video.mp4", 50 * 1024 * 1024), None),
        (ObjectRecord("unknown.png", None), None),
    ],
)
def test_cw403_oversized_image(record: ObjectRecord, expected: Severity | None) -> None:
    assert OversizedImage().matches(record, CTX) == expected


@pytest.mark.parametrize(
    ("storage_class", "expected"),
    [("STANDARD", None), (None, None), ("NEARLINE", Severity.ERROR), ("archive", Severity.ERROR)],
)
def test_cw404_object_class(storage_class: str | None, expected: Severity | None) -> None:
    assert (
        ObjectClassNotStandard().matches(ObjectRecord("a.png", storage_class=storage_class), CTX)
        == expected
    )


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (ObjectRecord("a.jpg", content_encoding="gzip"), Severity.NOTE),
        (ObjectRecord("a.svg", content_encoding="gzip"), None),
        (ObjectRecord("a.jpg"), None),
    ],
)
def test_cw405_gzip_on_compressed_image(record: ObjectRecord, expected: Severity | None) -> None:
    assert GzipOnCompressedImage().matches(record, CTX) == expected


def test_max_age_parsing() -> None:
    assert max_age("public, max-age=3600") == 3600
    assert max_age('max-age="60"') == 60
    assert max_age("public") is None
    assert max_age("no-store") == 0


def tally(*records: ObjectRecord) -> Tally:
    out = Tally()
    for record in records:
        out.add(record)
    return out


def test_tally_keeps_only_the_largest_examples() -> None:
    result = tally(*(ObjectRecord(f"{n}.png", n) for n in range(100)))
    assert result.count == 100
    assert result.bytes == sum(range(100))
    assert [name for _, name in result.examples()] == [
        "99.png",
        "98.png",
        "97.png",
        "96.png",
        "95.png",
    ]


def test_cw403_reports_cost_per_view_and_per_1000_views() -> None:
    six_mb = 6 * 1024 * 1024
    (finding,) = OversizedImage().check(tally(ObjectRecord("hero.png", six_mb)), CTX)
    assert finding.resource == "gs://gallery-b"
    assert "hero.png (6.0 MiB)" in finding.message
    # 6 MiB at $0.12/GiB: $0.0007 a view, $0.70 per 1,000 views
    assert "$0.0007" in finding.message
    assert "$0.70 per 1,000 views" in finding.message


def test_cw401_fix_names_one_extension_pattern() -> None:
    (finding,) = ShortBrowserCache().check(
        tally(ObjectRecord("a.png", 1), ObjectRecord("b.png", 2)), CTX
    )
    assert finding.fix is not None
    assert "gcloud storage objects update gs://gallery-b/**.png" in finding.fix.text
    assert "public, max-age=3600" in finding.message


def test_cw402_svg_error_and_octet_stream_warning_are_separate() -> None:
    rule = WrongImageType()
    (svg,) = rule.check(tally(ObjectRecord("a.svg")), CTX)
    assert svg.severity is Severity.ERROR and "image/svg+xml" in svg.message
    (png,) = rule.check(tally(ObjectRecord("a.png")), CTX)
    assert png.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("stored", "findings"),
    [
        (StoredBytes("b-b", 100.0, 10.0, 5.0), []),
        (StoredBytes("b-b", 100.0, 30.0, None), ["noncurrent"]),
        (StoredBytes("b-b", 100.0, None, 25.0), ["soft-deleted"]),
        (StoredBytes("b-b", 0.0, None, 5.0), ["soft-deleted"]),
        (StoredBytes("b-b", None, None, None), []),
    ],
)
def test_cw406_hidden_bytes(stored: StoredBytes, findings: list[str]) -> None:
    found = list(HiddenBytes().check(stored, HiddenBytesContext(20.0)))
    assert [f.key for f in found] == findings


def test_cw407_points_at_the_link() -> None:
    link = ObjectLink(
        "src/Gallery.jsx",
        12,
        "b-b",
        "art/missing one.png",
        "https://storage.googleapis.com/b-b/art/missing%20one.png",
    )
    (finding,) = MissingLinkedObject().check(MissingObjects((link,)), None)
    assert (finding.path, finding.line) == ("src/Gallery.jsx", 12)
    assert "'art/missing one.png'" in finding.message


def test_cw408_only_when_something_is_unlinked() -> None:
    assert list(UnlinkedObjects().check(UnlinkedTally("b-b", 0, 0, ()), None)) == []
    (finding,) = UnlinkedObjects().check(UnlinkedTally("b-b", 3, 3000, ((2000, "old.png"),)), None)
    assert "3 objects" in finding.message and "old.png" in finding.message
