"""The objects check: stream each bucket's objects through the object rules, then the
capacity model.

The objects come from a listing (after Monitoring's object count says what it will cost in
Class A operations, refused above ``max_list_ops``) or from a Storage Insights inventory
report; a local build folder is :mod:`costwatch.checks.objects_local`. Only counters, the
largest examples and the sizes of objects the site links are kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.capacity import (
    CapacitySection,
    Observed,
    PageObject,
    budget_of,
    build_capacity,
    observed,
)
from costwatch.checks.base import CheckResult
from costwatch.config import Config
from costwatch.errors import CostwatchError
from costwatch.findings import Finding, Incomplete, IncompleteKind, Severity
from costwatch.objects_model import (
    BucketObjects,
    ListingProgress,
    ObjectLink,
    ObjectRecord,
    ObjectsSection,
)
from costwatch.report import Report, build_report, relative_uri
from costwatch.rules.object_base import EXAMPLES, ObjectContext, ObjectRule, Tally
from costwatch.rules.objects import (
    HiddenBytes,
    HiddenBytesContext,
    MissingLinkedObject,
    MissingObjects,
    UnlinkedObjects,
    UnlinkedTally,
)
from costwatch.rules.registry import RULES_BY_FAMILY, rule_ids
from costwatch.sources.base import SourceError
from costwatch.sources.objects import (
    LISTED_FIELDS,
    PAGE_SIZE,
    SECTION,
    ListingError,
)

_LISTING_KINDS = {
    "permission": IncompleteKind.PERMISSION,
    "credentials": IncompleteKind.CREDENTIALS,
    "not_found": IncompleteKind.NOT_FOUND,
    "incomplete": IncompleteKind.UNAVAILABLE,
    "capped": IncompleteKind.UNSUPPORTED,
}

#: The objects family from the registry: rules that judge one object at a time, and the three
#: that judge Monitoring's bytes and the site's links.
PER_OBJECT_RULES: tuple[ObjectRule, ...] = tuple(
    r for r in RULES_BY_FAMILY["objects"] if isinstance(r, ObjectRule)
)
HIDDEN_BYTES = next(r for r in RULES_BY_FAMILY["objects"] if isinstance(r, HiddenBytes))
MISSING_OBJECT = next(r for r in RULES_BY_FAMILY["objects"] if isinstance(r, MissingLinkedObject))
UNLINKED = next(r for r in RULES_BY_FAMILY["objects"] if isinstance(r, UnlinkedObjects))
RULE_IDS = rule_ids("objects")


@dataclass(frozen=True)
class ObjectOptions:
    """What ``costwatch objects`` was asked to do, beyond the config."""

    buckets: tuple[str, ...] = ()
    project: str | None = None
    inventory: str | None = None
    local: Path | None = None
    max_list_ops: int = 100
    cache_hit_ratio: float = 0.0
    fresh_month: bool = False
    as_of: datetime | None = None


@dataclass(frozen=True)
class ObjectsResult(CheckResult):
    """The check's result; ``section`` is the :class:`ObjectsSection`, plus the capacity."""

    capacity: CapacitySection | None = None
    #: The size of every linked object, by bucket, of each bucket read completely.
    linked_sizes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def objects(self) -> ObjectsSection:
        assert isinstance(self.section, ObjectsSection)
        return self.section


