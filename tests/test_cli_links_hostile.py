"""``costwatch links`` on trees that hold its own files, odd names and unread file types."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")

runner = CliRunner()
DRIVE = "https://drive.google.com/uc?id=1AbC"


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(f'<img src="{DRIVE}">\n')
    return root


def test_a_baseline_written_inside_the_tree_accepts_everything(site: Path) -> None:
    baseline = "site/.costwatch-baseline.json"
    written = runner.invoke(app, ["links", "site", "--write-baseline", baseline])
    assert written.exit_code == 0, written.stderr
    again = runner.invoke(app, ["links", "site", "--baseline", baseline, "--format", "json"])
    assert again.exit_code == 0, again.stdout
    section = json.loads(again.stdout)["links"]
    assert section["costwatch_outputs_skipped"] == ["site/.costwatch-baseline.json"]
    assert section["baseline"]["accepted"] == 1


@pytest.mark.parametrize("fmt", ["json", "markdown", "sarif", "table"])
def test_reports_written_inside_the_tree_are_not_scanned(site: Path, fmt: str) -> None:
    (site / "reports").mkdir()
    suffix = {"json": "json", "markdown": "md", "sarif": "json", "table": "txt"}[fmt]
    output = f"site/reports/2026-11-05.{suffix}"
    first = runner.invoke(app, ["links", "site", "--format", fmt, "--output", output])
    assert first.exit_code == 1
    second = runner.invoke(app, ["links", "site", "--format", "json"])
    findings = json.loads(second.stdout)["findings"]
    assert [f["path"] for f in findings] == ["site/index.html"]


def test_undecodable_file_name_gives_valid_json(site: Path) -> None:
    with open(os.path.join(os.fsencode(site), b"caf\xe9.html"), "wb") as handle:
        handle.write(f'<img src="{DRIVE}">'.encode())
    result = runner.invoke(app, ["links", "site", "--format", "json"])
    assert result.exit_code == 1
    raw = result.stdout_bytes
    raw.decode("utf-8")  # strict: valid UTF-8 throughout
    paths = sorted(f["path"] for f in json.loads(raw)["findings"])
    assert paths == ["site/caf\\xe9.html", "site/index.html"]


def test_unread_file_types_are_counted_in_the_links_section(site: Path) -> None:
    for name in ["a.png", "b.png", "app.py", "Makefile"]:
        (site / name).write_text("x")
    (site / "page.php").write_text('<img src="gs://bkt/a.png">')
    result = runner.invoke(app, ["links", "site", "--format", "json", "--fail-on", "never"])
    section = json.loads(result.stdout)["links"]
    assert section["files_scanned"] == 2
    assert section["files_not_read"] == 4
    assert section["files_not_read_by_type"] == {".png": 2, "(no suffix)": 1, ".py": 1}


def test_a_named_pipe_is_listed_as_skipped_and_the_run_ends(site: Path) -> None:
    os.mkfifo(site / "feed.json")
    result = runner.invoke(app, ["links", "site", "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0
    incomplete = json.loads(result.stdout)["incomplete"]
    assert [(i["resource"], i["reason"], i["kind"]) for i in incomplete] == [
        ("site/feed.json", "not a regular file (named pipe)", "skipped")
    ]
    strict = runner.invoke(app, ["links", "site", "--strict", "--fail-on", "never"])
    assert strict.exit_code == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"entries": [{"rule_id": "CW301", "path": "a", "url": "u", "count": 1e999}]}',
            "malformed entry",
        ),
        (
            '{"entries": [{"rule_id": "CW301", "path": "a", "url": "u", "count": -1}]}',
            "malformed entry",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"schema_version": 99, "entries": []}', "newer than this costwatch reads"),
    ],
)
def test_bad_baselines_are_bad_input(site: Path, content: str, message: str) -> None:
    Path("b.json").write_text(content)
    result = runner.invoke(app, ["links", "site", "--baseline", "b.json"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "unexpected" not in result.stderr
