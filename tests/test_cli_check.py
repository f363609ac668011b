"""``costwatch check`` from the command line: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.demo.cloud import SeedBucket, env_var, storage_emulator
from tests.helpers import PUBLIC_READ, bucket_resource

runner = CliRunner()

DEPLOY = "#!/bin/sh\ngsutil mb gs://gallery-images\ngsutil iam ch allUsers:objectViewer gs://gallery-images\n"
TF = (
    'variable "region" {}\n'
    'resource "google_storage_bucket" "site" {\n  name = "gallery-site"\n  location = var.region\n'
    "  uniform_bucket_level_access = true\n  soft_delete_policy {\n"
    "    retention_duration_seconds = 0\n  }\n}\n"
)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deploy.sh").write_text(DEPLOY)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(TF)
    return tmp_path


def test_findings_exit_1_and_unknowns_are_listed(repo: Path) -> None:
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1, result.output
    assert "CW102" in result.stdout and "deploy.sh:2" in result.stdout
    assert "location = var.region: no value" in result.stdout
    assert "Traceback" not in result.output


def test_strict_makes_unknowns_exit_2(repo: Path) -> None:
    result = runner.invoke(app, ["check", ".", "--strict", "--fail-on", "never"])
    assert result.exit_code == 2
    assert "location = var.region: no value" in result.stderr


def test_var_and_var_file_resolve_values(repo: Path) -> None:
    (repo / "prod.tfvars").write_text('region = "eu"\n')
    data = json.loads(
        runner.invoke(app, ["check", "infra", "--var-file", "prod.tfvars", "-f", "json"]).stdout
    )
    assert [f["rule_id"] for f in data["findings"]] == ["CW102"]
    data = json.loads(
        runner.invoke(
            app,
            [
                "check",
                "infra",
                "--var-file",
                "prod.tfvars",
                "--var",
                "region=us-west1",
                "-f",
                "json",
            ],
        ).stdout
    )
    assert data["findings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "nope"], "path not found: nope"),
        (["check", ".", "--var-file", "none.tfvars"], "path not found: none.tfvars"),
        (["check", ".", "--var", "region"], "--var 'region' is not NAME=VALUE"),
        (["check", ".", "--baseline", "none.json"], "cannot read baseline none.json"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_baseline_round_trip(repo: Path) -> None:
    written = runner.invoke(app, ["check", ".", "--write-baseline", "cw-baseline.json"])
    assert written.exit_code == 0 and "baseline entries" in written.stderr
    again = runner.invoke(app, ["check", ".", "--baseline", "cw-baseline.json", "-f", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["findings"] == []
    (repo / "deploy.sh").write_text(DEPLOY + "gsutil mb -l eu gs://another\n")
    third = runner.invoke(app, ["check", ".", "--baseline", "cw-baseline.json", "-f", "json"])
    assert {f["resource"] for f in json.loads(third.stdout)["findings"]} == {"gs://another"}


def test_config_folder_is_the_default_and_intent_comes_from_it(repo: Path) -> None:
    (repo / "costwatch.toml").write_text("[bucket.gallery-images]\npublic = false\n")
    data = json.loads(runner.invoke(app, ["check", "-f", "json"]).stdout)
    assert ("CW112", "deploy.sh") in {(f["rule_id"], f.get("path")) for f in data["findings"]}


def test_github_format_appends_to_the_step_summary(repo: Path) -> None:
    summary = repo / "summary.md"
    summary.write_text("# earlier step\n")
    with env_var("GITHUB_STEP_SUMMARY", str(summary)):
        result = runner.invoke(app, ["check", ".", "-f", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=deploy.sh,line=2,title=CW102::")
    text = summary.read_text()
    assert text.startswith("# earlier step\n# costwatch check")
    assert "CW113" in text


@pytest.mark.parametrize("fmt", ["junit", "gitlab", "sarif", "json", "markdown"])
def test_every_format_renders_a_check(repo: Path, fmt: str) -> None:
    result = runner.invoke(app, ["check", ".", "-f", fmt])
    assert result.exit_code == 1 and result.stdout


def test_live_reads_the_named_buckets_too(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    seed = [
        SeedBucket(
            bucket_resource("gallery-images", location="US", locationType="multi-region"),
            PUBLIC_READ,
        )
    ]
    with storage_emulator(seed):
        result = runner.invoke(app, ["check", "deploy.sh", "--live", "-f", "json"])
    data = json.loads(result.stdout)
    live = [f for f in data["findings"] if "path" not in f]
    assert ("CW102", "gs://gallery-images") in {(f["rule_id"], f["resource"]) for f in live}


def test_check_does_not_import_cloud_libraries(repo: Path) -> None:
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        "sys.argv = ['costwatch', 'check', '.', '--fail-on', 'never']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('google', 'grpc'))), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, timeout=60
    )
    assert "CW102" in result.stdout
    assert "LOADED []" in result.stderr


def test_check_json_matches_the_report_schema_and_reads_back(repo: Path) -> None:
    from importlib import resources

    import jsonschema

    from costwatch.check_section import CheckSection
    from costwatch.report import report_from_json

    data = json.loads(runner.invoke(app, ["check", ".", "-f", "json"]).stdout)
    schema = json.loads(
        resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    )
    jsonschema.validate(data, schema)
    report = report_from_json(data)
    section = report.section(CheckSection)
    assert section is not None and section.files_read == {"shell": 1, "terraform": 1}
    assert {b.where for b in section.buckets} == {"deploy.sh:2", "infra/main.tf:2"}


def test_site_links_and_build_output_are_scanned(repo: Path) -> None:
    (repo / "site" / "src").mkdir(parents=True)
    (repo / "site" / "dist").mkdir()
    (repo / "site" / "src" / "App.jsx").write_text('<img src="/a.png">\n')
    (repo / "site" / "dist" / "index.html").write_text(
        '<img src="https://drive.google.com/uc?export=view&id=1AbCdEfGhIjKlMnOp">\n'
    )
    (repo / "costwatch.toml").write_text('site = ["site"]\n')
    data = json.loads(runner.invoke(app, ["check", "-f", "json"]).stdout)
    assert "site/dist/index.html" in {f.get("path") for f in data["findings"]}


def test_live_without_any_bucket_name_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deploy.sh").write_text('gsutil mb "gs://$BUCKET"\n')
    result = runner.invoke(app, ["check", ".", "--live", "--fail-on", "never"])
    assert result.exit_code == 2
    assert "--live: no bucket is named in the config or in the files" in result.stderr
