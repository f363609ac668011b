"""The neutral bucket model: how settings are known, location names, patches and merging."""

from __future__ import annotations

import pytest

from costwatch.checks.buckets import judge_buckets
from costwatch.config import Config
from costwatch.model import (
    Binding,
    BucketPatch,
    BucketSnapshot,
    IamCompleteness,
    IamPolicy,
    Known,
    LocationType,
    Origin,
    Setting,
    SourceKind,
    acl_binding,
    location_type_from_name,
    merge,
)

TF = Origin(SourceKind.TERRAFORM, "infra/main.tf", 12, "google_storage_bucket.gallery")


def planned(**settings: Setting[object]) -> BucketSnapshot:
    """A bucket as Terraform might describe it: every setting a provider default unless given."""
    base: dict[str, Setting[object]] = {
        "location": Setting.of("US-WEST1"),
        "location_type": Setting.of(LocationType.REGION),
        "data_locations": Setting.of(()),
        "storage_class": Setting.default("STANDARD", "omitted; the API applies STANDARD"),
        "autoclass": Setting.default(False, "omitted; off"),
        "soft_delete_seconds": Setting.default(604800, "omitted; the API applies 7 days"),
        "versioning": Setting.default(False, "omitted; off"),
        "lifecycle_rules": Setting.of(()),
        "requester_pays": Setting.default(False, "omitted; off"),
        "rpo": Setting.default("DEFAULT", "omitted"),
        "public_access_prevention": Setting.default("inherited", "omitted; inherited"),
        "uniform_access": Setting.of(True),
    }
    base.update(settings)
    policy = IamPolicy(
        (Binding("roles/storage.legacyObjectReader", ("allUsers",)),), IamCompleteness.PARTIAL
    )
    return BucketSnapshot("gallery", TF, iam=policy, **base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "placement", "expected"),
    [
        ("US", (), LocationType.MULTI_REGION),
        ("eu", (), LocationType.MULTI_REGION),
        ("ASIA", (), LocationType.MULTI_REGION),
        ("US", ("US-EAST1", "US-WEST1"), LocationType.DUAL_REGION),
        ("NAM4", (), LocationType.DUAL_REGION),
        ("eur4", (), LocationType.DUAL_REGION),
        ("ASIA1", (), LocationType.DUAL_REGION),
        ("us-west1", (), LocationType.REGION),
        ("EUROPE-WEST4", (), LocationType.REGION),
    ],
)
def test_location_type_from_the_name(
    name: str, placement: tuple[str, ...], expected: LocationType
) -> None:
    assert location_type_from_name(name, placement) is expected


def test_setting_states() -> None:
    assert Setting.of(3).known is Known.KNOWN
    default = Setting.default(604800, "omitted; the API applies 7 days")
    assert default.known is Known.DEFAULT and default.value == 604800
    unknown: Setting[int] = Setting.unknown("location = var.region: no value")
    assert unknown.is_unknown and unknown.value is None
    assert unknown.get(0) == 0


def test_acl_entities_in_any_spelling() -> None:
    assert acl_binding("AllUsers", "R".replace("R", "READER"), default_object=True) == Binding(
        "roles/storage.legacyObjectReader", ("allUsers",)
    )
    assert acl_binding("allAuthenticatedUsers", "WRITER", default_object=False) == Binding(
        "roles/storage.legacyBucketWriter", ("allAuthenticatedUsers",)
    )
    assert acl_binding("user-someone@example.com", "OWNER", default_object=False) is None


def test_patch_changes_only_what_it_names_and_moves_the_origin() -> None:
    script = Origin(SourceKind.SCRIPT, "deploy.sh", 7)
    patch = BucketPatch(
        "gallery",
        script,
        settings=(("versioning", Setting.of(True)),),
        add_bindings=(Binding("roles/storage.objectAdmin", ("allUsers",)),),
    )
    merged = merge(planned(), patch)
    assert merged.versioning == Setting.of(True)
    assert merged.soft_delete_seconds == planned().soft_delete_seconds
    assert merged.origin == script
    assert len(merged.iam.bindings) == 2
    assert merged.iam.completeness is IamCompleteness.PARTIAL


def test_patch_refuses_an_unknown_setting() -> None:
    with pytest.raises(ValueError, match="unknown bucket setting"):
        BucketPatch("b", Origin(), settings=(("colour", Setting.of("blue")),))


def test_a_documented_default_is_judged_and_says_so() -> None:
    findings, not_checked = judge_buckets([planned()], Config())
    assert not_checked == []
    (soft_delete,) = [f for f in findings if f.rule_id == "CW106"]
    assert "omitted; the API applies 7 days" in soft_delete.message
    assert soft_delete.path == "infra/main.tf" and soft_delete.line == 12


def test_an_unknown_value_is_not_checked_never_passed() -> None:
    snapshot = planned(location=Setting.unknown("location = var.region: no value"))
    findings, not_checked = judge_buckets([snapshot], Config(), unknown_blocks=False)
    assert not any(f.rule_id in ("CW101", "CW102", "CW103") for f in findings)
    (item,) = not_checked
    assert (
        item.reason == "CW101, CW102, CW103 not checked: location: location = var.region: no value"
    )
    assert item.resource == "infra/main.tf:12 (gs://gallery)"
    assert item.blocking is False
    _, blocking = judge_buckets([snapshot], Config())
    assert blocking[0].blocking is True


def test_partial_policy_cannot_prove_nobody_can_read() -> None:
    snapshot = BucketSnapshot(
        "gallery",
        TF,
        **{k: v for k, v in vars(planned()).items() if k not in ("name", "origin", "iam")},
        iam=IamPolicy((), IamCompleteness.PARTIAL),
    )
    findings, not_checked = judge_buckets([snapshot], Config(), unknown_blocks=False)
    assert not any(f.rule_id == "CW111" for f in findings)
    assert any("CW111 not checked" in i.reason for i in not_checked)


def test_file_findings_fingerprint_the_file_not_the_line() -> None:
    moved = planned()
    moved = merge(moved, BucketPatch("gallery", Origin(SourceKind.TERRAFORM, "infra/main.tf", 40)))
    first, _ = judge_buckets([planned()], Config())
    second, _ = judge_buckets([moved], Config())
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
    elsewhere = merge(
        planned(), BucketPatch("gallery", Origin(SourceKind.TERRAFORM, "other.tf", 1))
    )
    third, _ = judge_buckets([elsewhere], Config())
    assert {f.fingerprint for f in first}.isdisjoint(f.fingerprint for f in third)
