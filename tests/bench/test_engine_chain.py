"""The engine benchmark's synthetic chain (bench/engine_chain.py): seeded, every
promotion type and coupon kind, and valid under the engine's own parser."""

from __future__ import annotations

import random

from bench import engine_chain, engine_timing


def test_the_synthetic_chain_is_deterministic_and_complete() -> None:
    config = engine_chain.QUICK
    rng = random.Random(config.seed)
    catalog = engine_chain.make_catalog(rng, config)
    coupons = engine_chain.make_coupons(rng, catalog)
    targets = engine_chain.Targets.of_categories(catalog, catalog.categories)
    promotions = engine_chain.make_promotions(random.Random(1), 40, "P", targets)
    again = engine_chain.make_promotions(random.Random(1), 40, "P", targets)

    assert promotions == again
    assert {p["type"] for p in promotions} == set(engine_chain.PROMOTION_TYPES)
    kinds = {c["kind"] for c in coupons.coupons}
    assert kinds == {
        "cash_voucher",
        "group_purchase",
        "third_party",
        "member_voucher",
        "member_discount",
        "custom",
    }
    assert len(coupons.coupons) == 10
    book = engine_timing.book_of(catalog, promotions, coupons)  # valid under the engine's parser
    assert len(book.promotions) == 40