@dataclass
class BucketScan:
    """One bucket's streaming totals: rule tallies, classes, largest objects, linked sizes."""

    bucket: str
    context: ObjectContext
    linked: frozenset[str] = frozenset()
    objects: int = 0
    bytes: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    tallies: dict[tuple[str, Severity], Tally] = field(default_factory=dict)
    linked_sizes: dict[str, int] = field(default_factory=dict)
    unlinked: Tally = field(default_factory=Tally)
    source: str = "listing"
    complete: bool = True
    pages: int = 0
    estimated_pages: int | None = None

    def add(self, record: ObjectRecord, rules: Iterable[ObjectRule]) -> None:
        self.objects += 1
        size = record.size or 0
        self.bytes += size
        klass = (record.storage_class or "unknown").upper()
        if len(self.by_class) < 16 or klass in self.by_class:
            self.by_class[klass] = self.by_class.get(klass, 0) + size
        for rule in rules:
            severity = rule.matches(record, self.context)
            if severity is not None:
                self.tallies.setdefault((rule.id, severity), Tally()).add(record)
        if record.name in self.linked:
            self.linked_sizes[record.name] = size
        else:
            self.unlinked.add(record)

    def findings(self, rules: Iterable[ObjectRule]) -> list[Finding]:
        out: list[Finding] = []
        for rule in rules:
            for (rule_id, _), tally in sorted(self.tallies.items(), key=lambda kv: kv[0][1].rank):
                if rule_id == rule.id:
                    out.extend(rule.check(tally, self.context))
        return out

    def summary(self, allowance_class_a: int) -> BucketObjects:
        listed = self.source == "listing"
        return BucketObjects(
            name=self.bucket,
            source=self.source,
            complete=self.complete,
            objects=self.objects,
            bytes=self.bytes,
            bytes_by_class=() if self.source == "local" else tuple(sorted(self.by_class.items())),
            list_pages=self.pages if listed else None,
            estimated_list_pages=self.estimated_pages,
            class_a_share_percent=(
                round(self.pages / allowance_class_a * 100, 2)
                if allowance_class_a and listed
                else None
            ),
        )


def applicable_rules(context: ObjectContext) -> tuple[list[ObjectRule], list[ObjectRule]]:
    """(rules to run, rules the source cannot feed): a missing field is "not checked"."""
    run: list[ObjectRule] = []
    unchecked: list[ObjectRule] = []
    for rule in PER_OBJECT_RULES:
        if context.local and rule.remote_only:
            continue
        (run if rule.needs <= context.fields else unchecked).append(rule)
    return run, unchecked


def list_pages(objects: float | None) -> int | None:
    """``objects.list`` pages (Class A operations) a listing of ``objects`` spends."""
    if objects is None:
        return None
    return max(1, math.ceil(objects / PAGE_SIZE))


def listing_cost(pages: int, allowance_class_a: int) -> str:
    share = pages / allowance_class_a * 100 if allowance_class_a else float("inf")
    digits = 2 if share < 0.1 else 1
    return (
        f"{pages:,} objects.list page{'s' if pages != 1 else ''} = {pages:,} Class A "
        f"operation{'s' if pages != 1 else ''}, {share:.{digits}f}% of the month's "
        f"{allowance_class_a:,} free"
    )


# --- the run ------------------------------------------------------------------------------


@dataclass
class ObjectRun:
    config: Config
    options: ObjectOptions
    findings: list[Finding] = field(default_factory=list)
    incomplete: list[Incomplete] = field(default_factory=list)
    scans: dict[str, BucketScan] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def context(self, bucket: str, fields: frozenset[str], local: bool = False) -> ObjectContext:
        return ObjectContext(
            bucket=bucket,
            public=self.config.settings_for(bucket).public if not local else True,
            max_image_bytes=int(self.config.max_image_kib * 1024),
            prices=self.config.prices,
            fields=fields,
            local=local,
        )

    def stream(
        self, scan: BucketScan, records: Iterable[ObjectRecord], rules: list[ObjectRule]
    ) -> None:
        for record in records:
            scan.add(record, rules)

    def not_checked(self, scan: BucketScan, unchecked: list[ObjectRule], why: str) -> None:
        """One entry per bucket naming every rule the source cannot feed, and the columns."""
        if not unchecked:
            return
        from costwatch.sources.inventory import COLUMNS

        column = {field: name for name, field in COLUMNS.items()}
        missing = sorted(
            {column.get(f, f) for r in unchecked for f in r.needs - scan.context.fields}
        )
        rules = ", ".join(r.id for r in unchecked)
        self.incomplete.append(
            Incomplete(
                SECTION,
                scan.context.resource,
                f"{rules} not checked: {why} has no {', '.join(missing)} column "
                "(add it to the report configuration's metadata fields)",
                blocking=True,
                kind=IncompleteKind.UNKNOWN_VALUE,
            )
        )


