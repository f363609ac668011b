"""Terraform plan JSON: values after evaluation, unknowns, defaults, references, modules."""

from __future__ import annotations

from typing import Any

import pytest

from costwatch.sources.iac import records as r
from costwatch.sources.iac.plan import config_address, looks_like_plan, read_plan, sniff_plan
from costwatch.sources.iac.records import Action, Certainty


def change(
    address: str,
    kind: str,
    after: dict[str, Any],
    unknown: dict[str, Any] | None = None,
    actions: tuple[str, ...] = ("create",),
) -> dict[str, Any]:
    name = address.rsplit(".", 1)[-1].split("[")[0]
    module = address.rsplit(f".{kind}.", 1)[0] if address.startswith("module.") else None
    out: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/google",
        "change": {
            "actions": list(actions),
            "before": None,
            "after": after,
            "after_unknown": unknown or {},
        },
    }
    if module:
        out["module_address"] = module
    return out


BUCKET_AFTER: dict[str, Any] = {
    "name": "gallery",
    "location": "US",
    "storage_class": "STANDARD",
    "force_destroy": False,
    "autoclass": [],
    "versioning": [],
    "lifecycle_rule": [],
    "custom_placement_config": [],
    "requester_pays": None,
    "labels": None,
}
BUCKET_UNKNOWN: dict[str, Any] = {
    "id": True,
    "soft_delete_policy": True,
    "public_access_prevention": True,
    "uniform_bucket_level_access": True,
    "rpo": True,
    "self_link": True,
    "url": True,
}


def plan(*changes: dict[str, Any], configuration: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {}},
        "resource_changes": list(changes),
        "configuration": configuration or {"root_module": {}},
        "some_future_key": {"ignored": True},
    }


def test_recognised_by_content() -> None:
    data = plan()
    assert looks_like_plan(data)
    assert not looks_like_plan({"name": "x", "version": "1"})
    assert sniff_plan(b'{"format_version":"1.2","terraform_version":"1.9.8"')
    assert not sniff_plan(b'{"name": "package"}')


def test_known_values_and_server_defaults_left_to_the_table() -> None:
    found = read_plan(
        plan(
            change(
                "google_storage_bucket.site", "google_storage_bucket", BUCKET_AFTER, BUCKET_UNKNOWN
            )
        ),
        "plan.json",
    )
    record = found.buckets[0]
    assert record.action is Action.CREATE
    assert record.settings[r.LOCATION].value == "US"
    assert record.settings[r.VERSIONING].value is False
    # Unknown on create with a documented server default: left for the defaults table.
    for key in (r.SOFT_DELETE_SECONDS, r.PUBLIC_ACCESS_PREVENTION, r.UNIFORM_ACCESS, r.RPO):
        assert key not in record.settings
    assert (record.origin.path, record.origin.line) == ("plan.json", None)


def test_unknown_from_another_resource_is_unknown() -> None:
    after = dict(BUCKET_AFTER, location=None)
    unknown = dict(BUCKET_UNKNOWN, location=True)
    configuration = {
        "root_module": {
            "resources": [
                {
                    "address": "google_storage_bucket.site",
                    "expressions": {
                        "location": {
                            "references": [
                                "data.google_client_config.c.region",
                                "data.google_client_config.c",
                            ]
                        },
                        "uniform_bucket_level_access": {"references": ["var.ubla"]},
                    },
                }
            ]
        }
    }
    data = plan(
        change("google_storage_bucket.site", "google_storage_bucket", after, unknown),
        configuration=configuration,
    )
    record = read_plan(data, "plan.json").buckets[0]
    assert record.settings[r.LOCATION].certainty is Certainty.UNKNOWN
    assert "data.google_client_config.c.region" in record.settings[r.LOCATION].note
    assert record.settings[r.UNIFORM_ACCESS].is_unknown


