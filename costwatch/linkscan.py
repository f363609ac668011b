"""Wire the site source to the link rules: scan, judge, apply suppressions and the baseline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.baseline import apply_baseline, read_baseline
from costwatch.findings import Finding, Incomplete
from costwatch.rules.link_base import LinkContext
from costwatch.rules.registry import LINK_RULES
from costwatch.sources.site import SECTION, LinkOccurrence, ScanSettings, scan_paths

SUPPRESSION_RULE = "CW300"


@dataclass(frozen=True)
class LinkOptions:
    """A link scan's inputs beyond the config."""

    paths: tuple[Path, ...]
    root: Path
    as_of: datetime
    settings: ScanSettings = field(default_factory=ScanSettings)
    strict: bool = False
    baseline: Path | None = None


@dataclass(frozen=True)
class LinkScanResult:
    findings: tuple[Finding, ...]
    incomplete: tuple[Incomplete, ...]
    section: dict[str, Any]
    unfiltered: tuple[Finding, ...]


def _silenced(occurrence: LinkOccurrence, rule_id: str) -> bool:
    return any(rule_id in s.rules and s.reason for s in occurrence.suppressions)


def judge_links(
    occurrences: Iterable[LinkOccurrence], context: LinkContext
) -> tuple[list[Finding], int]:
    """Every link rule over every occurrence, honouring inline suppressions with a reason."""
    findings: list[Finding] = []
    seen: set[tuple[str, str, int | None, str]] = set()
    suppressed = 0
    for occurrence in occurrences:
        for rule in LINK_RULES:
            for finding in rule.check(occurrence, context):
                if finding.rule_id != SUPPRESSION_RULE and _silenced(occurrence, finding.rule_id):
                    suppressed += 1
                    continue
                identity = (finding.rule_id, finding.path or "", finding.line, finding.key)
                if finding.rule_id == SUPPRESSION_RULE and identity in seen:
                    continue
                seen.add(identity)
                findings.append(finding)
    return findings, suppressed


def scan_site(options: LinkOptions, known_buckets: Iterable[str]) -> LinkScanResult:
    """Scan the paths, judge every link, then apply the baseline if one is given."""
    baseline = read_baseline(options.baseline) if options.baseline else None
    scan = scan_paths(options.paths, options.root, options.settings)
    context = LinkContext(as_of=options.as_of, known_buckets=frozenset(known_buckets))
    findings, suppressed = judge_links(scan.occurrences, context)
    section: dict[str, Any] = {
        "files_scanned": scan.files_scanned,
        "bytes_scanned": scan.bytes_scanned,
        "links_checked": len(scan.occurrences),
        "files_skipped": len(scan.skipped),
        "suppressed_inline": suppressed,
        "as_of": options.as_of.isoformat().replace("+00:00", "Z"),
    }
    kept: tuple[Finding, ...] = tuple(findings)
    if baseline is not None:
        result = apply_baseline(findings, baseline)
        kept = result.findings
        section["baseline"] = {
            "path": options.baseline.as_posix() if options.baseline else None,
            "accepted": result.accepted,
            "stale": list(result.stale),
        }
    skipped = tuple(
        Incomplete(SECTION, item.resource, item.reason, blocking=options.strict)
        for item in scan.skipped
    )
    return LinkScanResult(kept, skipped, section, tuple(findings))


def missing_paths(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if not p.exists()]
