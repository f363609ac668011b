"""Wire the site source to the link rules: scan, judge, apply suppressions and the baseline."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.baseline import apply_baseline, read_baseline
from costwatch.findings import Finding, Incomplete
from costwatch.rules.link_base import LinkContext
from costwatch.rules.registry import LINK_RULES
from costwatch.sources.site import (
    SECTION,
    LinkOccurrence,
    ScanSettings,
    SiteScan,
    list_files,
    scan_file,
)

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


@dataclass
class _Partial:
    """What scanning and judging one share of the files produced."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Incomplete] = field(default_factory=list)
    suppressed: int = 0
    files: int = 0
    bytes: int = 0
    links: int = 0

    def add(self, other: _Partial) -> None:
        self.findings += other.findings
        self.skipped += other.skipped
        self.suppressed += other.suppressed
        self.files += other.files
        self.bytes += other.bytes
        self.links += other.links


def _scan_and_judge(
    files: Sequence[tuple[str, str]], settings: ScanSettings, context: LinkContext
) -> _Partial:
    """Scan and judge file by file, so only one file's bytes are held at a time."""
    scan = SiteScan()
    part = _Partial()
    for path, display in files:
        occurrences = scan_file(path, display, settings, scan)
        findings, suppressed = judge_links(occurrences, context)
        part.findings += findings
        part.suppressed += suppressed
        part.links += len(occurrences)
    part.skipped = scan.skipped
    part.files = scan.files_scanned
    part.bytes = scan.bytes_scanned
    return part


def _in_workers(
    files: list[tuple[str, str]], settings: ScanSettings, context: LinkContext, workers: int
) -> list[_Partial]:
    """Scan and judge shares of ``files`` in worker processes, results in file order."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, len(files) // (workers * 4))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    # fork starts fastest, and is safe while this process runs no other thread.
    forkable = "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
    method = "fork" if forkable and threading.active_count() == 1 else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        count = len(chunks)
        return list(pool.map(_scan_and_judge, chunks, [settings] * count, [context] * count))


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 2000


def scan_site(
    options: LinkOptions, known_buckets: Iterable[str], workers: int | None = None
) -> LinkScanResult:
    """Scan the paths, judge every link, then apply the baseline if one is given.

    Large trees are shared among worker processes (``workers``, default one per core); the
    result is the same, in the same order, as in one process.
    """
    baseline = read_baseline(options.baseline) if options.baseline else None
    context = LinkContext(as_of=options.as_of, known_buckets=frozenset(known_buckets))
    walked = SiteScan()
    files = list_files(options.paths, options.root, options.settings, walked)
    total = _Partial(skipped=list(walked.skipped))
    workers = workers or os.cpu_count() or 1
    parts: list[_Partial] | None = None
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        try:
            parts = _in_workers(files, options.settings, context, workers)
        except (OSError, RuntimeError):
            parts = None  # no worker processes here (sandbox, platform): one process
    for part in parts or [_scan_and_judge(files, options.settings, context)]:
        total.add(part)
    findings = total.findings
    section: dict[str, Any] = {
        "files_scanned": total.files,
        "bytes_scanned": total.bytes,
        "links_checked": total.links,
        "files_skipped": len(total.skipped),
        "suppressed_inline": total.suppressed,
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
        for item in total.skipped
    )
    return LinkScanResult(kept, skipped, section, tuple(findings))


def missing_paths(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if not p.exists()]
