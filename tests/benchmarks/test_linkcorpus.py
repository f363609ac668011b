"""The link corpus's labels file is well formed: every label points at a real line.

These tests check the labels' structure, never costwatch's score on them: the score is a
measurement printed by `benchmarks/score_links.py`, not a gate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from costwatch.rules.registry import all_rule_docs

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "linkcorpus"
FILES = CORPUS / "files"
SEVERITIES = {"error", "warning", "note"}
MAX_FILE_BYTES = 200 * 1024


@pytest.fixture(scope="module")
def labels() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return doc


def _on_disk() -> set[str]:
    return {p.relative_to(FILES).as_posix() for p in FILES.rglob("*") if p.is_file()}


def test_schema_version_and_top_level_keys(labels: dict[str, Any]) -> None:
    assert labels["schema_version"] == 1
    assert isinstance(labels["as_of"], str)
    assert isinstance(labels["known_buckets"], list)
    assert isinstance(labels["files"], list)


def test_every_file_is_labelled_once_and_every_labelled_file_exists(
    labels: dict[str, Any],
) -> None:
    listed = [entry["path"] for entry in labels["files"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == _on_disk()


def test_files_are_small_excerpts() -> None:
    for path in _on_disk():
        assert (FILES / path).stat().st_size <= MAX_FILE_BYTES, path


def test_every_label_names_a_known_link_rule_a_severity_and_a_line_in_its_file(
    labels: dict[str, Any],
) -> None:
    link_rules = {doc.id for doc in all_rule_docs() if doc.id.startswith("CW3")}
    for entry in labels["files"]:
        lines = (FILES / entry["path"]).read_text(encoding="utf-8").splitlines()
        for item in entry["expected"]:
            assert item["path"] == entry["path"]
            assert item["rule_id"] in link_rules, item
            assert item["severity"] in SEVERITIES, item
            assert isinstance(item["line"], int), item
            assert 1 <= item["line"] <= len(lines), item
            assert lines[item["line"] - 1].strip(), item
            assert isinstance(item.get("optional", False), bool), item


def test_every_file_records_where_it_came_from(labels: dict[str, Any]) -> None:
    for entry in labels["files"]:
        source = entry["source"]
        assert source["repository"] or source["index_file_id"], entry["path"]
        assert source["excerpt"] is True
        if entry["planted_secrets"]:
            assert source["secrets_replaced"] is True, entry["path"]


def test_planted_secrets_are_in_their_file_and_nowhere_else(labels: dict[str, Any]) -> None:
    texts = {path: (FILES / path).read_text(encoding="utf-8") for path in _on_disk()}
    for entry in labels["files"]:
        for secret in entry["planted_secrets"]:
            assert len(unquote(secret)) >= 8, entry["path"]
            assert secret in texts[entry["path"]], entry["path"]
            others = [p for p, text in texts.items() if p != entry["path"] and secret in text]
            assert not others, (entry["path"], others)


def test_negative_files_exist(labels: dict[str, Any]) -> None:
    negatives = [entry for entry in labels["files"] if not entry["expected"]]
    assert len(negatives) >= 10
