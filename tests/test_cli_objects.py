"""``costwatch objects`` from the command line: exit codes, streams, formats, offline."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.demo.cloud import env_var
from costwatch.objects_model import ListingProgress
from costwatch.progress import listing_progress
from tests.helpers import ScriptedServer, gcs_error

runner = CliRunner()
MIB = 1024 * 1024


@pytest.fixture()
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "dist"
    (root / "img").mkdir(parents=True)
    (root / "img" / "hero.png").write_bytes(b"x" * (2 * MIB))
    (root / "img" / "thumb.jpg").write_bytes(b"x" * 40_000)
    (root / "index.html").write_text('<img src="img/hero.png"><img src="img/thumb.jpg">')
    return root


def report_schema() -> dict[str, object]:
    from importlib import resources

    text = resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    schema: dict[str, object] = json.loads(text)
    return schema


def test_local_folder_findings_exit_1_and_json_matches_the_schema(build: Path) -> None:
    import jsonschema

    result = runner.invoke(
        app, ["objects", "--local", "dist", "-f", "json", "--fail-on", "warning"]
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    data = json.loads(result.stdout)
    jsonschema.validate(data, report_schema())
    assert [f["rule_id"] for f in data["findings"]] == ["CW403"]
    assert data["findings"][0]["fix"]["text"].startswith("convert to WebP")
    (page,) = data["capacity"]["pages"]
    assert page == {
        "name": "index.html",
        "bytes_per_view": 2 * MIB + 40_000,
        "objects_per_view": 2,
        "views_by_egress": 100 * 1024**3 // (2 * MIB + 40_000),
        "views_by_class_b": 25_000,
        "first_limit": "class_b",
        "cost_per_1000_views_usd": page["cost_per_1000_views_usd"],
    }
    assert data["objects"]["buckets"][0]["source"] == "local"


def test_fail_on_and_cache_hit_ratio(build: Path) -> None:
    assert runner.invoke(app, ["objects", "--local", "dist"]).exit_code == 0  # a warning
    assert runner.invoke(app, ["objects", "--local", "dist", "--fail-on", "never"]).exit_code == 0
    result = runner.invoke(
        app, ["objects", "--local", "dist", "--cache-hit-ratio", "0.5", "-f", "json"]
    )
    assert json.loads(result.stdout)["capacity"]["pages"][0]["views_by_class_b"] == 50_000


@pytest.mark.parametrize("fmt", ["table", "markdown", "sarif"])
def test_every_format_renders_the_capacity(build: Path, fmt: str) -> None:
    result = runner.invoke(app, ["objects", "--local", "dist", "-f", fmt, "--fail-on", "warning"])
    assert result.exit_code == 1
    if fmt == "sarif":
        import jsonschema

        log = json.loads(result.stdout)
        assert log["runs"][0]["results"][0]["ruleId"] == "CW403"
        assert "Class B runs out first" in log["runs"][0]["properties"]["capacity"][0]
        schema = Path(__file__).parent / "formats" / "sarif-schema-2.1.0.json"
        jsonschema.validate(log, json.loads(schema.read_text()))
    else:
        assert "The index.html page" in result.stdout
        assert "Class B runs out first" in result.stdout
        assert "convert to WebP" in result.stdout


def test_missing_local_folder_is_one_line(build: Path) -> None:
    result = runner.invoke(app, ["objects", "--local", "nope"])
    assert result.exit_code == 2
    assert result.stderr == "costwatch: error: --local nope: not a folder\n"
    assert result.stdout == ""


def test_bad_inventory_is_one_line(build: Path) -> None:
    Path("inv.csv").write_text("name,contentType\na.png,image/png\n")
    result = runner.invoke(app, ["objects", "--bucket", "b-b", "--inventory", "inv.csv"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "lacks the size column" in result.stderr


def test_permission_denied_is_not_checked_and_exits_2(build: Path) -> None:
    Path("costwatch.toml").write_text("api_retry_seconds = 0\n")
    server = ScriptedServer([(403, gcs_error(403, "no access", "forbidden"))])
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        result = runner.invoke(app, ["objects", "--bucket", "locked-b", "-f", "json"])
    assert result.exit_code == 2
    items = json.loads(result.stdout)["incomplete"]
    assert [i["kind"] for i in items] == ["missing_input", "permission"]  # no project, then 403
    assert "storage.objects.list" in items[1]["reason"]
    assert "not checked: gs://locked-b" in result.stderr


def test_objects_local_does_not_import_cloud_libraries(build: Path) -> None:
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        "sys.argv = ['costwatch', 'objects', '--local', 'dist', '--fail-on', 'never']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('google', 'grpc'))), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=build.parent, timeout=60
    )
    assert "CW403" in result.stdout
    assert "LOADED []" in result.stderr


def test_parquet_without_pyarrow_is_one_line(build: Path) -> None:
    Path("r.parquet").write_bytes(b"PAR1" + b"\x00" * 16 + b"PAR1")
    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None\n"  # as if the optional extra were not installed
        "from costwatch.cli import main\n"
        "sys.argv = ['costwatch', 'objects', '--bucket', 'b-b', '--inventory', 'r.parquet']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=build.parent, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "costwatch: error: r.parquet is a Parquet report: reading it needs pyarrow "
        "(pip install 'costwatch[parquet]')"
    ]


def test_progress_shows_pages_and_class_a_operations_on_a_terminal() -> None:
    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    with listing_progress(True, console=console) as update:
        assert update is not None
        update("b-b", ListingProgress(objects=2000, pages=2))
    assert "gs://b-b: 2,000 objects, 2 pages (2 Class A operations spent)" in screen.getvalue()
    with listing_progress(False) as nothing:
        assert nothing is None


def test_refuses_a_costly_listing_before_any_storage_request(build: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from costwatch.demo.monitoring import MetricServiceEmulator, bucket_series, monitoring_emulator
    from costwatch.sources.object_metrics import TOTAL_COUNT

    Path("costwatch.toml").write_text('project = "p"\napi_retry_seconds = 0\n')
    now = datetime.now(UTC)
    count = bucket_series(
        TOTAL_COUNT, "big-b", "us-west1", [(now - timedelta(hours=6), 170_000)],
        labels={"type": "live-object"}, kind="GAUGE", value_type="DOUBLE", project="p",
    )  # fmt: skip
    server = ScriptedServer([(500, gcs_error(500, "must not be called"))])
    with (
        server.running(),
        env_var("STORAGE_EMULATOR_HOST", server.url),
        monitoring_emulator(MetricServiceEmulator("p", [count])),
    ):
        refused = runner.invoke(app, ["objects", "--bucket", "big-b", "-f", "json"])
    assert refused.exit_code == 2
    assert server.requests == []
    assert (
        "not listed: listing gs://big-b would cost about 170 objects.list pages" in refused.stderr
    )
    assert "3.4% of the month's 5,000 free" in refused.stderr
    assert "above --max-list-ops 100" in refused.stderr


def test_one_bucket_denied_the_others_go_on(build: Path) -> None:
    Path("costwatch.toml").write_text("api_retry_seconds = 0\n")
    page = {
        "kind": "storage#objects",
        "items": [{"name": "a.png", "size": "5", "contentType": "image/png"}],
    }
    server = ScriptedServer([(403, gcs_error(403, "no access", "forbidden")), (200, page)])
    with server.running(), env_var("STORAGE_EMULATOR_HOST", server.url):
        result = runner.invoke(app, ["objects", "-b", "locked-b", "-b", "open-b", "-f", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [(b["name"], b["complete"], b["objects"]) for b in data["objects"]["buckets"]] == [
        ("locked-b", False, 0),
        ("open-b", True, 1),
    ]
    assert [i["resource"] for i in data["incomplete"] if i["kind"] == "permission"] == [
        "gs://locked-b"
    ]
    assert [r.split("?")[0] for r in server.requests] == [
        "GET /storage/v1/b/locked-b/o",
        "GET /storage/v1/b/open-b/o",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no buckets to check: name them with --bucket or set `buckets`"),
        (["-b", "gs://x-b"], "write the bucket name without gs://"),
        (["-b", "b-b", "--as-of", "2999-01-01"], "--as-of 2999-01-01 is in the future"),
        (
            ["--local", "dist", "-b", "a-b", "-b", "c-b"],
            "--local compares a build folder with one --bucket",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(build: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["objects", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stdout == ""
