"""The capacity model's arithmetic, on the issue's gallery page."""

from __future__ import annotations

import pytest

from costwatch.capacity import (
    CapacitySection,
    PageObject,
    budget_of,
    build_capacity,
    observed,
    page_capacity,
    sentence,
    webp_conversions,
)
from costwatch.config import Allowance, Prices

GIB = 1024**3
FRESH = budget_of(Allowance(), None, None, fresh_month=True)
GALLERY = [PageObject("b-b", f"thumbs/{n}.jpg", 40_000) for n in range(24)] + [
    PageObject("b-b", "art/hero.png", 300_000)
]


def test_gallery_page_runs_out_of_class_b_first() -> None:
    page = page_capacity("gallery", GALLERY, FRESH, Prices())
    assert page.bytes_per_view == 1_260_000
    assert page.objects_per_view == 25
    assert page.views_by_class_b == 2_000
    assert page.views_by_egress == 85_217  # 100 GiB / 1.26 MB
    assert page.first_limit == "class_b"
    # 1.17 GiB x $0.12 + 25,000 Class B x $0.0004 / 1,000
    assert page.cost_per_1000_views_usd == pytest.approx(0.1408 + 0.01, abs=0.0005)
    assert set(page.to_json()) == {
        "name", "bytes_per_view", "objects_per_view", "views_by_egress",
        "views_by_class_b", "first_limit", "cost_per_1000_views_usd",
    }  # fmt: skip


def test_cache_hit_ratio_scales_both_limits() -> None:
    page = page_capacity("gallery", GALLERY, FRESH, Prices(), cache_hit_ratio=0.5)
    assert page.views_by_class_b == 4_000
    assert page.views_by_egress == 170_435


def test_remaining_budget_comes_from_this_month() -> None:
    budget = budget_of(
        Allowance(), used_egress_bytes=90 * GIB, used_class_b_ops=49_000, fresh_month=False
    )
    assert budget.egress_bytes == 10 * GIB
    assert budget.class_b_ops == 1_000
    page = page_capacity("gallery", GALLERY, budget, Prices())
    assert page.views_by_class_b == 40


def test_unknown_usage_is_unknown_views_not_a_full_allowance() -> None:
    budget = budget_of(Allowance(), None, None, fresh_month=False)
    page = page_capacity("gallery", GALLERY, budget, Prices())
    assert page.views_by_egress is None and page.first_limit is None
    assert "unknown" in sentence(page)


def test_sentence_says_what_runs_out_first() -> None:
    text = sentence(page_capacity("gallery", GALLERY, FRESH, Prices()))
    assert (
        "carries 2,000 views a month on the free Class B operations and 85,217 on free egress"
        in text
    )
    assert "Class B runs out first" in text


def test_webp_conversions_pick_the_biggest_savings() -> None:
    page = [PageObject("b-b", "a.png", 6_000_000), PageObject("b-b", "b.jpg", 1_000_000),
            PageObject("b-b", "c.webp", 9_000_000), PageObject("b-b", "d.jpg", 200_000),
            PageObject("b-b", "e.png", 100_000)]  # fmt: skip
    picks = webp_conversions(page, FRESH)
    assert [p.name for p in picks] == ["a.png", "b.jpg", "d.jpg"]
    assert picks[0].webp_size == 4_440_000
    assert picks[0].views_by_egress is not None


def test_observed_bytes_per_object() -> None:
    seen = observed(sent_bytes=650_000 * 1000, read_requests=1000, budget=FRESH)
    assert seen.bytes_per_object == 650_000
    assert seen.object_loads_by_egress == 100 * GIB // 650_000
    assert seen.object_loads_by_class_b == 50_000


def test_section_json_shape() -> None:
    section = build_capacity({"gallery": GALLERY}, FRESH, Prices(), 0.0, None)
    data = section.to_json()
    assert list(data)[:2] == ["pages", "observed"]
    assert CapacitySection.from_json(data).to_json() == data
    assert data["webp"]["page"] == "gallery"
    assert next(c["name"] for c in data["webp"]["conversions"]) == "art/hero.png"
    assert any("limited by Class B" in n for n in data["notes"])


def test_sentence_on_what_is_left_of_this_month() -> None:
    budget = budget_of(Allowance(), used_egress_bytes=0, used_class_b_ops=50_000, fresh_month=False)
    page = page_capacity("gallery", GALLERY, budget, Prices())
    text = sentence(page, whole_month=budget.whole_month)
    assert "carries no more views on the free Class B operations (used up this month)" in text
    assert "and 85,217 on free egress" in text
    half = budget_of(Allowance(), used_egress_bytes=0, used_class_b_ops=49_000, fresh_month=False)
    text = sentence(page_capacity("gallery", GALLERY, half, Prices()), whole_month=False)
    assert "carries 40 more views this month on the free Class B operations" in text
