"""What ``report`` and ``history`` print to a terminal passes the output boundary."""

from __future__ import annotations

from costwatch.reportcli import safe_lines


def test_summary_lines_keep_their_breaks_and_lose_control_sequences() -> None:
    hostile = "new: CW305 site/\x1b]8;;https://evil.example\x07caf\u202e.html:3\nresolved: none\n"
    shown = safe_lines(hostile)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert shown.count("\n") == 2
    assert shown.splitlines()[1] == "resolved: none"
