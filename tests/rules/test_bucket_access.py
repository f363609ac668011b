from __future__ import annotations

from costwatch.findings import Finding, Severity
from tests.rules.cases import Case, rule_table

E, W = Severity.ERROR, Severity.WARNING

OWNERS = {"role": "roles/storage.legacyBucketOwner", "members": ["projectOwner:p"]}
READ = {"role": "roles/storage.legacyObjectReader", "members": ["allUsers"]}
VIEW = {"role": "roles/storage.objectViewer", "members": ["allUsers"]}
ADMIN = {"role": "roles/storage.objectAdmin", "members": ["allUsers"]}
AUTH_CREATOR = {"role": "roles/storage.objectCreator", "members": ["allAuthenticatedUsers"]}
ENFORCED = {"uniformBucketLevelAccess": {"enabled": True}, "publicAccessPrevention": "enforced"}
FINE_GRAINED = {
    "uniformBucketLevelAccess": {"enabled": False},
    "publicAccessPrevention": "inherited",
}

CASES = [
    Case("inherited", "CW110", {}, None),
    Case("enforced", "CW110", {"iamConfiguration": ENFORCED}, E),
    Case(
        "enforced-private",
        "CW110",
        {"iamConfiguration": ENFORCED},
        None,
        iam=[OWNERS],
        public=False,
    ),
    Case("reader", "CW111", {}, None, iam=[OWNERS, READ]),
    Case("viewer", "CW111", {}, None, iam=[OWNERS, VIEW]),
    Case("nobody", "CW111", {}, E, iam=[OWNERS]),
    Case(
        "authenticated-only",
        "CW111",
        {},
        E,
        iam=[{"role": READ["role"], "members": ["allAuthenticatedUsers"]}],
    ),
    Case("private", "CW111", {}, None, iam=[OWNERS], public=False),
    Case(
        "acl-reader",
        "CW111",
        {
            "iamConfiguration": FINE_GRAINED,
            "defaultObjectAcl": [{"entity": "allUsers", "role": "READER"}],
        },
        None,
        iam=[OWNERS],
    ),
    Case("read-only", "CW112", {}, None, iam=[OWNERS, READ, VIEW]),
    Case("admin", "CW112", {}, E, iam=[OWNERS, ADMIN]),
    Case("authenticated-write", "CW112", {}, E, iam=[READ, AUTH_CREATOR]),
    Case("private-read", "CW112", {}, E, iam=[OWNERS, READ], public=False),
    Case("private-clean", "CW112", {}, None, iam=[OWNERS], public=False),
    Case(
        "acl-writer",
        "CW112",
        {"iamConfiguration": FINE_GRAINED, "acl": [{"entity": "allUsers", "role": "WRITER"}]},
        E,
    ),
    Case("reader", "CW113", {}, None, iam=[OWNERS, READ]),
    Case("viewer", "CW113", {}, W, iam=[OWNERS, VIEW]),
    Case(
        "bucket-reader",
        "CW113",
        {},
        W,
        iam=[{"role": "roles/storage.legacyBucketReader", "members": ["allUsers"]}, READ],
    ),
    Case("private-viewer", "CW113", {}, None, iam=[VIEW], public=False),
    Case("uniform", "CW114", {}, None),
    Case("fine-grained", "CW114", {"iamConfiguration": FINE_GRAINED}, W),
]


judged, test_rule = rule_table(CASES)


def test_each_public_role_is_its_own_finding(judged: dict[str, list[Finding]]) -> None:
    hits = [f for f in judged["cw112-authenticated-write"] if f.rule_id == "CW112"]
    assert len(hits) == 1
    assert "allAuthenticatedUsers" in hits[0].message
    assert "roles/storage.objectCreator" in hits[0].message


def test_fingerprints_differ_per_grant(judged: dict[str, list[Finding]]) -> None:
    hits = [f for f in judged["cw112-private-read"] if f.rule_id == "CW112"]
    assert len({f.fingerprint for f in hits}) == len(hits)
