"""An objects report (both sections, object findings) through every format, against golden files.

Set COSTWATCH_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from costwatch.capacity import PageObject, budget_of, build_capacity, observed
from costwatch.config import Allowance, Prices
from costwatch.findings import Fix, Incomplete, IncompleteKind, Severity
from costwatch.formats.base import OutputFormat, render
from costwatch.objects_model import BucketObjects, ObjectsSection
from costwatch.report import Finding, Report, build_report, report_from_json

GOLDEN = Path(__file__).parent / "golden"
MOMENT = datetime(2026, 11, 20, 12, tzinfo=UTC)
GIB = 1024**3


def objects_report() -> Report:
    budget = budget_of(
        Allowance(), used_egress_bytes=40 * GIB, used_class_b_ops=20_000, fresh_month=False
    )
    gallery = [PageObject("gallery-b", f"thumbs/{n}.jpg", 40_000) for n in range(24)]
    gallery.append(PageObject("gallery-b", "art/moth queen.png", 3_400_000))
    about = [PageObject("gallery-b", "logo.svg", 2_600), PageObject("gallery-b", "gone.webp", None)]
    capacity = build_capacity(
        {"gallery": gallery, "about": about},
        budget,
        Prices(),
        0.0,
        observed(sent_bytes=650_000 * 30_000, read_requests=30_000, budget=budget),
    )
    section = ObjectsSection(
        (
            BucketObjects(
                "gallery-b",
                "listing",
                True,
                1_204,
                380_000_000,
                (("STANDARD", 379_000_000), ("NEARLINE", 1_000_000)),
                2,
                2,
                0.04,
            ),
            BucketObjects(
                "big-b",
                "listing",
                False,
                52_000,
                9_100_000_000,
                (("STANDARD", 9_100_000_000),),
                52,
                60,
                1.04,
            ),
        ),
        notes=(
            "listing gs://gallery-b: about 2 objects.list pages = 2 Class A operations, 0.04% of the month's 5,000 free",
        ),
        monitoring_queries=4,
    )
    findings = [
        Finding("CW402", Severity.ERROR, "gs://gallery-b", "1 SVG file not served as image/svg+xml: browsers never sniff SVG, so they show as broken images; e.g. logo.svg (2.5 KiB)", key="svg", fix=Fix(text="`gcloud storage objects update gs://gallery-b/**.svg --content-type=image/svg+xml`")),
        Finding("CW407", Severity.ERROR, "site/src/data/artworks.json", "gs://gallery-b has no object 'gone.webp' (linked as https://storage.googleapis.com/gallery-b/gone.webp): a broken image", key="gallery-b/gone.webp", path="site/src/data/artworks.json", line=14, fix=Fix(text="upload it (`gcloud storage cp FILE 'gs://gallery-b/gone.webp'`) or correct the link")),
        Finding("CW403", Severity.WARNING, "gs://gallery-b", "1 image over 1,024 KiB (3.2 MiB); largest: art/moth queen.png (3.2 MiB)", key="oversized"),
    ]  # fmt: skip
    incomplete = [
        Incomplete("objects", "gs://big-b", "gs://big-b: listing incomplete after 52,000 objects (52 pages): ServiceUnavailable: 503 GET .../b/big-b/o: backend unavailable", kind=IncompleteKind.UNAVAILABLE),
    ]  # fmt: skip
    return build_report(
        "objects",
        MOMENT,
        findings,
        incomplete,
        sections=(section, capacity),
        config_path="costwatch.toml",
        rules=("CW401", "CW402", "CW403", "CW407"),
        version="0.0.0-test",
        as_of=MOMENT,
        project="gallery-p",
    )


CASES = [
    (OutputFormat.TABLE, "objects.txt"),
    (OutputFormat.JSON, "objects.json"),
    (OutputFormat.MARKDOWN, "objects.md"),
    (OutputFormat.SARIF, "objects.sarif"),
    (OutputFormat.JUNIT, "objects.junit.xml"),
    (OutputFormat.GITHUB, "objects.github.txt"),
    (OutputFormat.GITLAB, "objects.gitlab.json"),
]


@pytest.mark.parametrize(("fmt", "name"), CASES, ids=[c[1] for c in CASES])
def test_golden(fmt: OutputFormat, name: str) -> None:
    text = render(objects_report(), fmt)
    path = GOLDEN / name
    if os.environ.get("COSTWATCH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_every_format_is_covered() -> None:
    assert {c[0] for c in CASES} == set(OutputFormat)


def test_json_reads_back_and_matches_the_schema() -> None:
    from importlib import resources

    import jsonschema

    data = json.loads(render(objects_report(), OutputFormat.JSON))
    schema = json.loads(
        resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    )
    jsonschema.validate(data, schema)
    assert json.loads(render(report_from_json(data), OutputFormat.JSON)) == data
    assert [p["name"] for p in data["capacity"]["pages"]] == ["about", "gallery"]
