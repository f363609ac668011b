"""Benchmark: how long each command takes to start, against `import typer, rich.console`.

Times whole processes: every command's ``--help``, ``costwatch --help`` and ``costwatch rules``,
and the floor any Typer + rich program pays, ``python -c "import typer, rich.console"``. Uses
hyperfine when it is installed (``apt-get install hyperfine``), otherwise a timing loop here.
Prints each mean, and its ratio to the floor (the goal is 1.5x at most).

    python benchmarks/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.5


def command_names() -> list[str]:
    """Every command the CLI registers (imported here, in this process only)."""
    from costwatch.cli import app
    from costwatch.cli_startup import command_name

    return [command_name(c) for c in app.registered_commands]


def commands() -> dict[str, list[str]]:
    python = sys.executable
    # The installed console script, as people run it; `python -m costwatch` otherwise.
    script = Path(python).parent / "costwatch"
    costwatch = [str(script)] if script.exists() else [python, "-m", "costwatch"]
    out = {"floor: import typer, rich.console": [python, "-c", "import typer, rich.console"]}
    out["costwatch --help"] = [*costwatch, "--help"]
    out["costwatch rules"] = [*costwatch, "rules"]
    for name in command_names():
        out[f"costwatch {name} --help"] = [*costwatch, name, "--help"]
    return out


def bytecode_env() -> dict[str, str]:
    """The environment with bytecode caching on, as after ``pip install`` (which compiles):
    with PYTHONDONTWRITEBYTECODE set, costwatch's own modules would be compiled on every run
    while the libraries in the floor are not."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def with_hyperfine(cases: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "out.json"
        argv = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json"]
        argv += [str(export), "--style", "none"]
        for name, command in cases.items():
            argv += ["-n", name, shlex.join(command)]
        subprocess.run(
            argv, check=True, stdout=subprocess.DEVNULL, timeout=1200, env=bytecode_env()
        )
        results = json.loads(export.read_text())["results"]
    return {r["command"]: (r["mean"], r["min"]) for r in results}


def with_loop(cases: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    times: dict[str, list[float]] = {name: [] for name in cases}
    env = bytecode_env()
    for round_ in range(runs + 3):
        # Interleaved, so a busy moment of the machine hits every command alike.
        for name, command in cases.items():
            started = time.perf_counter()
            # No timeout: waiting with one polls, which rounds times up by up to 50 ms.
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
            if round_ >= 3:
                times[name].append(time.perf_counter() - started)
    return {name: (statistics.mean(t), min(t)) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--loop", action="store_true", help="time here even with hyperfine")
    args = parser.parse_args()
    cases = commands()
    tool = "hyperfine" if shutil.which("hyperfine") and not args.loop else "timing loop"
    measure = with_hyperfine if tool == "hyperfine" else with_loop
    results = measure(cases, args.runs)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {tool}, {args.runs} runs after 3 warm-ups"
    )
    floor_mean, floor_min = next(iter(results.values()))
    print(f"{'command':40} {'mean':>9} {'min':>9} {'mean ratio':>10} {'min ratio':>9}")
    for name, (mean, fastest) in results.items():
        mark = "" if fastest / floor_min <= GOAL else "  over the goal"
        print(
            f"{name:40} {mean * 1000:7.1f}ms {fastest * 1000:7.1f}ms "
            f"{mean / floor_mean:9.2f}x {fastest / floor_min:8.2f}x{mark}"
        )


if __name__ == "__main__":
    main()
