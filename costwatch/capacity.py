"""The capacity model: how many page views the free allowances carry, and what runs out first.

A page view loads a set of objects once each. With ``B`` bytes and ``k`` objects per view and
a browser cache hit ratio ``h``, the month's remaining egress ``E`` and Class B operations
``O`` carry ``E / (B (1 - h))`` and ``O / (k (1 - h))`` views; the smaller names the first
limit. Past both allowances, 1,000 views cost ``1000 (1 - h) (B / GiB * egress price +
k / 1000 * Class B price)``. Everything here is pure arithmetic on numbers the sources read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from costwatch.config import Allowance, Prices
from costwatch.objects_model import extension
from costwatch.report import register_section

GIB = 1024**3

#: WebP at the same pixel size, as a share of the original's bytes: Google's WebP study
#: (developers.google.com/speed/webp/docs/webp_study): lossy WebP is 25-34% smaller than
#: JPEG (30% used here), lossless WebP 26% smaller than PNG. GIF to animated WebP: the
#: lossless figure. Estimates, stated as such in every report.
WEBP_RATIOS = {
    ".jpg": 0.70,
    ".jpeg": 0.70,
    ".png": 0.74,
    ".gif": 0.74,
    ".bmp": 0.74,
    ".tif": 0.74,
    ".tiff": 0.74,
}
WEBP_BASIS = (
    "WebP at the same pixel size estimated at 70% of a JPEG's bytes and 74% of a PNG's "
    "(Google's WebP study: lossy 25-34% smaller than JPEG, lossless 26% smaller than PNG)"
)


@dataclass(frozen=True)
class PageObject:
    """One object a page view loads: where it lives and its size (None: unknown)."""

    bucket: str
    name: str
    size: int | None


@dataclass(frozen=True)
class Budget:
    """What the month still has: egress bytes and Class B operations (None: unknown)."""

    egress_bytes: float | None
    class_b_ops: float | None
    basis: str
    #: The whole month's allowance (``--fresh-month``, offline), not what is left of this one.
    whole_month: bool = False


@dataclass(frozen=True)
class PageCapacity:
    name: str
    bytes_per_view: int
    objects_per_view: int
    views_by_egress: int | None
    views_by_class_b: int | None
    first_limit: str | None
    cost_per_1000_views_usd: float
    unresolved: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "bytes_per_view": self.bytes_per_view,
            "objects_per_view": self.objects_per_view,
            "views_by_egress": self.views_by_egress,
            "views_by_class_b": self.views_by_class_b,
            "first_limit": self.first_limit,
            "cost_per_1000_views_usd": round(self.cost_per_1000_views_usd, 4),
        }


@dataclass(frozen=True)
class Conversion:
    """Converting one object to WebP, and the views the page would then carry."""

    name: str
    size: int
    webp_size: int
    views_by_egress: int | None


@dataclass(frozen=True)
class Observed:
    """From Monitoring alone: bytes per served object this month, and what that implies."""

    read_requests: float | None
    sent_bytes: float | None
    bytes_per_object: float | None
    object_loads_by_egress: int | None
    object_loads_by_class_b: int | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "read_requests": _int(self.read_requests),
            "sent_bytes": _int(self.sent_bytes),
            "bytes_per_object": _int(self.bytes_per_object),
            "object_loads_by_egress": self.object_loads_by_egress,
            "object_loads_by_class_b": self.object_loads_by_class_b,
            "note": self.note,
        }


@register_section
@dataclass(frozen=True)
class CapacitySection:
    """The ``capacity`` section: one entry per page, what Monitoring saw, and what would help."""

    pages: tuple[PageCapacity, ...]
    observed: Observed | None
    budget: Budget
    cache_hit_ratio: float
    conversions: tuple[Conversion, ...] = ()
    heaviest: str | None = None
    notes: tuple[str, ...] = field(default=())
    key: ClassVar[str] = "capacity"

    def summary(self) -> list[str]:
        return [sentence(page, self.budget.whole_month) for page in self.pages]

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": [p.to_json() for p in self.pages],
            "observed": self.observed.to_json() if self.observed else None,
            "cache_hit_ratio": self.cache_hit_ratio,
            "budget": {
                "egress_bytes": _int(self.budget.egress_bytes),
                "class_b_ops": _int(self.budget.class_b_ops),
                "basis": self.budget.basis,
                "whole_month": self.budget.whole_month,
            },
            "summary": self.summary(),
            "webp": {
                "page": self.heaviest,
                "basis": WEBP_BASIS,
                "conversions": [
                    {
                        "name": c.name,
                        "bytes": c.size,
                        "webp_bytes": c.webp_size,
                        "views_by_egress": c.views_by_egress,
                    }
                    for c in self.conversions
                ],
            },
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CapacitySection:
        seen = data.get("observed")
        budget = data.get("budget") or {}
        webp = data.get("webp") or {}
        return cls(
            pages=tuple(
                PageCapacity(
                    str(p["name"]),
                    int(p["bytes_per_view"]),
                    int(p["objects_per_view"]),
                    p.get("views_by_egress"),
                    p.get("views_by_class_b"),
                    p.get("first_limit"),
                    float(p["cost_per_1000_views_usd"]),
                )
                for p in data.get("pages", ())
            ),
            observed=None
            if not seen
            else Observed(
                seen.get("read_requests"),
                seen.get("sent_bytes"),
                seen.get("bytes_per_object"),
                seen.get("object_loads_by_egress"),
                seen.get("object_loads_by_class_b"),
                str(seen.get("note", "")),
            ),
            budget=Budget(
                budget.get("egress_bytes"),
                budget.get("class_b_ops"),
                str(budget.get("basis", "")),
                bool(budget.get("whole_month", False)),
            ),
            cache_hit_ratio=float(data.get("cache_hit_ratio", 0.0)),
            conversions=tuple(
                Conversion(
                    str(c["name"]), int(c["bytes"]), int(c["webp_bytes"]), c.get("views_by_egress")
                )
                for c in webp.get("conversions", ())
            ),
            heaviest=webp.get("page"),
            notes=tuple(data.get("notes", ())),
        )


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def _views(budget: float | None, per_view: float, miss: float) -> int | None:
    if budget is None:
        return None
    if per_view <= 0 or miss <= 0:
        return None
    return max(0, math.floor(budget / (per_view * miss)))


def page_capacity(
    name: str,
    objects: Sequence[PageObject],
    budget: Budget,
    prices: Prices,
    cache_hit_ratio: float = 0.0,
) -> PageCapacity:
    """The views one page carries on each allowance, and its cost past them."""
    known = [o for o in objects if o.size is not None]
    total = sum(o.size or 0 for o in known)
    count = len(known)
    miss = 1.0 - cache_hit_ratio
    by_egress = _views(budget.egress_bytes, total, miss)
    by_class_b = _views(budget.class_b_ops, count, miss)
    first = None
    if by_egress is not None and by_class_b is not None:
        first = "egress" if by_egress < by_class_b else "class_b"
    cost = 1000 * miss * (total / GIB * prices.egress_gib + count / 1000 * prices.class_b_per_1000)
    unresolved = tuple(f"gs://{o.bucket}/{o.name}" for o in objects if o.size is None)
    return PageCapacity(name, total, count, by_egress, by_class_b, first, cost, unresolved)


def budget_of(
    allowance: Allowance,
    used_egress_bytes: float | None,
    used_class_b_ops: float | None,
    fresh_month: bool,
) -> Budget:
    """What is left this month, or the whole allowance with ``fresh_month``."""
    whole_egress = allowance.egress_gib * GIB
    if fresh_month:
        return Budget(
            whole_egress,
            float(allowance.class_b_ops),
            "the whole month's allowance (fresh month)",
            whole_month=True,
        )
    egress = None if used_egress_bytes is None else max(0.0, whole_egress - used_egress_bytes)
    ops = None if used_class_b_ops is None else max(0.0, allowance.class_b_ops - used_class_b_ops)
    basis = "what is left of this month's allowance (Cloud Monitoring)"
    if egress is None or ops is None:
        basis += "; unknown where Monitoring could not be read (use --fresh-month)"
    return Budget(egress, ops, basis)


def webp_conversions(
    page: Sequence[PageObject],
    budget: Budget,
    cache_hit_ratio: float = 0.0,
    limit: int = 3,
) -> list[Conversion]:
    """The ``limit`` objects of ``page`` whose WebP conversion would raise its views most."""
    sized = [o for o in page if o.size is not None]
    total = sum(o.size or 0 for o in sized)
    options: list[Conversion] = []
    for item in sized:
        ratio = WEBP_RATIOS.get(extension(item.name))
        if ratio is None or not item.size:
            continue
        webp = round(item.size * ratio)
        after = total - item.size + webp
        views = _views(budget.egress_bytes, after, 1.0 - cache_hit_ratio)
        options.append(Conversion(item.name, item.size, webp, views))
    options.sort(key=lambda c: (c.webp_size - c.size, c.name))
    return options[:limit]


def observed(sent_bytes: float | None, read_requests: float | None, budget: Budget) -> Observed:
    """Average bytes per served object from Monitoring, and how many loads the budget carries."""
    class_b = math.floor(budget.class_b_ops) if budget.class_b_ops is not None else None
    if not sent_bytes or not read_requests:
        return Observed(
            read_requests,
            sent_bytes,
            None,
            None,
            class_b,
            "no object reads this month in Cloud Monitoring" if read_requests == 0 else "",
        )
    per_object = sent_bytes / read_requests
    loads = (
        math.floor(budget.egress_bytes / per_object) if budget.egress_bytes is not None else None
    )
    return Observed(
        read_requests,
        sent_bytes,
        per_object,
        loads,
        class_b,
        "sent_bytes_count over ReadObject/GetObject requests, this month: an upper bound "
        "on billable egress (it includes traffic to Google services)",
    )


def _count(value: int | None) -> str:
    return "an unknown number of" if value is None else f"{value:,}"


def _carried(views: int | None, allowance: str, whole_month: bool, first: bool) -> str:
    noun = "views " if first else ""
    if views is None:
        return f"an unknown number of {noun}on {allowance}"
    if views == 0:
        return f"no more {noun}on {allowance} (used up this month)"
    if not first:
        return f"{views:,} on {allowance}"
    if whole_month:
        return f"{views:,} views a month on {allowance}"
    return f"{views:,} more views this month on {allowance}"


def megabytes(value: int) -> str:
    return f"{value / 1e6:,.2f} MB" if value >= 10_000 else f"{value / 1e3:,.1f} kB"


def sentence(page: PageCapacity, whole_month: bool = True) -> str:
    """One sentence a person can act on."""
    if not page.objects_per_view:
        return f"the {page.name} page loads no object of an audited bucket."
    text = (
        f"the {page.name} page ({megabytes(page.bytes_per_view)} in "
        f"{page.objects_per_view:,} object{'' if page.objects_per_view == 1 else 's'} a view) "
        "carries "
        f"{_carried(page.views_by_class_b, 'the free Class B operations', whole_month, True)} "
        f"and {_carried(page.views_by_egress, 'free egress', whole_month, False)}"
    )
    if page.first_limit == "class_b":
        text += "; Class B runs out first (fewer objects per view helps most)"
    elif page.first_limit == "egress":
        text += "; egress runs out first (smaller images help most)"
    text += f"; past the allowances 1,000 views cost ${page.cost_per_1000_views_usd:,.2f}."
    return text


def heaviest(pages: Iterable[PageCapacity]) -> PageCapacity | None:
    ranked = sorted(pages, key=lambda p: (-p.bytes_per_view, p.name))
    return ranked[0] if ranked and ranked[0].bytes_per_view else None


def build_capacity(
    pages: Mapping[str, Sequence[PageObject]],
    budget: Budget,
    prices: Prices,
    cache_hit_ratio: float,
    seen_observed: Observed | None,
    notes: Sequence[str] = (),
) -> CapacitySection:
    """The whole section: every page, the heaviest page's best three WebP conversions."""
    results = tuple(
        page_capacity(name, objs, budget, prices, cache_hit_ratio)
        for name, objs in sorted(pages.items())
    )
    top = heaviest(results)
    conversions: tuple[Conversion, ...] = ()
    extra = list(notes)
    if top is not None:
        conversions = tuple(webp_conversions(pages[top.name], budget, cache_hit_ratio))
        if top.first_limit == "class_b" and conversions:
            extra.append(
                f"the {top.name} page is limited by Class B operations: WebP raises only the "
                "views free egress carries and lowers the cost past the allowance"
            )
    for page in results:
        if page.unresolved:
            extra.append(
                f"the {page.name} page links {len(page.unresolved)} object(s) of unknown size "
                f"(not in the bucket or the build folder), left out: {page.unresolved[0]}"
            )
    return CapacitySection(
        results,
        seen_observed,
        budget,
        cache_hit_ratio,
        conversions,
        top.name if top else None,
        tuple(extra),
    )
