"""``costwatch schedule cron|systemd|github``: a daily ``costwatch report`` for this machine.

Each recipe uses absolute paths (the running costwatch, the config and the reports folder)
because cron and systemd start jobs with a bare environment and another working folder.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Sequence
from pathlib import Path

from costwatch import __version__
from costwatch.config import Config
from costwatch.errors import CostwatchError

PROVIDER = "projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER"
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(CostwatchError):
    """The requested schedule cannot be written as asked."""


def parse_at(at: str) -> tuple[int, int]:
    match = _AT.match(at.strip())
    if match is None:
        raise ScheduleError(f"--at {at!r} is not a time of day HH:MM (e.g. 06:17)")
    return int(match.group(1)), int(match.group(2))


def report_argv(command: Sequence[str], config: Config, folder: Path) -> list[str]:
    argv = [*command, "report"]
    if config.source is not None:
        argv += ["--config", str(config.source.absolute())]
    return [*argv, "--dir", str(folder.absolute()), "--quiet"]


def _workdir(config: Config, folder: Path) -> Path:
    return (config.source.parent if config.source else folder.parent).absolute()


def lock_path(folder: Path) -> Path:
    """cron's ``flock`` file: outside the reports folder and out of reach of /tmp cleaners.

    It must not be ``DIR/.lock``, which costwatch itself locks while it writes.
    """
    digest = hashlib.sha256(str(folder.absolute()).encode()).hexdigest()[:12]
    base = Path("/run/lock")
    if base.is_dir():
        return base / f"costwatch-report-{digest}.lock"
    return folder.absolute().parent / f".costwatch-report-{digest}.lock"


def cron(command: Sequence[str], config: Config, folder: Path, at: str) -> str:
    hour, minute = parse_at(at)
    argv = report_argv(command, config, folder)
    line = (
        f"{minute} {hour} * * * cd {shlex.quote(str(_workdir(config, folder)))} && "
        f"/usr/bin/flock -n {shlex.quote(str(lock_path(folder)))} {shlex.join(argv)}"
    )
    return (
        "# costwatch: a daily report, added with `crontab -e`.\n"
        "# cron uses this machine's time zone. `flock -n` skips a run while the previous one\n"
        "# still holds the lock; the kernel drops it when a run ends, however it ends.\n"
        "# With --quiet, cron mails only when something is new, resolved, incomplete, or a\n"
        "# forecast crossed a threshold.\n"
        f"{line}\n"
    )


def systemd(command: Sequence[str], config: Config, folder: Path, at: str) -> str:
    hour, minute = parse_at(at)
    argv = report_argv(command, config, folder)
    return (
        "# costwatch: a daily report as a systemd user timer. Save the two units below as\n"
        "#   ~/.config/systemd/user/costwatch-report.service\n"
        "#   ~/.config/systemd/user/costwatch-report.timer\n"
        "# then: systemctl --user daemon-reload && systemctl --user enable --now "
        "costwatch-report.timer\n"
        "# (and `loginctl enable-linger` so it runs while you are logged out).\n"
        "# --- costwatch-report.service ---\n"
        "[Unit]\n"
        f"Description=costwatch report into {folder.absolute()}\n"
        "Wants=network-online.target\n"
        "After=network-online.target\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"WorkingDirectory={_workdir(config, folder)}\n"
        f"ExecStart={shlex.join(argv)}\n"
        "# Exit 1 means findings at or above --fail-on: the report was written. Exit 2 (bad\n"
        "# input, or something could not be checked) marks the unit failed.\n"
        "SuccessExitStatus=1\n"
        "# --- costwatch-report.timer ---\n"
        "[Unit]\n"
        "Description=Daily costwatch report\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hour:02d}:{minute:02d}:00\n"
        "# Run at the next boot when the machine was off at the scheduled time.\n"
        "Persistent=true\n"
        "RandomizedDelaySec=15min\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def split_units(text: str) -> dict[str, str]:
    """The unit files in :func:`systemd`'s output, by file name."""
    units: dict[str, str] = {}
    name = None
    for line in text.splitlines(keepends=True):
        marker = re.match(r"^# --- (\S+) ---$", line.strip())
        if marker:
            name = marker.group(1)
            units[name] = ""
        elif name is not None:
            units[name] += line
    return units


def _repo_relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root).as_posix()
    except ValueError:
        return path.name


def _repo_root(start: Path) -> Path:
    for folder in (start.absolute(), *start.absolute().parents):
        if (folder / ".git").exists():
            return folder
    return start.absolute()


def github(config: Config, folder: Path, at: str) -> str:
    hour, minute = parse_at(at)
    if minute == 0:
        raise ScheduleError(
            "--at: choose a minute other than :00 for GitHub Actions (scheduled runs are "
            "delayed or dropped at the top of the hour)"
        )
    root = _repo_root(config.source.parent if config.source else Path.cwd())
    config_arg = (
        f" --config {_repo_relative(config.source, root)}" if config.source is not None else ""
    )
    reports = _repo_relative(folder, root)
    return f"""# .github/workflows/costwatch-report.yml: a daily costwatch report.
#
# Schedules run in UTC (this one at {hour:02d}:{minute:02d} UTC) and are often delayed at busy
# times, most of all at the top of the hour: hence minute {minute}. GitHub disables scheduled
# workflows after 60 days without activity in a public repository; the committed reports
# below count as activity only while there is something to commit, so re-enable the workflow
# in the Actions tab if it stops. workflow_dispatch lets you run it by hand.
#
# Credentials: Workload Identity Federation through google-github-actions/auth, no key file.
# Replace PROJECT_NUMBER, POOL and PROVIDER below with your pool's provider, and grant the
# service account the permissions listed in costwatch's README.
name: costwatch report

on:
  schedule:
    - cron: "{minute} {hour} * * *"
  workflow_dispatch:

permissions:
  contents: write # commit the reports folder
  id-token: write # Workload Identity Federation

concurrency:
  group: costwatch-report
  cancel-in-progress: false

jobs:
  report:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: {PROVIDER}
          service_account: costwatch@{config.project or "PROJECT"}.iam.gserviceaccount.com
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install costwatch
        run: python -m pip install "costwatch=={__version__}"
      - name: Report
        id: report
        # Exit 1 (findings) or 2 (incomplete) still leaves a report to keep.
        continue-on-error: true
        run: costwatch report{config_arg} --dir {reports}
      - name: Keep the reports as an artifact
        uses: actions/upload-artifact@v4
        with:
          name: costwatch-reports
          path: {reports}/
          retention-days: 90
      - name: Commit the reports folder
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git add {reports}
          git diff --cached --quiet || git commit -m "costwatch report $(date -u +%Y-%m-%dT%H%MZ)"
          git push
      - name: Fail when the report found problems
        if: steps.report.outcome == 'failure'
        run: exit 1
"""


def render_schedule(
    kind: str, config: Config, folder: Path, at: str, command: Sequence[str]
) -> str:
    if kind == "cron":
        return cron(command, config, folder, at)
    if kind == "systemd":
        return systemd(command, config, folder, at)
    return github(config, folder, at)
