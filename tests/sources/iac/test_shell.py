"""Bucket commands read as a shell reads them: every command, every flag form."""

from __future__ import annotations

import pytest

from costwatch.sources.iac import records as r
from costwatch.sources.iac.records import Action, GrantKind
from costwatch.sources.iac.shell import logical_lines, parse_duration, read_shell


def settings(text: str) -> dict[str, object]:
    found = read_shell(text, "deploy.sh")
    assert len(found.buckets) == 1, found
    return {k: v.value for k, v in found.buckets[0].settings.items()}


@pytest.mark.parametrize(
    ("command", "key", "expected"),
    [
        ("gcloud storage buckets create gs://b --location=us-west1", r.LOCATION, "US-WEST1"),
        ("gcloud storage buckets create gs://b --location us-west1", r.LOCATION, "US-WEST1"),
        ("gcloud storage buckets create gs://b -l eu", r.LOCATION, "EU"),
        ("gcloud storage buckets create -l asia gs://b", r.LOCATION, "ASIA"),
        (
            "gcloud storage buckets create gs://b --default-storage-class=nearline",
            r.STORAGE_CLASS,
            "NEARLINE",
        ),
        ("gcloud storage buckets create gs://b -c coldline", r.STORAGE_CLASS, "COLDLINE"),
        ("gcloud storage buckets create gs://b -s archive", r.STORAGE_CLASS, "ARCHIVE"),
        (
            "gcloud storage buckets create gs://b --placement=us-east1,us-west1",
            r.DATA_LOCATIONS,
            ("US-EAST1", "US-WEST1"),
        ),
        (
            "gcloud storage buckets create gs://b --uniform-bucket-level-access",
            r.UNIFORM_ACCESS,
            True,
        ),
        ("gcloud storage buckets create gs://b -b", r.UNIFORM_ACCESS, True),
        (
            "gcloud storage buckets create gs://b --no-uniform-bucket-level-access",
            r.UNIFORM_ACCESS,
            False,
        ),
        ("gcloud storage buckets create gs://b --pap", r.PUBLIC_ACCESS_PREVENTION, "enforced"),
        (
            "gcloud storage buckets create gs://b --public-access-prevention",
            r.PUBLIC_ACCESS_PREVENTION,
            "enforced",
        ),
        ("gcloud storage buckets create gs://b --soft-delete-duration=0", r.SOFT_DELETE_SECONDS, 0),
        (
            "gcloud storage buckets create gs://b --soft-delete-duration 10d",
            r.SOFT_DELETE_SECONDS,
            864000,
        ),
        ("gcloud storage buckets create gs://b --rpo=ASYNC_TURBO", r.RPO, "ASYNC_TURBO"),
        (
            "gcloud storage buckets create gs://b --recovery-point-objective async_turbo",
            r.RPO,
            "ASYNC_TURBO",
        ),
        ("gcloud storage buckets create gs://b --enable-autoclass", r.AUTOCLASS, True),
        ("gcloud beta storage buckets create gs://b --location=us-east1", r.LOCATION, "US-EAST1"),
        ("gcloud storage buckets update gs://b --versioning", r.VERSIONING, True),
        ("gcloud storage buckets update gs://b --no-versioning", r.VERSIONING, False),
        ("gcloud storage buckets update gs://b --requester-pays", r.REQUESTER_PAYS, True),
        ("gcloud storage buckets update gs://b --clear-soft-delete", r.SOFT_DELETE_SECONDS, 0),
        (
            "gcloud storage buckets update gs://b --clear-pap",
            r.PUBLIC_ACCESS_PREVENTION,
            "inherited",
        ),
        ("gcloud storage buckets update gs://b --no-enable-autoclass", r.AUTOCLASS, False),
        ("gsutil mb -l us-west1 gs://b", r.LOCATION, "US-WEST1"),
        ("gsutil mb -l=us-west1 gs://b", r.LOCATION, "US-WEST1"),
        ("gsutil -m mb -c nearline gs://b", r.STORAGE_CLASS, "NEARLINE"),
        ("gsutil mb -b on gs://b", r.UNIFORM_ACCESS, True),
        ("gsutil mb -b off gs://b", r.UNIFORM_ACCESS, False),
        ("gsutil mb --pap enforced gs://b", r.PUBLIC_ACCESS_PREVENTION, "enforced"),
        ("gsutil mb --autoclass gs://b", r.AUTOCLASS, True),
        ("gsutil mb --rpo ASYNC_TURBO -l nam4 gs://b", r.RPO, "ASYNC_TURBO"),
        (
            "gsutil mb --placement us-east1,us-west1 -l us gs://b",
            r.DATA_LOCATIONS,
            ("US-EAST1", "US-WEST1"),
        ),
        ("gsutil defstorageclass set nearline gs://b", r.STORAGE_CLASS, "NEARLINE"),
        ("gsutil versioning set on gs://b", r.VERSIONING, True),
        ("gsutil requesterpays set on gs://b", r.REQUESTER_PAYS, True),
        ("gsutil autoclass set on gs://b", r.AUTOCLASS, True),
        ("gsutil rpo set ASYNC_TURBO gs://b", r.RPO, "ASYNC_TURBO"),
        ("gsutil ubla set on gs://b", r.UNIFORM_ACCESS, True),
        ("gsutil pap set enforced gs://b", r.PUBLIC_ACCESS_PREVENTION, "enforced"),
    ],
)
def test_flag_forms(command: str, key: str, expected: object) -> None:
    assert settings(command)[key] == expected


