from __future__ import annotations

from costwatch.findings import Finding, Severity
from costwatch.fixes import fix_text
from tests.rules.cases import Case, rule_table

E, W = Severity.ERROR, Severity.WARNING

_DELETE_NONCURRENT = {
    "rule": [{"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 7}}]
}

CASES = [
    Case("standard", "CW104", {}, None),
    Case("nearline", "CW104", {"storageClass": "NEARLINE"}, E),
    Case("archive", "CW104", {"storageClass": "ARCHIVE"}, E),
    Case("off", "CW105", {"autoclass": {"enabled": False}}, None),
    Case("absent", "CW105", {}, None),
    Case("on", "CW105", {"autoclass": {"enabled": True}}, W),
    Case("zero", "CW106", {"softDeletePolicy": {"retentionDurationSeconds": "0"}}, None),
    Case("default", "CW106", {"softDeletePolicy": {"retentionDurationSeconds": "604800"}}, W),
    Case("missing", "CW106", {"softDeletePolicy": {}}, None),
    Case("unversioned", "CW107", {}, None),
    Case("no-rules", "CW107", {"versioning": {"enabled": True}}, W),
    Case(
        "age-only",
        "CW107",
        {
            "versioning": {"enabled": True},
            "lifecycle": {"rule": [{"action": {"type": "Delete"}, "condition": {"age": 30}}]},
        },
        W,
    ),
    Case(
        "cleanup", "CW107", {"versioning": {"enabled": True}, "lifecycle": _DELETE_NONCURRENT}, None
    ),
    Case(
        "newer-versions",
        "CW107",
        {
            "versioning": {"enabled": True},
            "lifecycle": {
                "rule": [{"action": {"type": "Delete"}, "condition": {"numNewerVersions": 2}}]
            },
        },
        None,
    ),
    Case(
        "set-class",
        "CW107",
        {
            "versioning": {"enabled": True},
            "lifecycle": {
                "rule": [
                    {
                        "action": {"type": "SetStorageClass", "storageClass": "COLDLINE"},
                        "condition": {"numNewerVersions": 1},
                    }
                ]
            },
        },
        W,
    ),
    Case("off", "CW108", {"billing": {"requesterPays": False}}, None),
    Case("on", "CW108", {"billing": {"requesterPays": True}}, E),
    Case("private", "CW108", {"billing": {"requesterPays": True}}, None, iam=[], public=False),
    Case("default", "CW109", {"rpo": "DEFAULT"}, None),
    Case(
        "turbo",
        "CW109",
        {"location": "NAM4", "locationType": "dual-region", "rpo": "ASYNC_TURBO"},
        W,
    ),
]


judged, test_rule = rule_table(CASES)


def test_fix_commands_name_the_bucket(judged: dict[str, list[Finding]]) -> None:
    (hit,) = [f for f in judged["cw106-default"] if f.rule_id == "CW106"]
    assert fix_text(hit) == "`gcloud storage buckets update gs://cw106-default --clear-soft-delete`"
    assert "7 days" in hit.message
