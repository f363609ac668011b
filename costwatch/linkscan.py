"""Wire the site source to the link rules: scan, judge, apply suppressions and the baseline."""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.baseline import apply_baseline, read_baseline
from costwatch.config import Config, LinkSettings
from costwatch.findings import Finding, Incomplete, finding_rows, findings_from_rows
from costwatch.model import Suppression
from costwatch.rules.link_base import LinkContext, LinkRule
from costwatch.rules.links import LINK_RULES
from costwatch.sources.link_targets import LinkTargets
from costwatch.sources.site import (
    SECTION,
    LinkOccurrence,
    SiteScan,
    file_prober,
    list_files,
    scan_file,
)
from costwatch.urls import Link

SUPPRESSION_RULE = "CW300"


@dataclass(frozen=True)
class LinkOptions:
    """A link scan's inputs beyond the config."""

    paths: tuple[Path, ...]
    root: Path
    as_of: datetime
    settings: LinkSettings = field(default_factory=LinkSettings)
    strict: bool = False
    baseline: Path | None = None


@dataclass(frozen=True)
class LinkScanResult:
    findings: tuple[Finding, ...]
    incomplete: tuple[Incomplete, ...]
    section: dict[str, Any]


def _silencer(occurrence: LinkOccurrence, rule_id: str) -> Suppression | None:
    """The inline suppression (with a reason) that silences ``rule_id`` here, if any."""
    for suppression in occurrence.suppressions:
        if rule_id in suppression.rules and suppression.reason:
            return suppression
    return None


@dataclass
class Judgement:
    """Findings, how many were suppressed inline, and which suppressions did the work."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    used: set[tuple[str, int, str]] = field(default_factory=set)

    def merge(self, other: Judgement) -> None:
        self.findings += other.findings
        self.suppressed += other.suppressed
        self.used |= other.used

    def __getstate__(self) -> tuple[list[tuple[Any, ...]], int, set[tuple[str, int, str]]]:
        # Sent back from worker processes as flat rows: see ``finding_rows``.
        return finding_rows(self.findings), self.suppressed, self.used

    def __setstate__(
        self, state: tuple[list[tuple[Any, ...]], int, set[tuple[str, int, str]]]
    ) -> None:
        rows, self.suppressed, self.used = state
        self.findings = findings_from_rows(rows)


def judge_links(occurrences: Iterable[LinkOccurrence], context: LinkContext) -> Judgement:
    """Every link rule over every occurrence, honouring inline suppressions with a reason."""
    judgement = Judgement()
    found = judgement.findings
    # A reasonless suppression is reported once, however many links sit next to it.
    seen: set[tuple[str, str, int | None, str]] = set()
    for occurrence in occurrences:
        link = occurrence.link
        for rule, needs in _rules_for(link.scheme, link.host):
            if needs is not None and not (link.query and _carries(link, needs)):
                continue
            for finding in rule.check(occurrence, context):
                if finding.rule_id == SUPPRESSION_RULE:
                    identity = (finding.rule_id, finding.path or "", finding.line, finding.key)
                    if identity in seen:
                        continue
                    seen.add(identity)
                elif occurrence.suppressions:
                    silencer = _silencer(occurrence, finding.rule_id)
                    if silencer is not None:
                        judgement.suppressed += 1
                        judgement.used.add((occurrence.path, silencer.line, finding.rule_id))
                        continue
                found.append(finding)
    return judgement


def stale_suppressions(
    ignores: Iterable[tuple[str, Suppression]], used: set[tuple[str, int, str]]
) -> list[dict[str, Any]]:
    """Inline suppressions with a reason naming rules that silenced nothing."""
    stale = []
    for path, suppression in ignores:
        if not suppression.reason:
            continue  # reported as CW300 where it sits next to a link
        idle = [r for r in suppression.rules if (path, suppression.line, r) not in used]
        if idle:
            stale.append({"path": path, "line": suppression.line, "rules": idle})
    return stale


@functools.lru_cache(maxsize=4096)
def _rules_for(scheme: str, host: str) -> tuple[tuple[LinkRule, frozenset[str] | None], ...]:
    """The link rules that can apply to a scheme and host, each with the parameters a link
    must carry for it (see ``LinkRule.needs_params``); hosts repeat, so this is cached."""
    return tuple((rule, rule.needs_params()) for rule in LINK_RULES if rule.covers(scheme, host))


def _carries(link: Link, params: frozenset[str]) -> bool:
    """Does ``link`` carry one of ``params`` (lower case) as a query parameter?"""
    return any(name.lower() in params for name, _ in link.query)


def link_targets(rules: Iterable[LinkRule] = LINK_RULES) -> LinkTargets:
    """What the scanner must find: exactly the hosts, schemes and parameters rules declare."""
    rules = tuple(rules)
    return LinkTargets(
        hosts=tuple(dict.fromkeys(h.lower() for rule in rules for h in rule.hosts)),
        schemes=tuple(dict.fromkeys(s.lower() for rule in rules for s in rule.schemes)),
        params=tuple(dict.fromkeys(p.lower() for rule in rules for p in rule.params)),
    )


TARGETS = link_targets()


@dataclass
class _Partial:
    """What scanning and judging one share of the files produced (links are not kept)."""

    scan: SiteScan = field(default_factory=SiteScan)
    judgement: Judgement = field(default_factory=Judgement)
    links: int = 0

    def add(self, other: _Partial) -> None:
        self.scan.add(other.scan)
        self.judgement.merge(other.judgement)
        self.links += other.links


def _scan_and_judge(
    files: Sequence[tuple[str, str]],
    settings: LinkSettings,
    context: LinkContext,
    targets: LinkTargets = TARGETS,
) -> _Partial:
    """Scan and judge file by file, so only one file's bytes are held at a time."""
    part = _Partial()
    probe = file_prober(targets)
    with _rare_collections():
        for path, display in files:
            occurrences = scan_file(path, display, settings, part.scan, targets, probe)
            part.judgement.merge(judge_links(occurrences, context))
            part.links += len(occurrences)
    return part


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Collect reference cycles less often while scanning.

    The scan makes a few objects per link and frees them by reference count, but every 700
    allocations (the default) the collector runs, and each time the findings kept so far are
    older and more numerous: that took several percent of a large scan.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _scan_and_judge_share(
    share: tuple[Sequence[tuple[str, str]], LinkSettings, LinkContext, LinkTargets],
) -> _Partial:
    return _scan_and_judge(*share)


