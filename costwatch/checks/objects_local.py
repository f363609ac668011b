"""``objects --local``: a build folder judged before upload, offline; with ``--bucket``, what
uploading it would change.

No Google library is imported unless a bucket is named.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

from costwatch.capacity import Budget, PageObject, budget_of, build_capacity
from costwatch.checks.objects import (
    BucketScan,
    ObjectOptions,
    ObjectRun,
    ObjectsResult,
    applicable_rules,
    read_listing,
    read_metrics,
)
from costwatch.config import Config
from costwatch.errors import CostwatchError
from costwatch.objects_model import ListingProgress, ObjectRecord, ObjectsSection

LOCAL_FIELDS = frozenset({"size", "content_type"})
#: Folders a build output never uploads.
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".svn", ".hg", "__pycache__"})


def local_records(root: Path) -> Iterator[ObjectRecord]:
    """Every file of a build folder as the object it would become (name = relative path)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for file_name in sorted(files):
            path = Path(folder) / file_name
            try:
                size = path.stat().st_size
            except OSError:
                continue
            name = path.relative_to(root).as_posix()
            # What `gcloud storage cp` would send: the type guessed from the extension.
            guessed, encoding = mimetypes.guess_type(name, strict=False)
            yield ObjectRecord(
                name=name,
                size=size,
                content_type=guessed or "application/octet-stream",
                content_encoding=encoding,
            )


def run_local(
    config: Config,
    options: ObjectOptions,
    *,
    now: datetime,
    on_page: Callable[[str, ListingProgress], None] | None = None,
) -> ObjectsResult:
    """The rules that need no server and the capacity model, over a build folder."""
    assert options.local is not None
    root = options.local
    if not root.is_dir():
        raise CostwatchError(f"--local {root}: not a folder")
    if len(options.buckets) > 1:
        raise CostwatchError("--local compares a build folder with one --bucket, not several")
    run = ObjectRun(config, options)
    label = root.as_posix()
    context = run.context(label, LOCAL_FIELDS, local=True)
    rules, _ = applicable_rules(context)
    scan = BucketScan(label, context, source="local")
    pages = _local_pages(root, config)
    scan.linked = frozenset(name for objs in pages.values() for name in objs)
    run.stream(scan, local_records(root), rules)
    run.findings.extend(scan.findings(rules))
    budget = budget_of(config.allowance, None, None, fresh_month=True)
    budget = Budget(
        budget.egress_bytes,
        budget.class_b_ops,
        "the whole month's allowance (offline: nothing is known about this month's use)",
        whole_month=True,
    )
    loads = {
        name: [PageObject(label, n, scan.linked_sizes.get(n)) for n in sorted(objs)]
        for name, objs in pages.items()
    }
    notes: list[str] = []
    if options.buckets:
        notes = _compare_with_bucket(run, root, options.buckets[0], pages, budget, now, on_page)
    capacity = build_capacity(loads, budget, config.prices, options.cache_hit_ratio, None, notes)
    section = ObjectsSection(
        (
            scan.summary(config.allowance.class_a_ops),
            *(s.summary(config.allowance.class_a_ops) for s in run.scans.values()),
        ),
        notes=tuple(run.notes),
        not_applicable=(
            "CW401, CW404, CW405: settings of uploaded objects, not of local files",
            "CW406-CW408: need the bucket and Cloud Monitoring",
        ),
    )
    return ObjectsResult(tuple(run.findings), tuple(run.incomplete), section, capacity)


def _compare_with_bucket(
    run: ObjectRun,
    root: Path,
    bucket: str,
    pages: Mapping[str, set[str]],
    budget: Budget,
    now: datetime,
    on_page: Callable[[str, ListingProgress], None] | None,
) -> list[str]:
    """What uploading the folder to ``bucket`` would add, and how each page's views change.

    The bucket is listed (after the usual cost estimate) to learn the sizes of the objects the
    folder would replace; only those sizes are kept.
    """
    from costwatch.capacity import page_capacity

    config, options = run.config, run.options
    local_sizes = {record.name: record.size or 0 for record in local_records(root)}
    metrics = read_metrics(run, frozenset({bucket}), now)
    read_listing(run, bucket, set(local_sizes), metrics, on_page)
    remote = run.scans[bucket]
    if not remote.complete:
        return [f"not compared with gs://{bucket}: its listing is incomplete"]
    before = remote.linked_sizes
    added = sum(size - before.get(name, 0) for name, size in local_sizes.items())
    new = sum(1 for name in local_sizes if name not in before)
    changed = sum(1 for name, size in local_sizes.items() if before.get(name, size) != size)
    verb = "adds" if added >= 0 else "removes"
    notes = [
        f"this deploy {verb} {abs(added) / 1e6:,.1f} MB to gs://{bucket} ({new:,} new and "
        f"{changed:,} changed objects)"
    ]
    for name, objects in sorted(pages.items()):
        old = page_capacity(
            name,
            [PageObject(bucket, n, before.get(n)) for n in objects],
            budget,
            config.prices,
            options.cache_hit_ratio,
        )
        now_page = page_capacity(
            name,
            [PageObject(bucket, n, local_sizes.get(n)) for n in objects],
            budget,
            config.prices,
            options.cache_hit_ratio,
        )
        if old.unresolved or not old.views_by_egress or now_page.views_by_egress is None:
            notes.append(f"the {name} page is new or changed beyond comparison with the bucket")
            continue
        factor = now_page.views_by_egress / old.views_by_egress
        notes.append(
            f"the {name} page: the views free egress carries go from {old.views_by_egress:,} "
            f"to {now_page.views_by_egress:,} (x{factor:.2f})"
        )
    return notes


def _local_pages(root: Path, config: Config) -> dict[str, set[str]]:
    """Each HTML file of the build folder and the local files it loads."""
    from costwatch.sources.local_pages import page_assets

    pages: dict[str, set[str]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for file_name in sorted(files):
            if file_name.lower().endswith((".html", ".htm")):
                page = Path(folder) / file_name
                name = page.relative_to(root).as_posix()
                pages[name] = page_assets(page, root, frozenset(config.buckets))
    return pages
