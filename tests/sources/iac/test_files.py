"""Shell text inside Makefiles, package.json, workflows, GitLab CI and Cloud Build files."""

from __future__ import annotations

from pathlib import Path

import pytest

from costwatch.sources.iac.files import FileKind, find_files, kind_of, read_script
from costwatch.sources.iac.records import Harvest


def scan(tmp_path: Path, name: str, text: str | bytes) -> Harvest:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    kind = kind_of(path)
    assert kind is not None
    harvest = Harvest()
    read_script(path, name, kind, harvest)
    return harvest


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("main.tf", FileKind.TERRAFORM),
        ("deploy.sh", FileKind.SHELL),
        ("Makefile", FileKind.MAKEFILE),
        ("infra.mk", FileKind.MAKEFILE),
        ("package.json", FileKind.PACKAGE_JSON),
        (".github/workflows/deploy.yml", FileKind.WORKFLOW),
        (".github/actions/x/action.yml", FileKind.WORKFLOW),
        (".gitlab-ci.yml", FileKind.GITLAB),
        ("cloudbuild.yaml", FileKind.CLOUDBUILD),
        ("plan.json", FileKind.PLAN),
        ("config.yml", None),
        ("README.md", None),
    ],
)
def test_kinds(name: str, kind: FileKind | None) -> None:
    assert kind_of(Path(name)) is kind


def test_makefile_recipes(tmp_path: Path) -> None:
    text = "BUCKET := x\n\ndeploy:\n\tgsutil mb -l us-west1 \\\n\t  gs://site\n\techo done\n"
    found = scan(tmp_path, "Makefile", text)
    assert [(b.name.value, b.origin.line) for b in found.buckets] == [("site", 4)]


def test_package_json_scripts(tmp_path: Path) -> None:
    text = (
        '{\n  "name": "site",\n  "scripts": {\n    "build": "vite build",\n'
        '    "bucket": "gcloud storage buckets create gs://site --location=us-west1"\n  }\n}\n'
    )
    found = scan(tmp_path, "package.json", text)
    assert [(b.name.value, b.origin.line) for b in found.buckets] == [("site", 5)]


def test_workflow_run_steps(tmp_path: Path) -> None:
    text = (
        "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: gsutil mb gs://one\n"
        "      - name: create\n        run: |\n          echo start\n"
        "          gcloud storage buckets create gs://two \\\n            --location=us-west1\n"
    )
    found = scan(tmp_path, ".github/workflows/deploy.yml", text)
    assert [(b.name.value, b.origin.line) for b in found.buckets] == [("one", 7), ("two", 11)]


def test_gitlab_script_lists(tmp_path: Path) -> None:
    text = "deploy:\n  script:\n    - echo hi\n    - gsutil mb -l us-east1 gs://g\n"
    found = scan(tmp_path, ".gitlab-ci.yml", text)
    assert [(b.name.value, b.origin.line) for b in found.buckets] == [("g", 4)]


def test_cloudbuild_steps(tmp_path: Path) -> None:
    text = (
        "steps:\n"
        "- name: gcr.io/cloud-builders/gsutil\n  args: ['mb', '-l', 'us-west1', 'gs://$PROJECT_ID-site']\n"
        "- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n  entrypoint: gcloud\n"
        "  args: ['storage', 'buckets', 'create', 'gs://cb', '--location=eu']\n"
        "- name: gcr.io/cloud-builders/gcloud\n  entrypoint: bash\n  args:\n  - -c\n"
        "  - |\n    gsutil iam ch allUsers:objectViewer gs://cb\n"
        "- name: ubuntu\n  script: gsutil mb gs://scripted\n"
    )
    found = scan(tmp_path, "cloudbuild.yaml", text)
    names = sorted((str(b.name.value or b.name.note), b.origin.line) for b in found.buckets)
    assert names == [
        ("bucket gs://$PROJECT_ID-site: a variable", 3),
        ("cb", 6),
        ("scripted", 14),
    ]
    assert [(g.member, g.origin.line) for g in found.grants] == [("allUsers", 12)]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("deploy.sh", b"\x7fELF\x00\x01gsutil mb", "binary file, not text"),
        ("deploy.sh", b"gsutil mb gs://a \xff\xfe\n", "not UTF-8 text"),
        ("deploy.sh", b"echo 'it is broken\n", "unbalanced quotes: the script cannot be read"),
        (
            "package.json",
            b'{"scripts": {"a": "gsutil mb gs://a"',
            "not valid JSON: Expecting ',' delimiter",
        ),
        (".gitlab-ci.yml", b"deploy: [gsutil mb gs://a\n", "does not parse as YAML"),
    ],
)
def test_unreadable_files_are_listed(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    found = scan(tmp_path, name, data)
    assert [u.reason for u in found.unchecked] == [reason]


def test_find_files_skips_vendored_folders_and_reads_shebangs(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "deploy.sh").write_text("gsutil mb gs://x\n")
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "main.tf").write_text("")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "publish").write_text("#!/usr/bin/env bash\ngsutil mb gs://y\n")
    (tmp_path / "bin" / "notes").write_text("plain text\n")
    found = find_files([tmp_path])
    assert {k: [p.name for p in v] for k, v in found.files.items()} == {FileKind.SHELL: ["publish"]}
