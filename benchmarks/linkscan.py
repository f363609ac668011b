"""Benchmark: `costwatch links` against ripgrep on a synthetic site.

Generates a deterministic site (default: 12,000 files, about 120 MB of HTML, JSX, TS, CSS,
JSON and Markdown with planted bad links), then times whole processes with a warm cache:
`costwatch links` and, where installed, `rg -j2` matching URLs in the same tree. Prints both
wall times (median of several runs) and their ratio, for two configs: the site owner's, which
lists their bucket (few findings: the 600 planted links), and an empty one, under which every
link to that bucket is a finding too (finding-dense: about 26,500).

With the `fast` extra (Hyperscan) installed, costwatch is timed twice: with it, and with the
pure-Python scan (`COSTWATCH_NO_HYPERSCAN=1`); the two must report the same findings. Runs
keep Python's bytecode cache on, as after `pip install` (which compiles every module), even
where the environment sets `PYTHONDONTWRITEBYTECODE`.

With `--reference DIR` (another checkout of costwatch, for example `git worktree add`), it also
renders every format with both and checks that the findings are byte-identical (the header
line with the version and the time of the run aside).

    python benchmarks/linkscan.py [--files N] [--mb M] [--runs R] [--dir PATH] [--reference DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PLANTED = [
    '<img src="https://drive.google.com/uc?export=view&amp;id=1AbCdEfGh{n}">',
    "![art](https://raw.githubusercontent.com/studio/private/main/a{n}.png?token=GHSAT0AAAAAFAKE{n})",
    "background: url(https://storage.cloud.google.com/gallery-bucket/bg{n}.webp);",
    '{{"image": "https:\\/\\/storage.googleapis.com\\/unlisted-bucket\\/img{n}.png"}}',
    '<img src="gs://gallery-bucket/raw/{n}.png">',
]
COMMON_URLS = [
    "https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap",
    "https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX",
    "https://storage.googleapis.com/gallery-bucket/thumbs/{n}.webp",
    "https://cdn.jsdelivr.net/npm/react@18/umd/react.production.min.js",
    "https://github.com/studio/gallery/issues/{n}",
    "https://example.com/articles/{n}",
]
WORDS = [
    *("latent", "garden", "neon", "koi", "glass", "forest", "moth", "queen", "paper"),
    *("cranes", "tidal", "clock", "saltwater", "atlas", "render", "prompt", "seed"),
    *("sampler", "upscale", "gallery", "canvas", "palette", "gradient", "shadow", "light"),
]
KINDS = [".html", ".jsx", ".ts", ".css", ".json", ".md"]


def _filler(rng: random.Random, kind: str, size: int, n: int) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        if roll < 0.08:
            line = COMMON_URLS[rng.randrange(len(COMMON_URLS))].format(n=n)
            if kind == ".html":
                line = f'<link rel="preconnect" href="{line}">'
            elif kind == ".css":
                line = f"@import url({line});"
            elif kind == ".json":
                line = f'"href": "{line}",'
        elif kind == ".css":
            colour = rng.randrange(16**6)
            line = f".{rng.choice(WORDS)}-{n} {{ color: #{colour:06x}; margin: {n % 40}px; }}"
        elif kind in (".jsx", ".ts"):
            name, arg, note = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
            line = f"const {name}{n % 999} = computeLayout({n % 99}, '{arg}'); // {note}"
        elif kind == ".json":
            line = f'"{rng.choice(WORDS)}": "{" ".join(rng.choices(WORDS, k=6))}",'
        elif kind == ".html":
            line = f'<p class="{rng.choice(WORDS)}">{" ".join(rng.choices(WORDS, k=12))}</p>'
        else:
            line = " ".join(rng.choices(WORDS, k=14))
        parts.append(line)
        total += len(line) + 1
    return "\n".join(parts) + "\n"


def generate(root: Path, files: int, megabytes: int, seed: int = 7) -> tuple[int, int]:
    """Write the synthetic site; return (files written, links planted)."""
    rng = random.Random(seed)
    average = megabytes * 1_000_000 // files
    planted = 0
    for n in range(files):
        kind = KINDS[n % len(KINDS)]
        folder = root / f"section{n % 40:02d}" / f"part{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        body = _filler(rng, kind, rng.randrange(average // 2, average * 3 // 2), n)
        if n % 20 == 0:
            lines = body.split("\n")
            lines.insert(len(lines) // 2, PLANTED[(n // 20) % len(PLANTED)].format(n=n))
            body = "\n".join(lines)
            planted += 1
        (folder / f"page{n}{kind}").write_text(body, encoding="utf-8")
    return files, planted


def timed(
    command: list[str],
    runs: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    wall, _, last = timed_cpu(command, runs, cwd, env)
    return wall, last


def timed_cpu(
    command: list[str],
    runs: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    """Median wall time and median CPU time (user + system, workers included) of ``runs``.

    CPU time is the steadier measure on a shared machine: other work slows the wall clock.
    """
    import resource

    last = subprocess.run(command, capture_output=True, cwd=cwd, env=env)  # warm the cache
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        last = subprocess.run(command, capture_output=True, cwd=cwd, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus), last


FORMATS = ("json", "sarif", "markdown", "table", "junit", "github", "gitlab")
NO_HYPERSCAN = "COSTWATCH_NO_HYPERSCAN"


def installed_like_env() -> dict[str, str]:
    """The environment to run costwatch in: bytecode caching on, as after ``pip install``."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def scanners() -> list[tuple[str, dict[str, str]]]:
    """(label, environment) for each way costwatch can scan: with Hyperscan if installed."""
    import importlib.util

    plain = {**installed_like_env(), NO_HYPERSCAN: "1"}
    if importlib.util.find_spec("hyperscan") is None:
        return [("pure Python, the fast extra not installed", plain)]
    return [("fast extra", installed_like_env()), ("pure Python", plain)]


