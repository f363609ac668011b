"""``costwatch links`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")

runner = CliRunner()
TOKEN = "GHSAT0AAAAACLITESTSECRET"


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "site"
    (root / "src").mkdir(parents=True)
    (root / "src" / "App.jsx").write_text(
        f'<img src="https://raw.githubusercontent.com/o/r/main/a.png?token={TOKEN}" />\n'
        '<img src="https://storage.googleapis.com/unlisted-b/a.png" />\n'
    )
    return root


def test_findings_exit_1_with_redacted_output(site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "--as-of", "2026-11-05"])
    assert result.exit_code == 1
    assert "CW302" in result.stdout and "site/src/App.jsx:1" in result.stdout
    assert TOKEN not in result.stdout
    assert result.stderr == ""


def test_fail_on_never_and_warning(site: Path) -> None:
    assert runner.invoke(app, ["links", "site", "--fail-on", "never"]).exit_code == 0
    (site / "src" / "App.jsx").write_text(
        '<img src="https://storage.googleapis.com/unlisted-b/a.png">'
    )
    assert runner.invoke(app, ["links", "site"]).exit_code == 0
    assert runner.invoke(app, ["links", "site", "--fail-on", "warning"]).exit_code == 1


def test_missing_path_exits_2_naming_it(site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "nope"])
    assert result.exit_code == 2
    assert result.stderr == "costwatch: error: path not found: nope\n"
    assert result.stdout == ""


def test_no_paths_and_no_site_config(site: Path) -> None:
    result = runner.invoke(app, ["links"])
    assert result.exit_code == 2
    assert "no paths to scan" in result.stderr


def test_site_paths_from_config(site: Path) -> None:
    (site.parent / "costwatch.toml").write_text('site = ["site"]\nbuckets = ["unlisted-b"]\n')
    result = runner.invoke(app, ["links", "-f", "json"])
    data = json.loads(result.stdout)
    assert [f["rule_id"] for f in data["findings"]] == ["CW302"]
    assert data["links"]["files_scanned"] == 1


def test_bad_as_of_exits_2(site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "--as-of", "next tuesday"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_skipped_files_do_not_fail_unless_strict(site: Path) -> None:
    (site / "src" / "App.jsx").write_text("fine\n")
    (site / "blob.js").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["links", "site", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["incomplete"][0]["reason"] == "binary file (not text)"
    assert "skipped 1 file" in result.stderr
    strict = runner.invoke(app, ["links", "site", "--strict"])
    assert strict.exit_code == 2
    assert "not checked: site/blob.js: binary file" in strict.stderr


def test_baseline_round_trip(site: Path) -> None:
    written = runner.invoke(app, ["links", "site", "--write-baseline", "cw-baseline.json"])
    assert written.exit_code == 0
    assert "wrote 2 baseline entries" in written.stderr
    assert TOKEN not in Path("cw-baseline.json").read_text()
    again = runner.invoke(app, ["links", "site", "--baseline", "cw-baseline.json"])
    assert again.exit_code == 0, again.stdout


def test_missing_baseline_exits_2(site: Path) -> None:
    result = runner.invoke(app, ["links", "site", "--baseline", "none.json"])
    assert result.exit_code == 2
    assert "cannot read baseline none.json" in result.stderr


def test_sarif_from_the_command_line_is_valid(site: Path) -> None:
    import jsonschema

    result = runner.invoke(app, ["links", "site", "-f", "sarif", "-o", "out.sarif"])
    assert result.exit_code == 1
    text = Path("out.sarif").read_text()
    assert TOKEN not in text
    schema = json.loads((Path(__file__).parent / "formats" / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(text)
    jsonschema.validate(log, schema)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"site/src/App.jsx"}


def test_links_does_not_import_cloud_libraries(site: Path) -> None:
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        "sys.argv = ['costwatch', 'links', 'site', '--fail-on', 'never']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('google', 'grpc'))), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=site.parent
    )
    assert "CW302" in result.stdout
    assert "LOADED []" in result.stderr
