"""The gate: records judged by the bucket rules, defaults said, fixes in the file's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from costwatch.checks.gate import CheckOptions, run_gate
from costwatch.config import BucketSettings, Config
from costwatch.findings import Finding
from costwatch.fixes import fix_text
from costwatch.rules.registry import BUCKET_RULES, all_rule_docs
from costwatch.sources.iac.defaults import DEFAULTS

DEFAULT_CONFIG = Config()


def check(
    tmp_path: Path, files: dict[str, str], config: Config = DEFAULT_CONFIG, strict: bool = False
) -> tuple[list[Finding], list[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = run_gate(config, CheckOptions((tmp_path,), tmp_path, strict=strict))
    return list(result.findings), [f"{i.resource}: {i.reason}" for i in result.incomplete]


def where(findings: list[Finding]) -> set[tuple[str, str | None, int | None]]:
    return {(f.rule_id, f.path, f.line) for f in findings}


def test_console_defaults_are_judged_and_said(tmp_path: Path) -> None:
    findings, unchecked = check(
        tmp_path, {"deploy.sh": "gcloud storage buckets create gs://gallery\n"}
    )
    assert where(findings) == {
        ("CW102", "deploy.sh", 1),
        ("CW106", "deploy.sh", 1),
        ("CW114", "deploy.sh", 1),
    }
    by_rule = {f.rule_id: f.message for f in findings}
    assert "omitted; buckets are created in the US multi-region" in by_rule["CW102"]
    assert "--location=us-west1" in str(fix_text(next(f for f in findings if f.rule_id == "CW102")))
    assert "omitted; the API applies 7 days" in by_rule["CW106"]
    assert unchecked == []


def test_a_clean_bucket_has_no_findings(tmp_path: Path) -> None:
    text = (
        "gcloud storage buckets create gs://gallery --location=us-west1 "
        "--uniform-bucket-level-access --soft-delete-duration=0\n"
        "gcloud storage buckets add-iam-policy-binding gs://gallery --member=allUsers "
        "--role=roles/storage.legacyObjectReader\n"
    )
    assert check(tmp_path, {"deploy.sh": text}) == ([], [])


def test_terraform_fix_is_an_attribute(tmp_path: Path) -> None:
    text = 'resource "google_storage_bucket" "g" {\n  name = "g"\n  location = "EU"\n}\n'
    findings, _ = check(tmp_path, {"main.tf": text})
    cw102 = next(f for f in findings if f.rule_id == "CW102")
    assert (cw102.path, cw102.line) == ("main.tf", 1)
    fix = str(fix_text(cw102))
    assert 'location = "US-WEST1"' in fix and "gcloud" not in fix


def test_gsutil_fixes_use_gsutil_flags(tmp_path: Path) -> None:
    findings, _ = check(tmp_path, {"d.sh": "gsutil mb gs://g\n"})
    fixes = {f.rule_id: fix_text(f) for f in findings}
    assert (
        fixes["CW102"]
        == "`-l us-west1` on gsutil mb (without -l it creates a US multi-region bucket)"
    )
    assert "--clear-soft-delete" in str(fixes["CW106"])
    assert fixes["CW114"] == "`-b on` on gsutil mb (or `gsutil ubla set on gs://g`)"


def test_unknown_values_are_listed_not_guessed(tmp_path: Path) -> None:
    text = 'variable "region" {}\nresource "google_storage_bucket" "g" {\n  name = "g"\n  location = var.region\n}\n'
    findings, unchecked = check(tmp_path, {"main.tf": text})
    assert not any(f.rule_id in ("CW101", "CW102", "CW103") for f in findings)
    assert unchecked == [
        "main.tf:2 (gs://g): CW101, CW102, CW103 not checked: location: "
        "location = var.region: no value"
    ]


def test_a_patch_is_judged_only_on_what_it_sets(tmp_path: Path) -> None:
    findings, unchecked = check(tmp_path, {"d.sh": "gsutil versioning set on gs://g\n"})
    # Alone, the bucket's lifecycle rules are not in the files: CW107 cannot be judged.
    assert findings == []
    assert unchecked == [
        "d.sh:1 (gs://g): CW107 not checked: lifecycle rules: not changed by this command"
    ]


def test_a_patch_is_merged_onto_the_bucket_the_files_create(tmp_path: Path) -> None:
    text = (
        "gsutil mb -l us-west1 -b on gs://g\n"
        "gcloud storage buckets update gs://g --clear-soft-delete\n"
        "gsutil versioning set on gs://g\n"
    )
    findings, unchecked = check(tmp_path, {"d.sh": text})
    assert where(findings) == {("CW106", "d.sh", 1), ("CW107", "d.sh", 3)}
    assert unchecked == []


@pytest.mark.parametrize(
    ("command", "rule_id"),
    [
        ("gsutil mb -l europe-west1 gs://g", "CW101"),
        ("gsutil mb -l us gs://g", "CW102"),
        ("gsutil mb -l nam4 gs://g", "CW103"),
        ("gsutil mb -l us-west1 -c nearline gs://g", "CW104"),
        ("gsutil mb -l us-west1 --autoclass gs://g", "CW105"),
        ("gsutil mb -l us-west1 gs://g", "CW106"),
        ("gsutil mb -l us-west1 gs://g && gsutil versioning set on gs://g", "CW107"),
        ("gcloud storage buckets update gs://g --requester-pays", "CW108"),
        ("gcloud storage buckets update gs://g --rpo=ASYNC_TURBO", "CW109"),
        ("gcloud storage buckets update gs://g --pap", "CW110"),
        ("gsutil iam ch allUsers:objectAdmin gs://g", "CW112"),
        ("gsutil iam ch allUsers:objectViewer gs://g", "CW113"),
        ("gsutil mb -l us-west1 -b off gs://g", "CW114"),
    ],
)
def test_each_bucket_rule_fires_from_a_script(tmp_path: Path, command: str, rule_id: str) -> None:
    findings, _ = check(tmp_path, {"d.sh": command + "\n"})
    assert rule_id in {f.rule_id for f in findings}


def test_config_intent_wins(tmp_path: Path) -> None:
    private = Config(bucket_settings={"vault": BucketSettings(public=False)})
    findings, _ = check(
        tmp_path, {"d.sh": "gsutil iam ch allUsers:legacyObjectReader gs://vault\n"}, private
    )
    assert [(f.rule_id, f.severity.value) for f in findings] == [("CW112", "error")]
    approved = Config(approved_dual_regions=("NAM4",))
    findings, _ = check(tmp_path, {"d.sh": "gsutil mb -l nam4 -b on gs://dr\n"}, approved)
    assert [(f.rule_id, f.severity.value) for f in findings if f.rule_id == "CW103"] == [
        ("CW103", "note")
    ]


def test_one_bucket_in_several_places_is_reported_once_per_location(tmp_path: Path) -> None:
    files = {
        "deploy.sh": "gsutil mb gs://gallery\n",
        "main.tf": (
            'resource "google_storage_bucket_iam_member" "m" {\n  bucket = "gallery"\n'
            '  role = "roles/storage.objectAdmin"\n  member = "allUsers"\n}\n'
        ),
        "ci.sh": "gsutil iam ch allUsers:objectAdmin gs://gallery\n",
    }
    findings, _ = check(tmp_path, files)
    assert ("CW102", "deploy.sh", 1) in where(findings)
    assert {("CW112", "main.tf", 1), ("CW112", "ci.sh", 1)} <= where(findings)
    assert len([f for f in findings if f.rule_id == "CW112"]) == 2
    assert "allUsers roles/storage.objectAdmin" in next(
        f.message for f in findings if f.path == "main.tf"
    )


def test_complete_policy_without_public_read_is_cw111(tmp_path: Path) -> None:
    text = (
        'resource "google_storage_bucket" "g" {\n  name = "g"\n  location = "us-west1"\n'
        "  uniform_bucket_level_access = true\n  soft_delete_policy {\n"
        "    retention_duration_seconds = 0\n  }\n}\n"
        'data "google_iam_policy" "p" {\n  binding {\n    role = "roles/storage.admin"\n'
        '    members = ["user:me@example.com"]\n  }\n}\n'
        'resource "google_storage_bucket_iam_policy" "pol" {\n'
        "  bucket = google_storage_bucket.g.name\n"
        "  policy_data = data.google_iam_policy.p.policy_data\n}\n"
    )
    findings, _ = check(tmp_path, {"main.tf": text})
    assert where(findings) == {("CW111", "main.tf", 1)}


def test_partial_iam_is_not_cw111(tmp_path: Path) -> None:
    text = (
        'resource "google_storage_bucket" "g" {\n  name = "g"\n  location = "us-west1"\n'
        "  uniform_bucket_level_access = true\n}\n"
    )
    findings, _ = check(tmp_path, {"main.tf": text})
    assert "CW111" not in {f.rule_id for f in findings}


def test_inline_suppressions_in_hcl_and_shell(tmp_path: Path) -> None:
    files = {
        "d.sh": "# costwatch: ignore[CW102,CW106] legacy bucket, moving in Q1\ngsutil mb -b on gs://old\n",
        "main.tf": (
            'resource "google_storage_bucket" "g" {\n  name = "g"\n'
            '  location = "us-west1" # costwatch: ignore[CW106] soft delete wanted here\n'
            "  uniform_bucket_level_access = true\n}\n"
        ),
        "e.sh": "gsutil mb -l us-west1 -b on gs://x  # costwatch: ignore[CW106]\n",
    }
    findings, _ = check(tmp_path, files)
    assert where(findings) == {("CW106", "e.sh", 1), ("CW300", "e.sh", 1)}


def test_plan_and_source_in_one_tree(tmp_path: Path) -> None:
    tf = 'resource "google_storage_bucket" "site" {\n  name = "gallery"\n  location = var.loc\n}\nvariable "loc" {}\n'
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "resource_changes": [
            {
                "address": "google_storage_bucket.site",
                "mode": "managed",
                "type": "google_storage_bucket",
                "name": "site",
                "change": {
                    "actions": ["create"],
                    "after": {"name": "gallery", "location": "US", "versioning": []},
                    "after_unknown": {
                        "soft_delete_policy": True,
                        "uniform_bucket_level_access": True,
                    },
                },
            }
        ],
    }
    findings, unchecked = check(tmp_path, {"main.tf": tf, "tfplan.out.json": json.dumps(plan)})
    # The plan knows what the source could not, and its findings sit on the .tf block.
    assert where(findings) == {
        ("CW102", "main.tf", 1),
        ("CW106", "main.tf", 1),
        ("CW114", "main.tf", 1),
    }
    assert unchecked == []
    said = next(f.message for f in findings if f.rule_id == "CW106")
    assert "not set, known only after apply; the API applies 7 days" in said


def test_bad_input_is_listed_and_the_run_goes_on(tmp_path: Path) -> None:
    files = {
        "broken.tf": 'resource "x" {\n  a = \n}\n',
        "plan.json": '{"format_version": "2.0", "terraform_version": "2.0.0", "resource_changes": []}',
        "good.sh": "gsutil mb gs://g\n",
    }
    (tmp_path / "deploy.sh").write_bytes(b"\x00\x01gsutil\x02")
    findings, unchecked = check(tmp_path, files)
    assert {f.rule_id for f in findings} == {"CW102", "CW106", "CW114"}
    assert sorted(unchecked) == [
        "broken.tf:2: does not parse as HCL at line 2, column 7",
        "deploy.sh: binary file, not text",
        "plan.json: plan format_version '2.0' is not supported (1.x)",
    ]


def test_every_bucket_rule_says_where_it_applies() -> None:
    docs = {d.id: d.applies_to for d in all_rule_docs()}
    assert all("Terraform" in docs[rule.id] and "live" in docs[rule.id] for rule in BUCKET_RULES)


def test_defaults_table_has_a_source_for_every_row() -> None:
    assert all(row[1].startswith("omitted") and row[2] for row in DEFAULTS.values())


def test_a_patch_on_a_variable_bucket_is_not_merged_onto_another_variable_bucket(
    tmp_path: Path,
) -> None:
    files = {
        "a.sh": 'gsutil mb -l us-west1 -b on "gs://$BUCKET"\n',
        "b.sh": 'gsutil versioning set on "gs://$BUCKET"\n',
    }
    findings, unchecked = check(tmp_path, files)
    assert ("CW107", "b.sh", 1) not in where(findings)
    assert any("b.sh:1" in u and "CW107 not checked" in u for u in unchecked)
