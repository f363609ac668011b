"""The command line: exit codes, stdout and stderr checked separately."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costwatch import __version__
from costwatch.cli import app
from costwatch.demo.cloud import SeedBucket, storage_emulator
from costwatch.demo.monitoring import MetricServiceEmulator, monitoring_emulator
from tests.helpers import PUBLIC_READ, bucket_resource

runner = CliRunner()

GOOD = SeedBucket(bucket_resource("good-bucket"), PUBLIC_READ)
SOFT = SeedBucket(
    bucket_resource("soft-bucket", softDeletePolicy={"retentionDurationSeconds": "604800"}),
    PUBLIC_READ,
)
MULTI = SeedBucket(
    bucket_resource("multi-bucket", location="US", locationType="multi-region"), PUBLIC_READ
)


@pytest.fixture()
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Cloud Storage with three buckets and an empty Cloud Monitoring, project "p"."""
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "p")
    with (
        storage_emulator([GOOD, SOFT, MULTI]) as url,
        monitoring_emulator(MetricServiceEmulator("p")),
    ):
        yield url


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"costwatch {__version__}\n"


def test_clean_bucket_exits_0(cloud: str, in_tmp: Path) -> None:
    result = runner.invoke(app, ["audit", "--bucket", "good-bucket", "--project", "p"])
    assert result.exit_code == 0, result.output
    assert "No findings." in result.stdout
    assert result.stderr == ""


def test_error_finding_exits_1(cloud: str, in_tmp: Path) -> None:
    result = runner.invoke(app, ["audit", "-b", "multi-bucket", "-b", "good-bucket"])
    assert result.exit_code == 1
    assert "CW102" in result.stdout
    assert result.stderr == ""


def test_fail_on_threshold(cloud: str, in_tmp: Path) -> None:
    args = ["audit", "-b", "soft-bucket"]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, [*args, "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["audit", "-b", "multi-bucket", "--fail-on", "never"]).exit_code == 0


def test_fail_on_from_config(cloud: str, in_tmp: Path) -> None:
    (in_tmp / "costwatch.toml").write_text('buckets = ["soft-bucket"]\nfail_on = "warning"\n')
    assert runner.invoke(app, ["audit"]).exit_code == 1


def test_unknown_bucket_exits_2_and_still_reports_the_rest(cloud: str, in_tmp: Path) -> None:
    result = runner.invoke(
        app, ["audit", "-b", "missing-bucket", "-b", "good-bucket", "-f", "json"]
    )
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [b["name"] for b in report["buckets"]] == ["good-bucket"]
    assert report["incomplete"][0]["resource"] == "gs://missing-bucket"
    assert "not checked: gs://missing-bucket" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_bucket_flag_exits_2(in_tmp: Path) -> None:
    result = runner.invoke(app, ["audit", "-b", "Not A Bucket"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("costwatch: error: ")
    assert result.stderr.count("\n") == 1


def test_malformed_config_exits_2(in_tmp: Path) -> None:
    (in_tmp / "costwatch.toml").write_text("buckets = [\n")
    result = runner.invoke(app, ["audit"])
    assert result.exit_code == 2
    assert "malformed TOML" in result.stderr
    assert result.stdout == ""


def test_unknown_key_exits_2(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.costwatch]\nfail_onn = "error"\n')
    result = runner.invoke(app, ["audit"])
    assert result.exit_code == 2
    assert "did you mean 'fail_on'" in result.stderr


def test_bad_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["audit", "--format", "yaml"])
    assert result.exit_code == 2


def test_no_project_makes_usage_unknown_and_exit_2(
    cloud: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT")
    result = runner.invoke(app, ["audit", "-b", "good-bucket", "-f", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["incomplete"][0]["section"] == "usage"
    assert "no project" in data["incomplete"][0]["reason"]
    assert "usage" not in data
    assert "not checked: *: no project" in result.stderr


def test_output_file(cloud: str, in_tmp: Path) -> None:
    target = in_tmp / "out" / "report.md"
    result = runner.invoke(app, ["audit", "-b", "soft-bucket", "-f", "markdown", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text().startswith("# costwatch audit")


def test_project_from_environment(
    cloud: str, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "env-project")
    result = runner.invoke(app, ["audit", "-f", "json"])
    names = {b["name"] for b in json.loads(result.stdout)["buckets"]}
    assert names == {"good-bucket", "soft-bucket", "multi-bucket"}


def test_rules_lists_every_rule() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert "CW101  error" in result.stdout
    data = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    ids = [r["id"] for r in data["rules"]]
    assert ids == sorted(ids) and "CW114" in ids
    assert all(r["title"] and r["help"] for r in data["rules"])


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "costwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "CLOUDSDK_"))}
    env.pop("STORAGE_EMULATOR_HOST", None)
    env.update(HOME=str(tmp_path), CLOUDSDK_CONFIG=str(tmp_path / "gcloud"), NO_GCE_CHECK="true")
    return env


def test_missing_credentials_says_how_to_log_in(tmp_path: Path) -> None:
    result = _run(["audit", "-b", "some-bucket", "--project", "p"], _clean_env(tmp_path), tmp_path)
    assert result.returncode == 2
    assert "gcloud auth application-default login" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_does_not_import_cloud_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        "sys.argv = ['costwatch', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('google', 'grpc')))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_clean_env(tmp_path)
    )
    assert "Usage" in result.stdout
    assert "LOADED []" in result.stderr


def test_sarif_points_bucket_findings_at_the_config_line(cloud: str, in_tmp: Path) -> None:
    (in_tmp / "costwatch.toml").write_text(
        'project = "p"\nbuckets = [\n  "good-bucket",\n  "multi-bucket",\n]\n'
    )
    result = runner.invoke(app, ["audit", "-f", "sarif"])
    assert result.exit_code == 1
    run = json.loads(result.stdout)["runs"][0]
    (cw102,) = [r for r in run["results"] if r["ruleId"] == "CW102"]
    location = cw102["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "costwatch.toml"
    assert location["region"] == {"startLine": 4}
    assert cw102["locations"][0]["logicalLocations"][0]["name"] == "gs://multi-bucket"


def test_table_is_rich_on_a_terminal_and_plain_with_no_color(tmp_path: Path) -> None:
    import pty

    site = tmp_path / "s.md"
    site.write_text("![x](https://drive.google.com/uc?id=1)\n")

    def run_in_terminal(extra_env: dict[str, str]) -> str:
        env = {**_clean_env(tmp_path), "TERM": "xterm-256color", "COLUMNS": "120"}
        env.pop("NO_COLOR", None)
        env.update(extra_env)
        primary, secondary = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "costwatch", "links", str(site)],
            stdout=secondary,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        os.close(primary)
        return b"".join(chunks).decode("utf-8", errors="replace")

    assert "\x1b[" in run_in_terminal({})
    plain = run_in_terminal({"NO_COLOR": "1"})
    assert "\x1b[" not in plain and "CW301" in plain
