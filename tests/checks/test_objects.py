"""`objects` end to end: the Cloud Storage emulator with objects and their metadata, the
in-process Monitoring service, and a site that links the objects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from costwatch.checks.objects import ObjectOptions, run_objects
from costwatch.checks.objects_local import local_records, run_local
from costwatch.config import load_config
from costwatch.demo.cloud import SeedBucket, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
from costwatch.errors import CostwatchError
from costwatch.sources.inventory import InventoryError
from costwatch.sources.monitoring import EGRESS, REQUESTS, STORAGE
from costwatch.sources.object_metrics import TOTAL_COUNT
from costwatch.sources.objects import make_client
from tests.helpers import PUBLIC_READ, bucket_resource

AS_OF = datetime(2026, 11, 20, tzinfo=UTC)
BUCKET = "gallery-b"
MIB = 1024 * 1024
PAGE = """<!doctype html>
<img src="https://storage.googleapis.com/gallery-b/thumbs/1.jpg">
<img src="https://storage.googleapis.com/gallery-b/thumbs/2.jpg">
<img src="https://gallery-b.storage.googleapis.com/art/hero.png">
<img src="https://storage.googleapis.com/gallery-b/with%20space.png">
<img src="https://storage.googleapis.com/gallery-b/画像.webp">
<img src="https://storage.googleapis.com/gallery-b/hash%23tag.png">
<img src="https://storage.googleapis.com/gallery-b/100%25.png">
<img src="https://storage.googleapis.com/gallery-b/icon.svg">
<img src="https://storage.googleapis.com/gallery-b/missing.png">
"""


def upload(
    client: Any, name: str, size: int, content_type: str = "image/jpeg", **meta: Any
) -> None:
    blob = client.bucket(BUCKET).blob(name)
    blob.cache_control = meta.pop("cache_control", "public, max-age=31536000, immutable")
    for key, value in meta.items():
        setattr(blob, key, value)
    blob.upload_from_string(b"x" * size, content_type=content_type)


def metrics(live_objects: float, noncurrent: float = 0.0) -> list[Any]:
    day = timedelta(days=1)
    gauge = {"kind": "GAUGE", "value_type": "DOUBLE", "project": "p"}
    return [
        bucket_series(TOTAL_COUNT, BUCKET, "us-west1", [(AS_OF - day, live_objects)], labels={"type": "live-object"}, **gauge),
        bucket_series(STORAGE, BUCKET, "us-west1", [(AS_OF - day, 2 * MIB)], labels={"type": "live-object", "storage_class": "STANDARD"}, **gauge),
        bucket_series(STORAGE, BUCKET, "us-west1", [(AS_OF - day, noncurrent)], labels={"type": "noncurrent-object", "storage_class": "STANDARD"}, **gauge),
        bucket_series(EGRESS, BUCKET, "us-west1", [(AS_OF - day, 1000 * 50_000)], labels={"method": "ReadObject", "response_code": "OK"}, project="p"),
        bucket_series(REQUESTS, BUCKET, "us-west1", [(AS_OF - day, 1000)], labels={"method": "ReadObject", "response_code": "OK"}, project="p"),
    ]  # fmt: skip


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "costwatch.toml").write_text(
        f'project = "p"\nbuckets = ["{BUCKET}"]\nsite = ["public"]\napi_retry_seconds = 0\n'
    )
    return tmp_path / "costwatch.toml"


@pytest.fixture()
def cloud() -> Iterator[None]:
    with storage_emulator([SeedBucket(bucket_resource(BUCKET), PUBLIC_READ)]):
        client = make_client("p")
        upload(client, "thumbs/1.jpg", 40_000)
        upload(client, "thumbs/2.jpg", 40_000)
        upload(client, "art/hero.png", int(1.5 * MIB), "image/png", cache_control=None)
        upload(client, "with space.png", 1000, "image/png")
        upload(client, "画像.webp", 1000, "image/webp")
        upload(client, "hash#tag.png", 1000, "image/png")
        upload(client, "100%.png", 1000, "image/png")
        upload(client, "icon.svg", 300, "application/octet-stream")
        upload(client, "cold.jpg", 500, storage_class="NEARLINE")
        upload(client, "zipped.png", 100, "image/png", content_encoding="gzip")
        yield


def run(config_path: Path, monitoring: list[Any], fail: Any = None, **options: Any) -> Any:
    emulator = MetricServiceEmulator("p", monitoring)
    if fail is not None:
        emulator.fail_next(fail, times=4)
    config = load_config(config_path)
    settings: dict[str, Any] = {"buckets": (BUCKET,), "project": "p", "as_of": AS_OF}
    settings.update(options)
    with monitoring_emulator(emulator):
        check = run_local if settings.get("local") else run_objects
        result = check(config, ObjectOptions(**settings), now=AS_OF)
    return result, emulator


def test_every_object_rule_and_the_capacity_figures(cloud: None, site: Path) -> None:
    result, emulator = run(site, metrics(10, noncurrent=1 * MIB))
    by_rule: dict[str, list[Any]] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    assert sorted(by_rule) == [
        "CW401",
        "CW402",
        "CW403",
        "CW404",
        "CW405",
        "CW406",
        "CW407",
        "CW408",
    ]
    assert "art/hero.png" in by_rule["CW401"][0].message
    assert by_rule["CW402"][0].severity.value == "error"
    assert "cold.jpg" in by_rule["CW404"][0].message
    assert "noncurrent" in by_rule["CW406"][0].message
    (missing,) = by_rule["CW407"]
    assert (missing.path, missing.line) == ("public/index.html", 10)
    assert "'missing.png'" in missing.message
    assert "cold.jpg" in by_rule["CW408"][0].message and "2 objects" in by_rule["CW408"][0].message
    assert len(emulator.requests) == 4  # one query per metric, for the whole project
    (bucket,) = result.objects.buckets
    assert bucket.objects == 10 and bucket.complete and bucket.list_pages == 1
    assert result.incomplete == ()
    (page,) = result.capacity.pages
    assert page.name == "public/index.html"
    assert page.objects_per_view == 8  # every linked object but the missing one, each once
    assert page.bytes_per_view == 80_000 + int(1.5 * MIB) + 4 * 1000 + 300
    assert page.views_by_class_b == (50_000 - 1000) // 8
    observed = result.capacity.observed
    assert observed is not None and observed.bytes_per_object == 50_000


def test_refuses_a_listing_above_max_list_ops(cloud: None, site: Path) -> None:
    result, _ = run(site, metrics(150_000))
    (item,) = [i for i in result.incomplete if i.blocking]
    assert "150 objects.list pages" in item.reason
    assert "3.0% of the month's 5,000 free" in item.reason
    assert "--max-list-ops 100" in item.reason
    assert result.objects.buckets == ()
    result, _ = run(site, metrics(150_000), max_list_ops=200)
    assert not [i for i in result.incomplete if i.blocking]


def test_unknown_count_still_lists_up_to_the_cap(cloud: None, site: Path) -> None:
    result, _ = run(site, [])
    assert any("object count unknown" in n for n in result.objects.notes)
    assert result.objects.buckets[0].objects == 10


def test_inventory_without_cache_control_leaves_cw401_not_checked(
    site: Path, tmp_path: Path
) -> None:
    report = tmp_path / "inventory.csv"
    report.write_text(
        "bucket,name,size,contentType,storageClass,contentEncoding\n"
        f"{BUCKET},thumbs/1.jpg,40000,image/jpeg,STANDARD,\n"
        f'{BUCKET},"with space.png",1000,image/png,STANDARD,\n'
        f"{BUCKET},hash#tag.png,1000,image/png,COLDLINE,\n"
        f"other-bucket,x.png,5,image/png,STANDARD,\n",
        encoding="utf-8",
    )
    result, _ = run(site, metrics(10), inventory=str(report))
    (not_checked,) = [i for i in result.incomplete if "CW401" in i.reason]
    assert not_checked.blocking  # unknown is not passed: exit 2
    assert not_checked.resource == "gs://gallery-b"
    assert not_checked.reason.startswith(
        "CW401 not checked: the inventory report has no cacheControl column"
    )
    assert "CW401" not in {f.rule_id for f in result.findings}
    assert "CW404" in {f.rule_id for f in result.findings}
    missing = {f.message.split("'")[1] for f in result.findings if f.rule_id == "CW407"}
    assert "with space.png" not in missing and "hash#tag.png" not in missing
    assert "art/hero.png" in missing
    assert result.objects.buckets[0].source == "inventory"
    assert result.objects.buckets[0].objects == 3


def test_bad_inventory_is_an_error(site: Path, tmp_path: Path) -> None:
    report = tmp_path / "inventory.csv"
    report.write_text("name,contentType\na.png,image/png\n")
    with pytest.raises(InventoryError):
        run(site, [], inventory=str(report))


def test_local_folder_is_offline(tmp_path: Path) -> None:
    build = tmp_path / "dist"
    (build / "img").mkdir(parents=True)
    (build / "img" / "big.png").write_bytes(b"x" * (2 * MIB))
    (build / "img" / "logo.svg").write_bytes(b"<svg/>")
    (build / "img" / "photo.unknownimg").write_bytes(b"x")
    (build / "index.html").write_text(
        '<img src="img/big.png"><img srcset="/img/logo.svg 1x, img/missing.png 2x">'
    )
    records = {r.name: r for r in local_records(build)}
    assert records["img/logo.svg"].content_type == "image/svg+xml"
    config = load_config(None, cwd=tmp_path)
    result = run_local(config, ObjectOptions(local=build), now=AS_OF)
    assert {f.rule_id for f in result.findings} == {"CW403"}
    (page,) = result.capacity.pages
    assert page.name == "index.html"
    assert page.objects_per_view == 2 and page.bytes_per_view == 2 * MIB + 6
    assert page.unresolved


def test_local_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CostwatchError, match="not a folder"):
        run_local(
            load_config(None, cwd=tmp_path), ObjectOptions(local=tmp_path / "nope"), now=AS_OF
        )


def test_report_json_matches_the_schema_and_reads_back(cloud: None, site: Path) -> None:
    import json
    from importlib import resources

    import jsonschema

    from costwatch.checks.objects import objects_report
    from costwatch.formats.base import OutputFormat, render
    from costwatch.report import report_from_json

    result, _ = run(site, metrics(10, noncurrent=1 * MIB))
    options = ObjectOptions((BUCKET,), "p", as_of=AS_OF)
    report = objects_report(result, load_config(site), options, AS_OF)
    data = json.loads(render(report, OutputFormat.JSON))
    schema = json.loads(
        resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    )
    jsonschema.validate(data, schema)
    assert data["capacity"]["observed"]["bytes_per_object"] == 50_000
    again = report_from_json(data)
    assert json.loads(render(again, OutputFormat.JSON)) == data


def test_audit_shows_capacity_from_the_last_objects_run(cloud: None, site: Path) -> None:
    from costwatch.capacity import CapacitySection
    from costwatch.checks.audit import run_audit
    from costwatch.checks.capacity_cache import remember_sizes

    result, _ = run(site, metrics(10))
    config = load_config(site)
    remember_sizes(config, result, AS_OF)
    assert (site.parent / ".costwatch" / "objects-cache.json").is_file()
    with monitoring_emulator(MetricServiceEmulator("p", metrics(10))):
        report = run_audit(config, (BUCKET,), "p", AS_OF, now=AS_OF)
    capacity = report.section(CapacitySection)
    assert capacity is not None
    (page,) = capacity.pages
    assert page.objects_per_view == 8
    assert any("objects run at 2026-11-20" in n for n in capacity.notes)


def test_local_folder_against_the_bucket_says_what_the_deploy_changes(
    cloud: None, site: Path, tmp_path: Path
) -> None:
    build = tmp_path / "dist"
    (build / "art").mkdir(parents=True)
    (build / "thumbs").mkdir()
    (build / "art" / "hero.png").write_bytes(b"x" * (3 * MIB))  # twice the bucket's 1.5 MiB
    (build / "thumbs" / "1.jpg").write_bytes(b"x" * 40_000)  # unchanged
    (build / "new.webp").write_bytes(b"x" * 1_000_000)  # not in the bucket yet
    (build / "index.html").write_text('<img src="art/hero.png"><img src="/thumbs/1.jpg">')
    result, _ = run(site, metrics(10), local=build)
    assert not [i for i in result.incomplete if i.blocking]
    notes = result.capacity.notes
    page = len((build / "index.html").read_bytes())
    added = 3 * MIB - int(1.5 * MIB) + 1_000_000 + page
    # new: new.webp and index.html; changed: art/hero.png
    assert (
        f"this deploy adds {added / 1e6:,.1f} MB to gs://gallery-b (2 new and 1 changed objects)"
        in notes
    )
    (change,) = [n for n in notes if n.startswith("the index.html page: the views")]
    assert "(x0.51)" in change
    assert [b.source for b in result.objects.buckets] == ["local", "listing"]


def test_inventory_report_read_from_its_bucket(site: Path) -> None:
    header = "bucket,name,size,contentType,storageClass,contentEncoding,cacheControl\n"
    shards = {
        "inv/2026-11-27/shard-0.csv": header
        + f'{BUCKET},"with space.png",1000,image/png,STANDARD,,"public, max-age=60"\n',
        "inv/2026-11-27/shard-1.csv": header
        + f"{BUCKET},icon.svg,300,application/octet-stream,STANDARD,,\n",
    }
    seed = [
        SeedBucket(bucket_resource(BUCKET), PUBLIC_READ),
        SeedBucket(bucket_resource("reports-b")),
    ]
    with storage_emulator(seed):
        client = make_client("p")
        for name, text in shards.items():
            client.bucket("reports-b").blob(name).upload_from_string(text, content_type="text/csv")
        folder, _ = run(site, metrics(10), inventory="gs://reports-b/inv/2026-11-27/")
        one, _ = run(site, metrics(10), inventory="gs://reports-b/inv/2026-11-27/shard-1.csv")
        with pytest.raises(InventoryError, match="not found"):
            run(site, metrics(10), inventory="gs://reports-b/inv/nope.csv")
    assert folder.objects.buckets[0].objects == 2
    assert {f.rule_id for f in folder.findings} >= {"CW401", "CW402"}
    assert not [i for i in folder.incomplete if i.blocking]  # every column is there
    assert one.objects.buckets[0].objects == 1


def test_monitoring_denied_is_not_checked_and_the_listing_still_runs(
    cloud: None, site: Path
) -> None:
    import grpc

    result, emulator = run(site, metrics(10), fail=grpc.StatusCode.PERMISSION_DENIED)
    assert len(emulator.requests) == 1  # permission denied will repeat: asked once
    (item,) = [i for i in result.incomplete if "CW406" in i.reason]
    assert item.blocking and "monitoring.timeSeries.list" in item.reason
    assert result.objects.buckets[0].objects == 10  # listed, capped at max_list_ops pages
    assert any("object count unknown" in n for n in result.objects.notes)
    (page,) = result.capacity.pages
    assert page.views_by_egress is None and page.first_limit is None  # unknown, not a full month
    assert result.capacity.observed is None
