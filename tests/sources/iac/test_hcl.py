"""Terraform source: resources, values as Terraform resolves them, unknowns with expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from costwatch.sources.iac import records as r
from costwatch.sources.iac.hcl import VarInputs, parse_blocks, parse_cli_var, read_terraform
from costwatch.sources.iac.records import Certainty, GrantKind, Harvest

NO_INPUTS = VarInputs()


def read(tmp_path: Path, files: dict[str, str], inputs: VarInputs = NO_INPUTS) -> Harvest:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    folders = sorted({(tmp_path / n).parent for n in files if n.endswith(".tf")}) or [tmp_path]
    return read_terraform(folders, tmp_path, inputs)


def bucket(body: str) -> str:
    return f'resource "google_storage_bucket" "b" {{\n  name = "gallery"\n{body}\n}}\n'


def test_block_lines_come_from_the_parse_tree() -> None:
    # python-hcl2 8.1's with_meta adds no line numbers; the tree's positions do.
    blocks = parse_blocks('\n\nresource "a" "b" {\n  x = 1\n}\n', "main.tf")
    assert (blocks[0].kind, blocks[0].labels, blocks[0].line, blocks[0].end_line) == (
        "resource",
        ("a", "b"),
        3,
        5,
    )


@pytest.mark.parametrize(
    ("attribute", "key", "expected"),
    [
        ('location = "us-west1"', r.LOCATION, "US-WEST1"),
        ('storage_class = "nearline"', r.STORAGE_CLASS, "NEARLINE"),
        ("requester_pays = true", r.REQUESTER_PAYS, True),
        ('rpo = "async_turbo"', r.RPO, "ASYNC_TURBO"),
        ('public_access_prevention = "enforced"', r.PUBLIC_ACCESS_PREVENTION, "enforced"),
        ("uniform_bucket_level_access = false", r.UNIFORM_ACCESS, False),
        ("autoclass {\n enabled = true\n}", r.AUTOCLASS, True),
        ("soft_delete_policy {\n retention_duration_seconds = 0\n}", r.SOFT_DELETE_SECONDS, 0),
        ("versioning {\n enabled = true\n}", r.VERSIONING, True),
        (
            'custom_placement_config {\n data_locations = ["us-east1", "us-west1"]\n}',
            r.DATA_LOCATIONS,
            ("US-EAST1", "US-WEST1"),
        ),
        (
            'lifecycle_rule {\n action {\n type = "Delete"\n }\n condition {\n num_newer_versions = 3\n }\n}',
            r.LIFECYCLE_DELETES_NONCURRENT,
            True,
        ),
        (
            'lifecycle_rule {\n action {\n type = "Delete"\n }\n condition {\n days_since_noncurrent_time = 0\n }\n}',
            r.LIFECYCLE_DELETES_NONCURRENT,
            False,
        ),
    ],
)
def test_bucket_attributes(tmp_path: Path, attribute: str, key: str, expected: object) -> None:
    found = read(tmp_path, {"main.tf": bucket(attribute)})
    assert found.buckets[0].settings[key].value == expected


def test_omitted_attributes_are_absent_not_guessed(tmp_path: Path) -> None:
    found = read(tmp_path, {"main.tf": bucket('location = "US"')})
    settings = found.buckets[0].settings
    assert r.SOFT_DELETE_SECONDS not in settings and r.UNIFORM_ACCESS not in settings
    assert found.buckets[0].origin.line == 1
    assert found.buckets[0].origin.address == "google_storage_bucket.b"


def test_variable_precedence(tmp_path: Path) -> None:
    files = {
        "main.tf": 'variable "region" {\n default = "eu"\n}\n' + bucket("location = var.region"),
        "terraform.tfvars": 'region = "asia"\n',
        "b.auto.tfvars": 'region = "us-east1"\n',
        "a.auto.tfvars": 'region = "europe-west1"\n',
        "extra.tfvars": 'region = "us-central1"\n',
    }
    found = read(tmp_path, files)
    assert found.buckets[0].settings[r.LOCATION].value == "US-EAST1"  # auto.tfvars in name order
    with_file = read(tmp_path, {}, VarInputs(var_files=(tmp_path / "extra.tfvars",)))
    assert with_file.buckets[0].settings[r.LOCATION].value == "US-CENTRAL1"
    with_var = read(
        tmp_path,
        {},
        VarInputs((tmp_path / "extra.tfvars",), (parse_cli_var("region=us-west1"),)),
    )
    assert with_var.buckets[0].settings[r.LOCATION].value == "US-WEST1"


def test_environment_variables_sit_below_tfvars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TF_VAR_region", "asia")
    text = 'variable "region" {\n default = "eu"\n}\n' + bucket("location = var.region")
    assert read(tmp_path, {"main.tf": text}).buckets[0].settings[r.LOCATION].value == "ASIA"
    (tmp_path / "terraform.tfvars").write_text('region = "us-east1"\n')
    assert read(tmp_path, {}).buckets[0].settings[r.LOCATION].value == "US-EAST1"


def test_variable_without_value_is_unknown_with_expression(tmp_path: Path) -> None:
    found = read(tmp_path, {"main.tf": 'variable "region" {}\n' + bucket("location = var.region")})
    value = found.buckets[0].settings[r.LOCATION]
    assert value.certainty is Certainty.UNKNOWN
    assert value.note == "location = var.region: no value"


def test_locals_templates_and_functions(tmp_path: Path) -> None:
    text = (
        'variable "env" {\n default = "prod"\n}\n'
        'locals {\n  region = "us-west1"\n  name = "site-${var.env}"\n  loc = local.region\n}\n'
        'resource "google_storage_bucket" "b" {\n  name = local.name\n  location = upper(local.loc)\n}\n'
    )
    found = read(tmp_path, {"main.tf": text})
    assert found.buckets[0].name.value == "site-prod"
    assert found.buckets[0].settings[r.LOCATION].value == "US-WEST1"


@pytest.mark.parametrize(
    "expression",
    ['var.on ? "US" : "EU"', "data.x.y.location", 'lookup(var.m, "a")', "local.missing"],
)
def test_unresolvable_expressions_stay_unknown(tmp_path: Path, expression: str) -> None:
    text = 'variable "on" {\n default = true\n}\n' + bucket(f"location = {expression}")
    value = read(tmp_path, {"main.tf": text}).buckets[0].settings[r.LOCATION]
    assert value.is_unknown and value.note.startswith("location = ")


def test_dynamic_block_is_unknown(tmp_path: Path) -> None:
    text = bucket('dynamic "versioning" {\n for_each = [1]\n content {\n enabled = true\n }\n}')
    value = read(tmp_path, {"main.tf": text}).buckets[0].settings[r.VERSIONING]
    assert value.is_unknown


def test_local_module_with_inputs(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "site" {\n  source = "./modules/bucket"\n  region = "eu"\n}\n',
        "modules/bucket/main.tf": (
            'variable "region" {}\nvariable "cls" {\n default = "coldline"\n}\n'
            'resource "google_storage_bucket" "m" {\n  name = "x"\n  location = var.region\n'
            "  storage_class = var.cls\n}\n"
        ),
    }
    found = read(tmp_path, files)
    assert len(found.buckets) == 1  # the module folder is read through its call only
    record = found.buckets[0]
    assert record.origin.address == "module.site.google_storage_bucket.m"
    assert record.origin.path == "modules/bucket/main.tf"
    assert record.settings[r.LOCATION].value == "EU"
    assert record.settings[r.STORAGE_CLASS].value == "COLDLINE"


def test_registry_module_is_listed_as_not_checked(tmp_path: Path) -> None:
    text = 'module "b" {\n  source = "terraform-google-modules/cloud-storage/google"\n}\n'
    found = read(tmp_path, {"main.tf": text})
    assert "not a local folder" in found.unchecked[0].reason


def test_iam_member_binding_and_policy(tmp_path: Path) -> None:
    text = bucket('location = "US-WEST1"') + (
        'resource "google_storage_bucket_iam_member" "m" {\n'
        "  bucket = google_storage_bucket.b.name\n"
        '  role = "roles/storage.objectViewer"\n  member = "allUsers"\n}\n'
        'resource "google_storage_bucket_iam_binding" "bd" {\n'
        '  bucket = "other"\n  role = "roles/storage.objectAdmin"\n'
        '  members = ["allUsers", "user:a@example.com"]\n}\n'
        'data "google_iam_policy" "p" {\n  binding {\n'
        '    role = "roles/storage.legacyObjectReader"\n    members = ["allUsers"]\n  }\n}\n'
        'resource "google_storage_bucket_iam_policy" "pol" {\n'
        "  bucket = google_storage_bucket.b.name\n"
        "  policy_data = data.google_iam_policy.p.policy_data\n}\n"
    )
    grants = read(tmp_path, {"main.tf": text}).grants
    summary = [(g.bucket.value, g.member, g.role, g.authoritative) for g in grants]
    assert summary == [
        ("gallery", "allUsers", "roles/storage.objectViewer", False),
        ("other", "allUsers", "roles/storage.objectAdmin", False),
        ("other", "user:a@example.com", "roles/storage.objectAdmin", False),
        ("gallery", "allUsers", "roles/storage.legacyObjectReader", True),
    ]
    assert grants[0].bucket_ref == "google_storage_bucket.b"


def test_acl_resources(tmp_path: Path) -> None:
    text = (
        'resource "google_storage_bucket_acl" "a" {\n  bucket = "g"\n'
        '  role_entity = ["OWNER:user-a@example.com", "READER:allUsers"]\n}\n'
        'resource "google_storage_bucket_acl" "p" {\n  bucket = "g"\n  predefined_acl = "publicReadWrite"\n}\n'
        'resource "google_storage_bucket_access_control" "c" {\n  bucket = "g"\n'
        '  role = "WRITER"\n  entity = "allAuthenticatedUsers"\n}\n'
        'resource "google_storage_default_object_access_control" "d" {\n  bucket = "g"\n'
        '  role = "READER"\n  entity = "allUsers"\n}\n'
    )
    grants = read(tmp_path, {"main.tf": text}).grants
    assert [(g.member, g.role, g.kind) for g in grants] == [
        ("allUsers", "roles/storage.legacyBucketReader", GrantKind.ACL),
        ("allUsers", "roles/storage.legacyBucketWriter", GrantKind.ACL),
        ("allAuthenticatedUsers", "roles/storage.legacyBucketWriter", GrantKind.ACL),
        ("allUsers", "roles/storage.legacyObjectReader", GrantKind.DEFAULT_ACL),
    ]


def test_file_that_does_not_parse_is_listed_and_the_rest_goes_on(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {"bad.tf": 'resource "x" {\n  a = \n}\n', "good.tf": bucket('location = "US"')},
    )
    assert len(found.buckets) == 1
    assert found.unchecked[0].path == "bad.tf"
    assert found.unchecked[0].reason.startswith("does not parse as HCL at line")
    assert found.unchecked[0].unreadable


def test_bad_tfvars_is_listed(tmp_path: Path) -> None:
    found = read(tmp_path, {"main.tf": bucket('location = "US"'), "terraform.tfvars": "x = = 1\n"})
    assert [u.path for u in found.unchecked] == ["terraform.tfvars"]


def test_cli_var_needs_an_equals_sign() -> None:
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_cli_var("region")


def test_null_means_not_set(tmp_path: Path) -> None:
    text = 'variable "cls" {\n default = null\n}\n' + bucket(
        "storage_class = var.cls\n  requester_pays = null"
    )
    settings = read(tmp_path, {"main.tf": text}).buckets[0].settings
    assert r.STORAGE_CLASS not in settings and r.REQUESTER_PAYS not in settings
