from __future__ import annotations

import re

from costwatch.findings import Severity
from costwatch.rules.registry import all_rule_docs

EXPECTED_BUCKET = {
    "CW101": Severity.ERROR,
    "CW102": Severity.ERROR,
    "CW103": Severity.ERROR,
    "CW104": Severity.ERROR,
    "CW105": Severity.WARNING,
    "CW106": Severity.WARNING,
    "CW107": Severity.WARNING,
    "CW108": Severity.ERROR,
    "CW109": Severity.WARNING,
    "CW110": Severity.ERROR,
    "CW111": Severity.ERROR,
    "CW112": Severity.ERROR,
    "CW113": Severity.WARNING,
    "CW114": Severity.WARNING,
}


def test_ids_are_unique_and_well_formed() -> None:
    ids = [d.id for d in all_rule_docs()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"CW\d{3}", i) for i in ids)


def test_bucket_rule_ids_and_severities_are_the_public_contract() -> None:
    docs = {d.id: d.severity for d in all_rule_docs() if d.family == "bucket"}
    assert docs == EXPECTED_BUCKET


def test_every_rule_documents_why_and_how_to_fix() -> None:
    for doc in all_rule_docs():
        assert doc.title and not doc.title.endswith(":"), doc.id
        assert "Why:" in doc.body, doc.id
        assert "Fix:" in doc.body, doc.id
        assert isinstance(doc.severity, Severity)


def test_bucket_fixes_give_a_command() -> None:
    for doc in all_rule_docs():
        if doc.family == "bucket":
            assert "gcloud storage" in doc.body, doc.id


def test_docs_rules_md_is_current() -> None:
    from pathlib import Path

    from costwatch.formats.base import OutputFormat
    from costwatch.formats.catalog import render_catalog

    committed = Path(__file__).parents[2] / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == render_catalog(OutputFormat.MARKDOWN), (
        "regenerate with: costwatch rules --format markdown > docs/rules.md"
    )
