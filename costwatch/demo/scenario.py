"""``costwatch demo``: the real audit code path against the emulated gallery project."""

from __future__ import annotations

import shutil
import tempfile
from importlib import resources
from pathlib import Path

from costwatch.config import load_config
from costwatch.demo.cloud import demo_seed, storage_emulator
from costwatch.report import Report


def materialize(target: Path) -> Path:
    """Copy the demo config (and site) into ``target``; return the config path."""
    data = resources.files("costwatch.demo").joinpath("data")
    with resources.as_file(data) as source:
        shutil.copytree(source, target, dirs_exist_ok=True)
    return target / "costwatch.toml"


def run_demo() -> Report:
    from costwatch.audit import run_audit

    with tempfile.TemporaryDirectory(prefix="costwatch-demo-") as tmp:
        config = load_config(materialize(Path(tmp)))
        with storage_emulator(demo_seed()):
            report = run_audit(config, config.buckets, config.project)
    return report