def site_links(
    config: Config, buckets: frozenset[str]
) -> tuple[dict[str, list[ObjectLink]], list[Incomplete]]:
    """Every site file's links to objects of the audited buckets."""
    from costwatch.linkscan import scan_settings
    from costwatch.sources.object_links import site_object_links

    if not config.site:
        return {}, []
    root = config.source.parent if config.source else Path.cwd()
    present = tuple(p for p in config.site if p.exists())
    links, scan = site_object_links(present, root, buckets, scan_settings(config))
    skipped = [
        Incomplete(SECTION, item.resource, item.reason, blocking=False) for item in scan.skipped
    ]
    return links, skipped


def page_definitions(
    config: Config, links: Mapping[str, list[ObjectLink]], root: Path
) -> dict[str, list[ObjectLink]]:
    """Pages and the links each loads: ``[capacity.pages]``, else each HTML file."""
    configured = config.capacity_pages
    pages: dict[str, list[ObjectLink]] = {}
    if configured:
        for name, files in configured.items():
            wanted = {_display(root, f) for f in files}
            pages[name] = [link for path in sorted(wanted) for link in links.get(path, [])]
        return pages
    for path, found in links.items():
        if path.lower().endswith((".html", ".htm")):
            pages[path] = found
    return pages


def _display(root: Path, file: str) -> str:
    path = (root / file).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run_objects(
    config: Config,
    options: ObjectOptions,
    *,
    now: datetime,
    on_page: Callable[[str, ListingProgress], None] | None = None,
) -> ObjectsResult:
    """The ``objects`` run for bucket listings or an inventory report (``--local``: see
    :mod:`costwatch.checks.objects_local`)."""
    if options.local is not None:
        raise CostwatchError("a local build folder is judged by objects_local.run_local")
    return _run_remote(config, options, now, on_page)


def read_metrics(run: ObjectRun, buckets: frozenset[str], now: datetime) -> Any:
    """Monitoring's figures for ``buckets``; what cannot be read is listed as not checked."""
    from costwatch.billing import billing_period
    from costwatch.checks.forecast import CLASS_B_METHODS
    from costwatch.sources.object_metrics import ObjectMetrics, read_object_metrics

    config, options = run.config, run.options
    if not options.project:
        run.incomplete.append(
            Incomplete(
                SECTION,
                "*",
                "no project: Cloud Monitoring was not read, so the listing cost was not "
                f"estimated and {HIDDEN_BYTES.id} was not checked (set --project or `project`)",
                kind=IncompleteKind.MISSING_INPUT,
            )
        )
        return ObjectMetrics()
    metrics = read_object_metrics(
        options.project,
        billing_period(options.as_of, now=now),
        buckets,
        CLASS_B_METHODS,
        config.api_timeout_seconds,
        config.api_retry_seconds,
    )
    for name, reason in sorted(metrics.errors.items()):
        run.notes.append(f"Cloud Monitoring ({name}): {reason}")
    return metrics


