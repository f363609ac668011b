"""Benchmark: `costwatch links` on the long lines that once made it quadratic.

Three generated files, each scanned by a separate `costwatch links --format json` process:

- one 447 KB line of 8,000 comma-separated URLs (a data export, a sitemap flattened to a
  line): each URL must be read once, not to the end of the line;
- minified bundles of 350 KB and 1.2 MB holding one `costwatch: ignore` comment and a link
  every 40 bytes or so: the comment is read once per file, not once per link.

Prints wall time, peak memory of the process and the size of the JSON report for each, so
the numbers in README.md can be checked. Time and memory must grow linearly with the input.

    python benchmarks/hostile_lines.py [--dir PATH]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def comma_line(count: int) -> str:
    urls = (f"https://storage.googleapis.com/bucket-{i:05d}/photo-{i}.webp" for i in range(count))
    return ",".join(urls) + "\n"


def minified_bundle(target_bytes: int) -> str:
    parts = ["/* costwatch: ignore[CW307] partner bucket, audited in their project */"]
    size, i = 0, 0
    while size < target_bytes:
        piece = f'a{i}={{src:"https://drive.google.com/uc?id=file{i}",w:{i % 640}}};'
        parts.append(piece)
        size += len(piece)
        i += 1
    return "".join(parts) + "\n"


def run(site: Path) -> tuple[float, int, int, int]:
    """(seconds, peak RSS in MB, JSON bytes, findings) for one whole process."""
    command = [sys.executable, "-m", "costwatch", "links", str(site), "--format", "json"]
    command += ["--fail-on", "never"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"costwatch failed: {done.stderr.decode()}")
    import json

    findings = len(json.loads(done.stdout)["findings"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return seconds, peak, len(done.stdout), findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(__file__).parent / ".work" / "hostile")
    args = parser.parse_args()
    cases = {
        "447 KB line, 8,000 comma-separated URLs": ("export.txt", comma_line(8_000)),
        "350 KB minified bundle, one ignore comment": ("bundle.min.js", minified_bundle(350_000)),
        "1.2 MB minified bundle, one ignore comment": ("big.min.js", minified_bundle(1_200_000)),
    }
    for label, (name, text) in cases.items():
        site = args.dir / name.split(".")[0]
        if site.exists():
            shutil.rmtree(site)
        site.mkdir(parents=True)
        (site / name).write_text(text, encoding="utf-8")
        seconds, peak, size, findings = run(site)
        print(
            f"{label}: {seconds:.2f} s, peak RSS so far {peak} MB, "
            f"{size / 1e6:.1f} MB of JSON, {findings:,} findings"
        )


if __name__ == "__main__":
    main()