#: How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 0.2


def _worker_start(parent: int) -> None:
    """Set a worker process up to stop when its parent does, however the parent ends.

    Ctrl-C reaches every process in the terminal's group: workers ignore it and the parent
    ends them at once. If the parent is killed (SIGTERM, the out-of-memory killer), Linux
    kills the worker (PR_SET_PDEATHSIG), and everywhere a watcher thread notices that the
    parent is gone and exits.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        _kill_me_with_parent()
    if os.getppid() != parent:
        os._exit(1)  # the parent ended before the line above took effect
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _kill_me_with_parent() -> None:
    import ctypes

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG in <linux/prctl.h>
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(set_parent_death_signal, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl here: the watcher thread still ends the worker


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _in_workers(
    files: list[tuple[str, str]],
    settings: LinkSettings,
    context: LinkContext,
    workers: int,
    targets: LinkTargets = TARGETS,
) -> list[_Partial]:
    """Scan and judge shares of ``files`` in worker processes, results in file order.

    On any interruption (Ctrl-C, an error) the workers are killed before this returns, so
    nothing outlives the scan.
    """
    import multiprocessing

    size = max(1, len(files) // (workers * 16))
    shares = [(files[i : i + size], settings, context, targets) for i in range(0, len(files), size)]
    # fork starts fastest, and is safe while this process runs no other thread.
    forkable = "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
    method = "fork" if forkable and threading.active_count() == 1 else "spawn"
    # Set up once here, before the workers start, so each inherits it (Hyperscan's database).
    file_prober(targets)
    # Objects that exist now are never collected by the workers: without this, their first
    # collection would write to every inherited object and so copy the parent's memory.
    gc.freeze()
    try:
        pool = multiprocessing.get_context(method).Pool(
            workers, initializer=_worker_start, initargs=(os.getpid(),)
        )
    finally:
        gc.unfreeze()
    try:
        parts = pool.map(_scan_and_judge_share, shares, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return parts


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
    total = _Partial()
    files = list_files(options.paths, options.root, options.settings, total.scan)
    workers = workers or os.cpu_count() or 1
    parts: list[_Partial] | None = None
    if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
        try:
            parts = _in_workers(files, options.settings, context, workers)
        except (OSError, RuntimeError):
            parts = None  # no worker processes here (sandbox, platform): one process
    for part in parts or [_scan_and_judge(files, options.settings, context)]:
        total.add(part)
    findings = total.judgement.findings
    unread = total.scan.unread_types
    section: dict[str, Any] = {
        "files_scanned": total.scan.files_scanned,
        "bytes_scanned": total.scan.bytes_scanned,
        "links_checked": total.links,
        "files_skipped": len(total.scan.skipped),
        "suppressed_inline": total.judgement.suppressed,
        "stale_suppressions": stale_suppressions(total.scan.ignores, total.judgement.used),
        "as_of": options.as_of.isoformat().replace("+00:00", "Z"),
        # Files of a type the scan does not read, so "complete" never hides a skipped site.
        "files_not_read": sum(unread.values()),
        "files_not_read_by_type": {
            suffix or "(no suffix)": count
            for suffix, count in sorted(unread.items(), key=lambda item: (-item[1], item[0]))
        },
        "costwatch_outputs_skipped": sorted(total.scan.own_outputs),
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
        Incomplete(SECTION, item.resource, item.reason, options.strict, item.kind)
        for item in total.scan.skipped
    )
    return LinkScanResult(kept, skipped, section)


def scan_settings(
    config: Config, *, include_build: bool = False, exclude: Sequence[str] = ()
) -> LinkSettings:
    """The scan settings from the config's ``[links]`` table plus command-line additions."""
    return LinkSettings(
        max_file_bytes=config.links.max_file_bytes,
        include_build_output=include_build or config.links.include_build_output,
        exclude=config.links.exclude + tuple(exclude),
    )


def missing_paths(paths: Iterable[Path]) -> list[Path]:
    return [p for p in paths if not p.exists()]
