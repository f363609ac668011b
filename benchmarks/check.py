"""Time ``costwatch check`` as a whole process on a repository of about 5,000 files.

The tree (deterministic, under ``benchmarks/.work/check``): a site's source and its build
output (HTML, JSX, CSS, JSON; the config's ``site`` folder, so the link scan of source and
build output runs too), 200 ``.tf`` files in 40 modules (buckets, IAM members, variables,
locals, ``terraform.tfvars``), 100 deploy scripts (``gcloud``/``gsutil`` lines among ordinary
shell), a few Makefiles and workflows. Each run is a fresh ``costwatch check`` process with
stdout captured; the median of ``--runs`` is printed, after one warm-up run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).parent / ".work" / "check"

TF_BUCKET = """variable "region_{n}" {{
  default = "{region}"
}}

locals {{
  name_{n} = "gallery-{n}-${{var.region_{n}}}"
}}

resource "google_storage_bucket" "b{n}" {{
  name     = local.name_{n}
  location = var.region_{n}
  storage_class = "STANDARD"
  uniform_bucket_level_access = {ubla}

  soft_delete_policy {{
    retention_duration_seconds = {soft}
  }}

  versioning {{
    enabled = {versioning}
  }}
}}

resource "google_storage_bucket_iam_member" "b{n}_public" {{
  bucket = google_storage_bucket.b{n}.name
  role   = "{role}"
  member = "allUsers"
}}
"""

SCRIPT = """#!/usr/bin/env bash
set -euo pipefail
BUCKET="site-{n}"
echo "deploying build {n}"
npm ci && npm run build
{create}
gsutil -m rsync -r -d dist "gs://$BUCKET"
gcloud storage buckets add-iam-policy-binding "gs://$BUCKET" \\
  --member=allUsers --role={role}
for f in dist/*.html; do echo "$f"; done
"""


def _site_file(rng: random.Random, n: int) -> tuple[str, str]:
    kind = rng.choice(["html", "jsx", "css", "json", "md"])
    lines = []
    for i in range(rng.randint(40, 160)):
        if i % 12 == 0:
            lines.append(f'<img src="https://storage.googleapis.com/gallery-{n % 50}/a{i}.webp">')
        else:
            lines.append(f"<p class=c{i}>{'lorem ipsum dolor sit amet ' * rng.randint(1, 4)}</p>")
    return kind, "\n".join(lines) + "\n"


def generate(root: Path, seed: int = 11) -> dict[str, int]:
    """Write the tree; return how many files of each kind."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    counts = {"site source": 0, "build output": 0, "terraform": 0, "scripts": 0, "other": 0}
    for n in range(2300):
        kind, text = _site_file(rng, n)
        path = root / "site" / "src" / f"d{n % 40}" / f"page{n}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        counts["site source"] += 1
    for n in range(2300):
        kind, text = _site_file(rng, n)
        path = root / "site" / "dist" / "assets" / f"chunk{n}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        counts["build output"] += 1
    regions = ["us-west1", "us-central1", "US", "eu", "nam4", "us-east1"]
    roles = ["roles/storage.legacyObjectReader", "roles/storage.objectViewer"]
    for module in range(40):
        folder = root / "infra" / f"stack{module}"
        folder.mkdir(parents=True, exist_ok=True)
        for part in range(5):
            n = module * 5 + part
            (folder / f"bucket{part}.tf").write_text(
                TF_BUCKET.format(
                    n=n,
                    region=rng.choice(regions),
                    ubla=rng.choice(["true", "false"]),
                    soft=rng.choice([0, 604800]),
                    versioning=rng.choice(["true", "false"]),
                    role=rng.choice(roles),
                )
            )
            counts["terraform"] += 1
        (folder / "terraform.tfvars").write_text(f'region_{module * 5} = "us-west1"\n')
        counts["other"] += 1
    for n in range(100):
        create = rng.choice(
            [
                'gcloud storage buckets create "gs://$BUCKET" --location=us-west1 '
                "--uniform-bucket-level-access",
                'gsutil mb "gs://$BUCKET"',
                'gsutil mb -l us-east1 -b on "gs://$BUCKET"',
            ]
        )
        path = root / "scripts" / f"deploy{n}.sh"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SCRIPT.format(n=n, create=create, role=rng.choice(roles)))
        counts["scripts"] += 1
    for n in range(5):
        (root / f"pkg{n}").mkdir(parents=True, exist_ok=True)
        (root / f"pkg{n}" / "Makefile").write_text(
            "deploy:\n\tgsutil mb -l us-west1 gs://make-" + str(n) + "\n"
        )
        workflow = root / ".github" / "workflows" / f"deploy{n}.yml"
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n"
            f"      - run: gcloud storage buckets create gs://wf-{n} --location=us-west1\n"
        )
        counts["other"] += 2
    listed = ", ".join(f'"gallery-{n}"' for n in range(50))
    (root / "costwatch.toml").write_text(f'site = ["site"]\nbuckets = [{listed}]\n')
    counts["other"] += 1
    return counts


def timed(command: list[str], cwd: Path, runs: int, env: dict[str, str]) -> tuple[list[float], str]:
    # One warm-up run: the page cache, and (unless turned off) costwatch's parse cache.
    subprocess.run(command, cwd=cwd, capture_output=True, timeout=120, env=env)
    times = []
    last = ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env
        )
        times.append(time.perf_counter() - start)
        last = result.stderr
    return times, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Reuse the generated tree.")
    args = parser.parse_args()
    if not args.keep or not WORK.exists():
        counts = generate(WORK)
        total = sum(counts.values())
        print(f"generated {total} files: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    costwatch = shutil.which("costwatch", path=str(Path(sys.executable).parent)) or "costwatch"
    command = [costwatch, "check", ".", "--format", "json", "--fail-on", "never"]
    cache_home = WORK.parent / "cache"
    shutil.rmtree(cache_home, ignore_errors=True)
    modes = {
        "no parse cache (a fresh CI runner)": {"COSTWATCH_NO_CACHE": "1"},
        "parse cache warm (pre-commit, a second run)": {"XDG_CACHE_HOME": str(cache_home)},
    }
    for label, extra in modes.items():
        env = {**os.environ, **extra}
        if "COSTWATCH_NO_CACHE" not in extra:
            env.pop("COSTWATCH_NO_CACHE", None)
        times, stderr = timed(command, WORK, args.runs, env)
        print(f"costwatch check, {label}: median {statistics.median(times):.3f} s")
        print("  runs: " + ", ".join(f"{t:.3f}" for t in times))
        if stderr.strip():
            print("  stderr: " + stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