def test_nested_blocks_and_modules() -> None:
    after = dict(
        BUCKET_AFTER,
        name="mod-bucket",
        location="us-west1",
        soft_delete_policy=[{"retention_duration_seconds": 0, "effective_time": "x"}],
        versioning=[{"enabled": True}],
        lifecycle_rule=[
            {
                "action": [{"type": "Delete", "storage_class": ""}],
                "condition": [{"num_newer_versions": 3}],
            }
        ],
        custom_placement_config=[],
        public_access_prevention="enforced",
        uniform_bucket_level_access=True,
    )
    address = 'module.site["a"].google_storage_bucket.images[0]'
    record = read_plan(plan(change(address, "google_storage_bucket", after)), "p.json").buckets[0]
    assert record.ref == "module.site.google_storage_bucket.images"
    assert record.settings[r.SOFT_DELETE_SECONDS].value == 0
    assert record.settings[r.LIFECYCLE_DELETES_NONCURRENT].value is True
    assert record.settings[r.PUBLIC_ACCESS_PREVENTION].value == "enforced"


def test_iam_member_tied_to_its_bucket_through_configuration_references() -> None:
    member_after = {"role": "roles/storage.objectAdmin", "member": "allUsers", "condition": []}
    configuration = {
        "root_module": {
            "module_calls": {
                "site": {
                    "module": {
                        "resources": [
                            {
                                "address": "google_storage_bucket_iam_member.public",
                                "expressions": {
                                    "bucket": {
                                        "references": [
                                            "google_storage_bucket.images.name",
                                            "google_storage_bucket.images",
                                        ]
                                    }
                                },
                            }
                        ]
                    }
                }
            }
        }
    }
    data = plan(
        change(
            "module.site.google_storage_bucket.images",
            "google_storage_bucket",
            BUCKET_AFTER,
            BUCKET_UNKNOWN,
        ),
        change(
            "module.site.google_storage_bucket_iam_member.public",
            "google_storage_bucket_iam_member",
            member_after,
            {"bucket": True, "etag": True},
        ),
        configuration=configuration,
    )
    grant = read_plan(data, "plan.json").grants[0]
    assert grant.bucket.value == "gallery"
    assert grant.bucket_ref == "module.site.google_storage_bucket.images"
    assert (grant.member, grant.role) == ("allUsers", "roles/storage.objectAdmin")


def test_policy_data_is_read_as_json() -> None:
    policy = '{"bindings":[{"members":["allUsers"],"role":"roles/storage.objectViewer"}]}'
    data = plan(
        change(
            "google_storage_bucket_iam_policy.p",
            "google_storage_bucket_iam_policy",
            {"bucket": "b", "policy_data": policy},
        )
    )
    grant = read_plan(data, "plan.json").grants[0]
    assert (grant.member, grant.role, grant.authoritative) == (
        "allUsers",
        "roles/storage.objectViewer",
        True,
    )


def test_deletes_and_data_sources_are_skipped() -> None:
    deleted = change(
        "google_storage_bucket.old", "google_storage_bucket", BUCKET_AFTER, actions=("delete",)
    )
    deleted["change"]["after"] = None
    read_mode = change("google_storage_bucket.x", "google_storage_bucket", BUCKET_AFTER)
    read_mode["mode"] = "data"
    assert read_plan(plan(deleted, read_mode), "plan.json").buckets == []


def test_update_is_a_patch_placed_on_the_source_line() -> None:
    data = plan(
        change(
            "google_storage_bucket.site", "google_storage_bucket", BUCKET_AFTER, actions=("update",)
        )
    )
    record = read_plan(data, "plan.json", {"google_storage_bucket.site": ("main.tf", 12)}).buckets[
        0
    ]
    assert record.action is Action.UPDATE
    assert (record.origin.path, record.origin.line) == ("main.tf", 12)


@pytest.mark.parametrize("version", ["2.0", "0.1", ""])
def test_other_major_versions_are_refused_with_a_reason(version: str) -> None:
    data = plan()
    data["format_version"] = version
    found = read_plan(data, "plan.json")
    assert found.unchecked[0].reason == f"plan format_version {version!r} is not supported (1.x)"


def test_config_address_drops_instance_keys() -> None:
    assert config_address('module.a["x"].module.b[1].google_storage_bucket.c[0]') == (
        "module.a.module.b.google_storage_bucket.c"
    )
