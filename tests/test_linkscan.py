"""Suppressions and baselines over a real folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from costwatch.baseline import write_baseline
from costwatch.errors import CostwatchError
from costwatch.linkscan import LinkOptions, scan_site

# Every test here runs with both ways of reading a file's bytes (see conftest).
pytestmark = pytest.mark.usefixtures("link_scanner")

AS_OF = datetime(2026, 11, 5, tzinfo=UTC)
TOKEN = "GHSAT0AAAAAPLANTEDSECRET"
RAW = f"https://raw.githubusercontent.com/o/r/main/a.png?token={TOKEN}"


def scan(
    root: Path, baseline: Path | None = None, buckets: tuple[str, ...] = ()
) -> list[tuple[str, int | None]]:
    result = scan_site(LinkOptions((root,), root, AS_OF, baseline=baseline), buckets)
    return [(f.rule_id, f.line) for f in result.findings]


def test_suppression_on_the_line_and_the_line_before(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        "<!-- costwatch: ignore[CW304] old page kept for a redirect -->\n"
        '<img src="https://storage.cloud.google.com/b-b/a.png">\n'
        '<img src="https://storage.cloud.google.com/b-b/c.png"> <!-- costwatch: ignore[CW304] same -->\n'
        "\n"
        '<img src="https://storage.cloud.google.com/b-b/d.png">\n'
    )
    result = scan_site(LinkOptions((tmp_path,), tmp_path, AS_OF), ())
    assert [(f.rule_id, f.line) for f in result.findings if f.rule_id == "CW304"] == [("CW304", 5)]
    assert result.section["suppressed_inline"] == 2


def test_suppression_names_the_rule(tmp_path: Path) -> None:
    (tmp_path / "a.jsx").write_text(
        "// costwatch: ignore[CW307] partner bucket\n"
        '<img src="https://storage.cloud.google.com/other-b/a.png" />\n'
    )
    assert ("CW304", 2) in scan(tmp_path)


def test_suppression_without_reason_is_a_finding_and_silences_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.jsx").write_text(
        "{/* costwatch: ignore[CW301] */}\n"
        '<img src="https://drive.google.com/uc?id=1" />\n'
        '<img src="https://drive.google.com/uc?id=2" />\n'
    )
    found = scan(tmp_path)
    assert ("CW301", 2) in found
    assert found.count(("CW300", 1)) == 1


def _site(root: Path, lines: list[str]) -> None:
    (root / "page.md").write_text("\n".join(lines) + "\n")


def test_baseline_accepts_known_findings_even_after_lines_move(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _site(site, [f"![a]({RAW})", "![b](https://storage.cloud.google.com/b-b/x.png)"])
    baseline = tmp_path / "baseline.json"
    first = scan_site(LinkOptions((site,), site, AS_OF), ())
    write_baseline(baseline, first.findings)
    assert TOKEN not in baseline.read_text()
    _site(
        site,
        [
            "# Gallery",
            "",
            "intro",
            f"![a]({RAW})",
            "![b](https://storage.cloud.google.com/b-b/x.png)",
        ],
    )
    result = scan_site(LinkOptions((site,), site, AS_OF, baseline=baseline), ())
    assert result.findings == ()
    assert result.section["baseline"]["accepted"] == 2
    assert result.section["baseline"]["stale"] == []


def test_baseline_still_catches_a_new_link_on_a_known_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _site(site, [f"![a]({RAW})"])
    baseline = tmp_path / "b.json"
    write_baseline(baseline, scan_site(LinkOptions((site,), site, AS_OF), ()).findings)
    _site(site, [f"![a]({RAW}) ![c](https://drive.google.com/uc?id=9)"])
    assert scan(site, baseline) == [("CW301", 1)]


def test_baseline_counts_copies(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _site(site, [f"![a]({RAW})"])
    baseline = tmp_path / "b.json"
    write_baseline(baseline, scan_site(LinkOptions((site,), site, AS_OF), ()).findings)
    _site(site, [f"![a]({RAW})", f"![again]({RAW})"])
    assert scan(site, baseline) == [("CW302", 2)]


def test_stale_baseline_entries_are_reported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _site(site, [f"![a]({RAW})"])
    baseline = tmp_path / "b.json"
    write_baseline(baseline, scan_site(LinkOptions((site,), site, AS_OF), ()).findings)
    _site(site, ["fixed"])
    result = scan_site(LinkOptions((site,), site, AS_OF, baseline=baseline), ())
    (stale,) = result.section["baseline"]["stale"]
    assert stale["rule_id"] == "CW302"
    assert stale["path"] == "page.md"
    assert TOKEN not in stale["url"]


@pytest.mark.parametrize("text", ["not json", '{"entries": 3}', '{"entries": [{"path": "x"}]}'])
def test_bad_baseline_is_an_error(tmp_path: Path, text: str) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_text(text)
    with pytest.raises(CostwatchError, match="baseline"):
        scan_site(LinkOptions((tmp_path,), tmp_path, AS_OF, baseline=baseline), ())


def test_worker_processes_give_the_same_result_in_the_same_order(tmp_path: Path) -> None:
    from costwatch.linkscan import PARALLEL_MIN_FILES

    for n in range(PARALLEL_MIN_FILES + 50):
        folder = tmp_path / f"d{n % 13}"
        folder.mkdir(exist_ok=True)
        body = f"![a{n}](https://drive.google.com/uc?id={n})\n" if n % 7 == 0 else "plain text\n"
        (folder / f"f{n}.md").write_text(body)
    (tmp_path / "bad.js").write_bytes(b"\x00\x01" * 10)
    options = LinkOptions((tmp_path,), tmp_path, AS_OF)
    one = scan_site(options, (), workers=1)
    two = scan_site(options, (), workers=2)
    assert one.findings == two.findings
    assert len(one.findings) == len(range(0, PARALLEL_MIN_FILES + 50, 7))
    assert one.section == two.section
    assert one.incomplete == two.incomplete


def test_inline_suppressions_that_silence_nothing_are_listed(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        "<!-- costwatch: ignore[CW304] kept for a redirect -->\n"
        '<img src="https://storage.cloud.google.com/b-b/a.png">\n'
        "<!-- costwatch: ignore[CW304,CW307] link was fixed -->\n"
        '<img src="https://storage.googleapis.com/b-b/a.png">\n'
        "\n"
        "<!-- costwatch: ignore[CW301] nothing here any more -->\n"
    )
    result = scan_site(LinkOptions((tmp_path,), tmp_path, AS_OF), ("b-b",))
    assert result.section["stale_suppressions"] == [
        {"path": "a.html", "line": 3, "rules": ["CW304", "CW307"]},
        {"path": "a.html", "line": 6, "rules": ["CW301"]},
    ]
    assert result.findings == ()


def test_a_new_rule_host_is_found_without_touching_the_scanner() -> None:
    from collections.abc import Iterable

    from costwatch.findings import Finding
    from costwatch.linkscan import LINK_RULES, link_targets
    from costwatch.rules.link_base import LinkContext, LinkRule
    from costwatch.sources.site import LinkOccurrence, extract_links

    class ExampleCdn(LinkRule):
        """Example CDN links.

        Why: a test host. Fix: none.
        """

        id = "CW399"
        hosts = ("images.example-cdn.net",)

        def check(self, snapshot: LinkOccurrence, context: LinkContext) -> Iterable[Finding]:
            yield self.at(snapshot, "example")

    data = (
        b'<img src="https://a.images.Example-cdn.net/x.png"> <img src="https://example.com/y.png">'
    )
    assert extract_links(data, "a.html", link_targets(LINK_RULES)) == []
    targets = link_targets((*LINK_RULES, ExampleCdn()))
    (found,) = extract_links(data, "a.html", targets)
    assert found.link.host == "a.images.example-cdn.net"
    assert any(needle in data for needle in targets.needles)


def test_targets_are_exactly_what_rules_declare() -> None:
    from costwatch.linkscan import LINK_RULES, TARGETS

    assert set(TARGETS.hosts) == {h for rule in LINK_RULES for h in rule.hosts}
    assert set(TARGETS.schemes) == {"gs"}
    assert set(TARGETS.params) == {"x-goog-signature", "x-amz-signature", "signature"}
