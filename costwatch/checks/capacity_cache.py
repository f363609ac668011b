"""The capacity section without listing: sizes an ``objects`` run saw, kept for ``audit``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from costwatch.capacity import CapacitySection, budget_of, build_capacity
from costwatch.checks.objects import ObjectsResult, page_definitions, page_objects, site_links
from costwatch.config import Config


def remember_sizes(config: Config, result: ObjectsResult, now: datetime) -> None:
    """Keep the linked objects' sizes next to the config, for ``audit``'s capacity section."""
    from costwatch.objects_cache import ObjectsCache, cache_path, write_cache

    path = cache_path(config.source)
    if path is None or not result.linked_sizes:
        return
    # A read-only checkout: audit then shows no capacity section, nothing else breaks.
    with contextlib.suppress(OSError):
        write_cache(path, ObjectsCache(now, result.linked_sizes))


def cached_capacity(
    config: Config, buckets: Iterable[str], sections: Iterable[Any]
) -> CapacitySection | None:
    """The capacity section from the last ``objects`` run's sizes and this month's usage."""
    from costwatch.objects_cache import cache_path, read_cache
    from costwatch.report import UsageSection
    from costwatch.units import iso

    path = cache_path(config.source)
    cache = read_cache(path) if path is not None and config.site else None
    if cache is None:
        return None
    audited = frozenset(buckets) & frozenset(cache.sizes)
    if not audited:
        return None
    links, _ = site_links(config, audited)
    root = config.source.parent if config.source else Path.cwd()
    pages = page_definitions(config, links, root)
    usage = next((s for s in sections if isinstance(s, UsageSection)), None)
    budget = budget_of(
        config.allowance,
        usage.figure("egress").used if usage else None,
        usage.figure("class_b_ops").used if usage else None,
        fresh_month=False,
    )

    def size_of(bucket: str, name: str) -> int | None:
        return cache.sizes.get(bucket, {}).get(name)

    note = f"object sizes from the objects run at {iso(cache.read_at)} ({CACHE_NOTE})"
    return build_capacity(
        {name: page_objects(found, size_of) for name, found in pages.items()},
        budget,
        config.prices,
        0.0,
        None,
        (note,),
    )


CACHE_NOTE = ".costwatch/objects-cache.json next to the config"
