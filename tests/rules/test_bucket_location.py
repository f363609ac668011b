from __future__ import annotations

from costwatch.findings import Finding, Severity
from tests.rules.cases import Case, rule_table

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

CASES = [
    Case("uswest1", "CW101", {"location": "US-WEST1"}, None),
    Case("uscentral1", "CW101", {"location": "US-CENTRAL1"}, None),
    Case("useast1", "CW101", {"location": "US-EAST1"}, None),
    Case("lowercase", "CW101", {"location": "us-east1"}, None),
    Case("uswest2", "CW101", {"location": "US-WEST2"}, E),
    Case("europe", "CW101", {"location": "EUROPE-WEST1"}, E),
    Case("multi-us", "CW101", {"location": "US", "locationType": "multi-region"}, None),
    Case("region", "CW102", {}, None),
    Case("us", "CW102", {"location": "US", "locationType": "multi-region"}, E),
    Case("eu", "CW102", {"location": "EU", "locationType": "multi-region"}, E),
    # "US" is a configurable dual-region here: the type comes from locationType, not location.
    Case(
        "configurable-dual",
        "CW102",
        {
            "location": "US",
            "locationType": "dual-region",
            "customPlacementConfig": {"dataLocations": ["US-EAST1", "US-WEST1"]},
        },
        None,
    ),
    Case("nam4", "CW103", {"location": "NAM4", "locationType": "dual-region"}, N),
    Case("eur4", "CW103", {"location": "EUR4", "locationType": "dual-region"}, E),
    Case(
        "pair-approved",
        "CW103",
        {
            "location": "US",
            "locationType": "dual-region",
            "customPlacementConfig": {"dataLocations": ["us-west1", "us-east1"]},
        },
        N,
    ),
    Case(
        "pair-unapproved",
        "CW103",
        {
            "location": "US",
            "locationType": "dual-region",
            "customPlacementConfig": {"dataLocations": ["US-CENTRAL1", "US-WEST1"]},
        },
        E,
    ),
    Case("regional", "CW103", {}, None),
]


judged, test_rule = rule_table(CASES)


def test_approved_dual_region_note_says_it_is_billed(judged: dict[str, list[Finding]]) -> None:
    note = next(f for f in judged["cw103-nam4"] if f.rule_id == "CW103")
    assert "billed outside the free tier" in note.message


def test_a_good_bucket_has_no_findings(judged: dict[str, list[Finding]]) -> None:
    assert judged["cw101-uswest1"] == []