def _run_remote(
    config: Config,
    options: ObjectOptions,
    now: datetime,
    on_page: Callable[[str, ListingProgress], None] | None,
) -> ObjectsResult:
    run = ObjectRun(config, options)
    buckets = options.buckets
    if not buckets:
        raise CostwatchError("no buckets to check: name them with --bucket or set `buckets`")
    audited = frozenset(buckets)
    root = config.source.parent if config.source else Path.cwd()
    links, skipped = site_links(config, audited)
    run.incomplete.extend(skipped)
    linked: dict[str, set[str]] = {b: set() for b in buckets}
    for found in links.values():
        for link in found:
            linked[link.bucket].add(link.name)
    metrics = read_metrics(run, audited, now)
    if options.inventory:
        _from_inventory(run, options.inventory, buckets, linked)
    else:
        for bucket in buckets:
            read_listing(run, bucket, linked[bucket], metrics, on_page)
    for bucket in buckets:
        scan = run.scans.get(bucket)
        if scan is None:
            continue
        run.findings.extend(scan.findings(applicable_rules(scan.context)[0]))
        if scan.complete:
            missing = [
                link
                for found in links.values()
                for link in found
                if link.bucket == bucket and link.name not in scan.linked_sizes
            ]
            run.findings.extend(MISSING_OBJECT.check(MissingObjects(tuple(missing)), None))
            if config.site:
                run.findings.extend(
                    UNLINKED.check(
                        UnlinkedTally(
                            bucket,
                            scan.unlinked.count,
                            scan.unlinked.bytes,
                            tuple(scan.unlinked.examples()[:EXAMPLES]),
                        ),
                        None,
                    )
                )
    hidden = HiddenBytesContext(config.hidden_bytes_percent)
    for bucket in buckets:
        stored = metrics.stored.get(bucket)
        if stored is not None:
            run.findings.extend(HIDDEN_BYTES.check(stored, hidden))
        elif options.project and "bytes" in metrics.errors:
            run.incomplete.append(
                Incomplete(
                    SECTION,
                    f"gs://{bucket}",
                    f"{HIDDEN_BYTES.id} not checked: {metrics.errors['bytes']}",
                    blocking=True,
                    kind=IncompleteKind.UNAVAILABLE,
                )
            )
    budget = budget_of(
        config.allowance, metrics.egress_used, metrics.class_b_used, options.fresh_month
    )
    seen: Observed | None = None
    if options.project and "sent" not in metrics.errors and "requests" not in metrics.errors:
        seen = observed(metrics.read_bytes, metrics.read_requests, budget)
    pages = page_definitions(config, links, root)

    def size_of(bucket: str, name: str) -> int | None:
        scan = run.scans.get(bucket)
        return scan.linked_sizes.get(name) if scan else None

    loads = {name: page_objects(found, size_of) for name, found in pages.items()}
    capacity = build_capacity(
        loads, budget, config.prices, options.cache_hit_ratio, seen, run.notes
    )
    section = ObjectsSection(
        tuple(
            run.scans[b].summary(config.allowance.class_a_ops) for b in buckets if b in run.scans
        ),
        notes=tuple(run.notes),
        monitoring_queries=metrics.queries,
    )
    sizes = {b: dict(scan.linked_sizes) for b, scan in run.scans.items() if scan.complete}
    return ObjectsResult(
        tuple(run.findings), tuple(run.incomplete), section, capacity, linked_sizes=sizes
    )


def page_objects(
    links: Iterable[ObjectLink], size_of: Callable[[str, str], int | None]
) -> list[PageObject]:
    seen: set[tuple[str, str]] = set()
    out: list[PageObject] = []
    for link in links:
        key = (link.bucket, link.name)
        if key in seen:
            continue  # one visit loads an object once
        seen.add(key)
        out.append(PageObject(link.bucket, link.name, size_of(link.bucket, link.name)))
    return out


