"""``costwatch demo --report DIR``: a reports folder with months of seeded history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema


def test_demo_report_folder_has_months_of_history_and_changes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "CLOUDSDK_"))}
    env.update(HOME=str(tmp_path), NO_GCE_CHECK="true")
    env.pop("STORAGE_EMULATOR_HOST", None)
    folder = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "costwatch", "demo", "--report", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["command"] == "audit"
    assert f"open {folder / 'index.html'}" in result.stderr
    history = subprocess.run(
        [sys.executable, "-m", "costwatch", "history", "--dir", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert history.returncode == 0 and history.stderr == "", history.stderr
    data = json.loads(history.stdout)
    assert len(data["months"]) >= 4 and len(data["runs"]) >= 10
    assert all(r["status"] == "complete" for r in data["runs"])
    assert [m["month"] for m in data["months"]] == sorted(m["month"] for m in data["months"])
    latest = json.loads((folder / "latest.json").read_text())
    changes = latest["changes"]
    assert changes["since"] is not None
    assert {f["rule_id"] for f in changes["resolved"]} >= {"CW107"}
    assert {f["rule_id"] for f in changes["new"]} >= {"CW108"}
    schema = json.loads(
        resources.files("costwatch").joinpath("schema/report-1.schema.json").read_text()
    )
    for record in sorted(folder.glob("2*.json")):
        jsonschema.validate(json.loads(record.read_text()), schema)
    index = (folder / "index.html").read_text()
    assert index.count('<tr><th scope="row"><a href="2') == len(data["runs"])
    assert "previous month at the same point" in index
