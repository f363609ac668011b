"""Fixes are written in the language of where the bucket is described."""

from __future__ import annotations

import pytest

from costwatch.findings import Fix
from costwatch.fixes import render_fix
from costwatch.model import SourceKind

LIVE, TF, SCRIPT = SourceKind.LIVE, SourceKind.TERRAFORM, SourceKind.SCRIPT
URI = "gs://gallery"


@pytest.mark.parametrize(
    ("fix", "kind", "expected"),
    [
        (
            Fix(setting="soft_delete_seconds", value=0),
            LIVE,
            "`gcloud storage buckets update gs://gallery --clear-soft-delete`",
        ),
        (
            Fix(setting="soft_delete_seconds", value=0),
            TF,
            "`soft_delete_policy { retention_duration_seconds = 0 }`",
        ),
        (Fix(setting="soft_delete_seconds", value=0), SCRIPT, "`--soft-delete-duration=0`"),
        (
            Fix(setting="uniform_access", value=True),
            LIVE,
            "`gcloud storage buckets update gs://gallery --uniform-bucket-level-access`",
        ),
        (Fix(setting="uniform_access", value=True), TF, "`uniform_bucket_level_access = true`"),
        (Fix(setting="uniform_access", value=True), SCRIPT, "`--uniform-bucket-level-access`"),
        (Fix(setting="storage_class", value="STANDARD"), TF, '`storage_class = "STANDARD"`'),
        (
            Fix(setting="requester_pays", value=False),
            LIVE,
            "`gcloud storage buckets update gs://gallery --no-requester-pays`",
        ),
        (Fix(setting="rpo", value="DEFAULT"), SCRIPT, "`--rpo=DEFAULT`"),
        (
            Fix(setting="public_access_prevention", value="inherited"),
            TF,
            '`public_access_prevention = "inherited"`',
        ),
        (
            Fix(setting="autoclass", value=False),
            LIVE,
            "`gcloud storage buckets update gs://gallery --no-enable-autoclass`",
        ),
        (
            Fix(setting="location", value="us-west1"),
            SCRIPT,
            "`--location=us-west1` on the create command (gsutil mb: `-l us-west1`)",
        ),
        (
            Fix(revoke=("allUsers", "roles/storage.objectAdmin")),
            LIVE,
            "`gcloud storage buckets remove-iam-policy-binding gs://gallery --member=allUsers --role=roles/storage.objectAdmin`",
        ),
        (
            Fix(revoke=("allUsers", "roles/storage.objectAdmin")),
            TF,
            'remove the grant of `roles/storage.objectAdmin` to `"allUsers"`',
        ),
        (Fix(text="host the image in the bucket"), TF, "host the image in the bucket"),
    ],
)
def test_render(fix: Fix, kind: SourceKind, expected: str) -> None:
    assert render_fix(fix, URI, kind) == expected


def test_location_fix_for_a_live_bucket_is_a_new_bucket_and_a_copy() -> None:
    text = render_fix(Fix(setting="location", value="us-west1"), URI, LIVE)
    assert "cannot be changed" in text
    assert "--location=us-west1" in text and "rsync -r gs://gallery gs://NEW" in text


def test_terraform_location_fix_warns_about_replacement() -> None:
    text = render_fix(Fix(setting="location", value="us-west1"), URI, TF)
    assert text.startswith('`location = "US-WEST1"`') and "replaces the bucket" in text


def test_every_bucket_rule_fix_renders_for_every_source() -> None:
    from costwatch.model import SETTINGS

    for setting in SETTINGS:
        if setting in ("location_type", "data_locations"):
            continue
        for kind in SourceKind:
            assert render_fix(Fix(setting=setting, value=True), URI, kind)