def read_listing(
    run: ObjectRun,
    bucket: str,
    linked: set[str],
    metrics: Any,
    on_page: Callable[[str, ListingProgress], None] | None,
) -> None:
    from costwatch.sources.objects import list_objects, list_retry, make_client

    config, options = run.config, run.options
    allowance = config.allowance.class_a_ops
    estimate = list_pages(metrics.estimated_objects(bucket))
    uri = f"gs://{bucket}"
    if estimate is not None and estimate > options.max_list_ops:
        run.incomplete.append(
            Incomplete(
                SECTION,
                uri,
                f"not listed: listing {uri} would cost about {listing_cost(estimate, allowance)} "
                f"(Monitoring counts {metrics.estimated_objects(bucket):,.0f} objects), above "
                f"--max-list-ops {options.max_list_ops}; raise it, or read a Storage Insights "
                "inventory report with --inventory",
            )
        )
        return
    if estimate is None:
        run.notes.append(
            f"{uri}: object count unknown (no total_count in Cloud Monitoring); listing stops "
            f"at --max-list-ops {options.max_list_ops} pages"
        )
    else:
        run.notes.append(f"listing {uri}: about {listing_cost(estimate, allowance)}")
    context = run.context(bucket, LISTED_FIELDS)
    rules, _ = applicable_rules(context)
    scan = BucketScan(bucket, context, frozenset(linked), estimated_pages=estimate)
    run.scans[bucket] = scan
    progress = ListingProgress()
    try:
        client = make_client(options.project)
        records = list_objects(
            client,
            bucket,
            max_pages=options.max_list_ops,
            timeout=config.api_timeout_seconds,
            retry=list_retry(config.api_retry_seconds),
            progress=progress,
            on_page=(lambda state: on_page(bucket, state)) if on_page else None,
        )
        run.stream(scan, records, rules)
    except ListingError as exc:
        scan.complete = False
        run.incomplete.append(Incomplete(SECTION, uri, str(exc), kind=_LISTING_KINDS[exc.kind]))
    except SourceError as exc:  # no credentials, or the client cannot be made
        scan.complete = False
        run.incomplete.append(
            Incomplete(SECTION, uri, f"{uri}: {exc}", kind=IncompleteKind.CREDENTIALS)
        )
    finally:
        scan.pages = progress.pages


def _storage_errors() -> tuple[type[Exception], ...]:
    from costwatch.sources.gcs import api_errors

    return api_errors()


def _from_inventory(
    run: ObjectRun, source: str, buckets: tuple[str, ...], linked: Mapping[str, set[str]]
) -> None:
    from costwatch.sources.inventory import InventoryError, InventoryReader, storage_error

    def client() -> Any:
        from costwatch.sources.objects import make_client

        return make_client(run.options.project)

    reader = InventoryReader(source, client)
    rows = reader.rows()
    scans: dict[str, BucketScan] = {}
    rules_by_bucket: dict[str, list[ObjectRule]] = {}
    try:
        for row in rows:
            header = reader.header
            assert header is not None
            if not scans:
                if not header.has_bucket and len(buckets) > 1:
                    raise InventoryError(
                        f"{source} has no bucket column: name the one bucket it describes "
                        "with --bucket"
                    )
                for bucket in buckets:
                    context = run.context(bucket, header.fields)
                    rules_by_bucket[bucket], unchecked = applicable_rules(context)
                    scan = BucketScan(bucket, context, frozenset(linked[bucket]))
                    scan.source = "inventory"
                    scans[bucket] = scan
                    run.not_checked(scan, unchecked, "the inventory report")
            bucket = row.bucket if row.bucket is not None else buckets[0]
            target = scans.get(bucket)
            if target is not None:
                target.add(row.record, rules_by_bucket[bucket])
    except InventoryError:
        raise
    except _storage_errors() as exc:  # a gs:// report fails as it is read
        raise storage_error(exc, source) from None
    if not scans:
        raise InventoryError(f"{source} lists no objects")
    run.scans.update(scans)


def objects_report(
    result: ObjectsResult, config: Config, options: ObjectOptions, now: datetime
) -> Report:
    """The ``objects`` command's report: findings, what was not checked, two sections."""
    sections: list[Any] = [result.objects]
    if result.capacity is not None:
        sections.append(result.capacity)
    return build_report(
        "objects",
        now,
        result.findings,
        result.incomplete,
        sections=sections,
        config_path=relative_uri(config.source),
        config_lines=dict(config.source_lines),
        rules=RULE_IDS,
        as_of=options.as_of,
        project=options.project,
    )