@pytest.mark.parametrize(
    ("command", "action"),
    [
        ("gcloud storage buckets create gs://b", Action.CREATE),
        ("gsutil mb gs://b", Action.CREATE),
        ("gsutil makebucket gs://b", Action.CREATE),
        ("gcloud storage buckets update gs://b --versioning", Action.UPDATE),
        ("gsutil versioning set on gs://b", Action.UPDATE),
    ],
)
def test_create_or_patch(command: str, action: Action) -> None:
    assert read_shell(command, "x.sh").buckets[0].action is action


def test_continuations_quotes_and_separators() -> None:
    text = (
        "#!/bin/bash\nset -e\n"
        'gcloud storage buckets create "gs://my-gallery" \\\n'
        "  --location='us-west1' \\\n"
        "  --uniform-bucket-level-access && echo ok; gsutil mb gs://two | tee log\n"
    )
    found = read_shell(text, "deploy.sh")
    assert [(b.name.value, b.origin.line, b.origin.end_line) for b in found.buckets] == [
        ("my-gallery", 3, 5),
        ("two", 3, 5),
    ]
    assert found.buckets[0].settings[r.LOCATION].value == "US-WEST1"


def test_variables_are_unknown_and_the_bucket_is_still_judged_on_its_flags() -> None:
    found = read_shell('gcloud storage buckets create "gs://${BUCKET}" --location=$REGION', "d.sh")
    record = found.buckets[0]
    assert record.name.is_unknown and "gs://${BUCKET}" in record.name.note
    assert record.settings[r.LOCATION].is_unknown
    assert record.settings[r.LOCATION].note == "--location $REGION: a variable"


def test_comments_and_other_commands_are_ignored() -> None:
    text = "# gsutil mb gs://old\necho gsutil mb gs://x\ngcloud storage cp a gs://b\n"
    found = read_shell(text, "d.sh")
    assert found.buckets == [] and found.grants == []


def test_env_prefix_and_sudo() -> None:
    found = read_shell("CLOUDSDK_CORE_PROJECT=p sudo gsutil mb gs://b", "d.sh")
    assert found.buckets[0].name.value == "b"


def test_multiple_urls() -> None:
    found = read_shell("gsutil mb -l us-east1 gs://a gs://b", "d.sh")
    assert [b.name.value for b in found.buckets] == ["a", "b"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "gcloud storage buckets add-iam-policy-binding gs://b --member=allUsers --role=roles/storage.objectViewer",
            [("allUsers", "roles/storage.objectViewer", GrantKind.IAM)],
        ),
        (
            "gcloud storage buckets add-iam-policy-binding gs://b --member allUsers --role roles/storage.admin",
            [("allUsers", "roles/storage.admin", GrantKind.IAM)],
        ),
        (
            "gsutil iam ch allUsers:objectViewer,legacyObjectReader gs://b",
            [
                ("allUsers", "roles/storage.objectViewer", GrantKind.IAM),
                ("allUsers", "roles/storage.legacyObjectReader", GrantKind.IAM),
            ],
        ),
        ("gsutil iam ch -d allUsers gs://b", []),
        (
            "gsutil iam ch allUsers:roles/storage.objectAdmin gs://b",
            [("allUsers", "roles/storage.objectAdmin", GrantKind.IAM)],
        ),
        (
            "gsutil acl ch -u AllUsers:R gs://b",
            [("allUsers", "roles/storage.legacyBucketReader", GrantKind.ACL)],
        ),
        (
            "gsutil acl ch -g AllUsers:W gs://b",
            [("allUsers", "roles/storage.legacyBucketWriter", GrantKind.ACL)],
        ),
        (
            "gsutil -m acl ch -r -u AllUsers:R gs://b",
            [("allUsers", "roles/storage.legacyObjectReader", GrantKind.ACL)],
        ),
        (
            "gsutil acl ch -u AllUsers:R gs://b/**",
            [("allUsers", "roles/storage.legacyObjectReader", GrantKind.ACL)],
        ),
        (
            "gsutil defacl ch -u AllUsers:READER gs://b",
            [("allUsers", "roles/storage.legacyObjectReader", GrantKind.DEFAULT_ACL)],
        ),
        (
            "gcloud storage buckets update gs://b --predefined-acl=publicRead",
            [("allUsers", "roles/storage.legacyBucketReader", GrantKind.ACL)],
        ),
    ],
)
def test_grants(command: str, expected: list[tuple[str, str, GrantKind]]) -> None:
    found = read_shell(command, "d.sh")
    assert [(g.member, g.role, g.kind) for g in found.grants] == expected


def test_unbalanced_quotes_are_not_checked_with_the_line() -> None:
    found = read_shell("echo ok\ngsutil mb 'gs://b\n", "d.sh")
    assert found.buckets == []
    assert (found.unchecked[0].line, found.unchecked[0].reason) == (
        2,
        "unbalanced quotes: the command cannot be read",
    )


def test_quote_spanning_lines_is_joined() -> None:
    found = read_shell('gsutil mb -l us-west1 "gs://b\n" && echo\n', "d.sh")
    assert found.unchecked == []


def test_makefile_recipe_prefixes_and_dollars() -> None:
    found = read_shell("\t@-gsutil mb -l $$REGION gs://$(BUCKET)", "Makefile", 4, make=True)
    record = found.buckets[0]
    assert record.origin.line == 4
    assert record.settings[r.LOCATION].is_unknown and record.name.is_unknown


def test_logical_lines_keep_physical_numbers() -> None:
    lines = list(logical_lines("a \\\nb\nc\n", 10))
    assert [(line.first, line.last) for line in lines] == [(10, 11), (12, 12)]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0), ("7d", 604800), ("1h30m", 5400), ("604800s", 604800), ("2w", 1209600), ("x", None)],
)
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds
