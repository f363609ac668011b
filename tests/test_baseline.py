from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from costwatch.baseline import apply_baseline, read_baseline, write_baseline
from costwatch.findings import Finding, Severity


def finding(rule: str, path: str, url: str, line: int) -> Finding:
    return Finding(rule, Severity.ERROR, path, f"bad {url}", key=url, path=path, line=line)


def test_round_trip_keys_on_content_with_counts(tmp_path: Path) -> None:
    target = tmp_path / "b.json"
    found = [
        finding("CW304", "a.html", "u1", 3),
        finding("CW304", "a.html", "u1", 9),
        finding("CW301", "b.md", "u2", 1),
    ]
    assert write_baseline(target, found) == 2
    data = json.loads(target.read_text())
    assert data["schema_version"] == 1
    assert {"rule_id": "CW304", "path": "a.html", "url": "u1", "count": 2} in data["entries"]
    assert "line" not in json.dumps(data)
    assert read_baseline(target) == Counter(
        {("CW304", "a.html", "u1"): 2, ("CW301", "b.md", "u2"): 1}
    )


def test_apply_reports_extra_copies_and_stale_entries() -> None:
    baseline = Counter({("CW304", "a.html", "u1"): 1, ("CW301", "gone.md", "u9"): 1})
    result = apply_baseline(
        [finding("CW304", "a.html", "u1", 5), finding("CW304", "a.html", "u1", 6)], baseline
    )
    assert [f.line for f in result.findings] == [6]
    assert result.accepted == 1
    assert result.stale == ({"rule_id": "CW301", "path": "gone.md", "url": "u9", "unmatched": 1},)
