"""The links section tells what was not read, so "complete" never hides a skipped site."""

from __future__ import annotations

from datetime import UTC, datetime

from costwatch.formats.sections import links_layout
from costwatch.report import LinksSection


def test_files_not_read_are_listed_by_type_most_first() -> None:
    section = LinksSection(
        files_scanned=3,
        bytes_scanned=1000,
        links_checked=2,
        files_skipped=0,
        suppressed_inline=0,
        as_of=datetime(2026, 11, 5, tzinfo=UTC),
        files_not_read_by_type={".xyz": 2, ".png": 1},
        costwatch_outputs_skipped=("reports/latest.json",),
    )
    (block,) = links_layout(section)
    assert "3 files not read because of their type: .xyz 2, .png 1." in block.text
    assert "1 costwatch report or baseline left alone." in block.text
