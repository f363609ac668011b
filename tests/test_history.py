"""The reports folder's history: names, changes, months, retention, tolerant reading."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from costwatch import history
from costwatch.report import Report, report_from_json, report_to_json
from costwatch.units import parse_iso
from tests.formats.sample import sample_report


def record(as_of: str, fingerprints: list[str] | None = None) -> dict[str, Any]:
    doc = report_to_json(sample_report())
    doc["as_of"] = as_of
    if fingerprints is not None:
        doc["findings"] = [
            {"rule_id": "CW106", "severity": "warning", "resource": "gs://b", "message": "m",
             "fingerprint": f} for f in fingerprints
        ]  # fmt: skip
        doc["summary"] = {"error": 0, "warning": len(fingerprints), "note": 0}
    return doc


def write(folder: Path, doc: dict[str, Any]) -> str:
    name = history.free_record_name(folder, parse_iso(doc["as_of"]))
    (folder / name).write_text(json.dumps(doc))
    return name


def test_record_names_sort_by_time_and_never_collide(tmp_path: Path) -> None:
    moment = datetime(2026, 11, 20, 20, 0, 59, tzinfo=UTC)
    assert history.record_stem(moment) == "2026-11-20T2000Z"
    first = history.free_record_name(tmp_path, moment)
    (tmp_path / first).write_text("{}")
    second = history.free_record_name(tmp_path, moment)
    assert (first, second) == ("2026-11-20T2000Z.json", "2026-11-20T2000Z-2.json")
    keys = [history.record_key(n) for n in (second, first, "2026-11-20T1959Z.json")]
    assert sorted(k for k in keys if k) == [
        ("2026-11-20T1959Z", 1),
        ("2026-11-20T2000Z", 1),
        ("2026-11-20T2000Z", 2),
    ]
    assert history.record_key("latest.json") is None


def typed(doc: dict[str, Any]) -> Report:
    return report_from_json(doc)


def test_changes_match_on_fingerprint_and_count_copies() -> None:
    previous = typed(record("2026-11-19T00:00:00Z", ["a", "b", "b"]))
    current = typed(record("2026-11-20T00:00:00Z", ["b", "c", "c"])).findings
    changes = history.changes(current, previous).to_json()
    assert changes["since"] == "2026-11-19T00:00:00Z"
    assert [f["fingerprint"] for f in changes["new"]] == ["c", "c"]
    assert [f["fingerprint"] for f in changes["resolved"]] == ["a", "b"]
    assert changes["unchanged"] == 1
    empty = history.changes(current, None).to_json()
    assert empty == {"since": None, "new": [], "resolved": [], "unchanged": 0}


def test_changes_and_run_sections_read_back_typed() -> None:
    previous = typed(record("2026-11-19T00:00:00Z", ["a"]))
    doc = record("2026-11-20T00:00:00Z", ["b"])
    doc["changes"] = history.changes(typed(doc).findings, previous).to_json()
    doc["run"] = history.RunSection("complete", 1, "2026-11-20T0000Z.json").to_json()
    back = typed(doc)
    changes = back.section(history.ChangesSection)
    assert changes is not None and [f.fingerprint for f in changes.new] == ["b"]
    assert back.section(history.RunSection) == history.RunSection(
        "complete", 1, "2026-11-20T0000Z.json"
    )
    assert report_to_json(back)["changes"] == doc["changes"]


def test_retention_keeps_each_months_last_run() -> None:
    runs = [
        {"record": f"{d}T1200Z.json", "as_of": f"{d}T12:00:00Z", "month": d[:7]}
        for d in ("2026-09-10", "2026-09-28", "2026-10-03", "2026-11-01", "2026-11-18")
    ]
    gone = history.expired(runs, datetime(2026, 11, 20, tzinfo=UTC), keep_days=7)
    assert gone == ["2026-09-10T1200Z.json", "2026-11-01T1200Z.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b'{"schema_version": 1, "tool": {"name": "costwatch"}, "findings": [',
            "truncated or corrupt",
        ),
        (
            b'{"schema_version": 1, "tool": {"name": "other"}, "findings": []}',
            "not written by costwatch",
        ),
        (
            b'{"schema_version": 2, "tool": {"name": "costwatch"}, "findings": []}',
            "schema_version 2 is not 1",
        ),
        (b"[1, 2]", "not a JSON object"),
        (b"\xff\xfe\xfa", "cannot read"),
        (
            b'{"schema_version": 1, "tool": {"name": "costwatch"}, "command": "a", "findings": [], '
            b'"generated_at": "x"}',
            "malformed report",
        ),
    ],
)
def test_unreadable_records_say_why(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "2026-11-20T2000Z.json"
    path.write_bytes(content)
    with pytest.raises(history.RecordError, match=reason):
        history.load_record(path)


def test_history_trusts_a_line_only_while_its_record_is_unchanged(tmp_path: Path) -> None:
    names = [write(tmp_path, record(a)) for a in ("2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z")]
    found = history.read_history(tmp_path)
    assert found.stale_index and [r["record"] for r in found.runs] == names
    (tmp_path / history.HISTORY_NAME).write_text(history.index_text(found.runs))
    again = history.read_history(tmp_path)
    assert not again.stale_index and again.problems == []
    # a record rewritten with other content is read again, not taken from the line
    changed = record("2026-11-19T00:00:00Z", ["x"])
    (tmp_path / names[1]).write_text(json.dumps(changed))
    third = history.read_history(tmp_path)
    assert third.stale_index
    assert third.runs[1]["summary"] == {"error": 0, "warning": 1, "note": 0}


def test_damaged_history_lines_are_skipped_and_reported(tmp_path: Path) -> None:
    write(tmp_path, record("2026-11-18T00:00:00Z"))
    good = history.read_history(tmp_path).runs[0]
    edited = dict(good, month="<script>", record="2026-11-17T0000Z.json")
    (tmp_path / history.HISTORY_NAME).write_text(history.index_text([good, edited]) + '{"broken\n')
    found = history.read_history(tmp_path)
    assert [r["record"] for r in found.runs] == [good["record"]]
    assert any("skipped 2 unreadable line(s)" in p for p in found.problems)
    assert found.stale_index


def test_months_take_the_latest_run_and_keep_unknown_as_null(tmp_path: Path) -> None:
    october = record("2026-10-31T12:00:00Z")
    november = record("2026-11-05T12:00:00Z")
    november["usage"]["egress"]["used_bytes"] = None
    for doc in (record("2026-10-10T12:00:00Z"), october, november):
        write(tmp_path, doc)
    runs = history.read_history(tmp_path).runs
    data = json.loads(history.history_json(runs))
    assert [(m["month"], m["runs"]) for m in data["months"]] == [("2026-10", 2), ("2026-11", 1)]
    assert data["months"][1]["egress_used_bytes"] is None
    assert data["months"][1]["class_b_used"] is None  # unknown in the sample
    assert data["runs"][0]["class_a_used"] == 120
    csv_rows = history.history_csv(runs).splitlines()
    assert csv_rows[3].split(",")[7] == ""  # egress_used_bytes of November: empty, not 0


def test_billing_month_is_pacific() -> None:
    assert history.billing_month(datetime(2026, 12, 1, 7, 59, tzinfo=UTC)) == "2026-11"
    assert history.billing_month(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)) == "2026-12"