AS_OF = "2026-11-05T12:00:00Z"


def _comparable(fmt: str, text: bytes) -> object:
    """What must not change between two versions: findings and skips, not run metadata."""
    import json

    if fmt == "json":
        data = json.loads(text)
        return data["findings"], data["incomplete"]
    if fmt == "sarif":
        run = json.loads(text)["runs"][0]
        return run["results"]
    lines = text.decode("utf-8").splitlines()
    return [line for line in lines if "costwatch links" not in line]


def compare_formats(
    site: Path, config: Path, reference: Path, env: dict[str, str] | None = None
) -> list[str]:
    """The formats whose findings differ between this costwatch (run in ``env``) and the one in
    ``reference``."""
    differing = []
    for fmt in FORMATS:
        outputs = []
        for path in (None, reference):
            env = dict(env or os.environ)
            if path is not None:
                env["PYTHONPATH"] = str(path)
                env.pop(NO_HYPERSCAN, None)
            command = [
                sys.executable,
                "-c",
                "from costwatch.cli import main; main()",
                "links",
                site.name,
                "--config",
                str(config),
                "--format",
                fmt,
                "--fail-on",
                "never",
                "--as-of",
                AS_OF,
            ]
            # Run from the site's parent, which holds no costwatch package, so PYTHONPATH
            # decides which costwatch runs.
            done = subprocess.run(command, capture_output=True, cwd=site.parent, env=env)
            outputs.append(_comparable(fmt, done.stdout))
        if outputs[0] != outputs[1]:
            differing.append(fmt)
    return differing


def tree_size(root: Path) -> tuple[int, int]:
    count = size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            count += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return count, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=12_000)
    parser.add_argument("--mb", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(__file__).parent / ".work" / "site")
    parser.add_argument("--reference", type=Path, help="a costwatch checkout to compare with")
    args = parser.parse_args()

    if args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.mkdir(parents=True)
    _, planted = generate(args.dir, args.files, args.mb)
    count, size = tree_size(args.dir)
    print(f"site: {count:,} files, {size / 1e6:.1f} MB, {planted:,} planted bad links")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    # The site owner's config lists their bucket, as it would in a real repository.
    owner = args.dir.parent / "costwatch.toml"
    owner.write_text('buckets = ["gallery-bucket"]\n', encoding="utf-8")
    dense = args.dir.parent / "costwatch-dense.toml"
    dense.write_text("buckets = []\n", encoding="utf-8")

    rg_time = None
    rg = shutil.which("rg")
    if rg is None:
        print("ripgrep: not installed (apt-get install ripgrep); no ratio")
    else:
        version = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout
        pattern = "(https?:)?//[^\\s\"'<>()]+"
        rg_command = [rg, "--no-config", "-j2", "-o", "-N", "--no-heading", pattern, str(args.dir)]
        rg_time, rg_run = timed(rg_command, args.runs)
        if rg_run.returncode != 0:
            sys.exit(f"ripgrep failed: {rg_run.stderr.decode()}")
        urls = rg_run.stdout.count(b"\n")
        print(
            f"{version.splitlines()[0]} -j2: {rg_time:.3f} s (median of {args.runs}), "
            f"{urls:,} URLs matched"
        )

    import json

    for label, config, goal in (("few findings", owner, 4), ("finding-dense", dense, 5)):
        costwatch = [
            sys.executable,
            "-m",
            "costwatch",
            "links",
            str(args.dir),
            "--config",
            str(config),
            "--format",
            "json",
            "--fail-on",
            "never",
        ]
        outputs = []
        for scanner, env in scanners():
            cw_time, cw_cpu, cw_run = timed_cpu(costwatch, args.runs, env=env)
            if cw_run.returncode != 0:
                sys.exit(f"costwatch failed: {cw_run.stderr.decode()}")
            report = json.loads(cw_run.stdout)
            outputs.append((report["findings"], report["incomplete"]))
            found = len(report["findings"])
            line = f"costwatch links, {label}, {scanner}: {cw_time:.3f} s (median of {args.runs}), "
            line += f"CPU {cw_cpu:.3f} s, {found:,} findings"
            if rg_time:
                line += f"; {cw_time / rg_time:.2f}x ripgrep (goal: {goal}x or less)"
            print(line)
            if args.reference is not None:
                differing = compare_formats(args.dir, config, args.reference, env)
                verdict = "identical" if not differing else "DIFFERENT in " + ", ".join(differing)
                print(f"  findings against {args.reference} in {', '.join(FORMATS)}: {verdict}")
        if any(output != outputs[0] for output in outputs):
            sys.exit(f"{label}: the scanners report different findings")
        if args.reference is not None:
            env = {**installed_like_env(), "PYTHONPATH": str(args.reference)}
            env.pop(NO_HYPERSCAN, None)
            ref_time, ref_cpu, _ = timed_cpu(costwatch, args.runs, cwd=args.dir.parent, env=env)
            print(f"  the reference checkout: {ref_time:.3f} s, CPU {ref_cpu:.3f} s")


if __name__ == "__main__":
    main()
