"""The engine benchmark's synthetic chain (seeded): its sizes (:class:`Config`), the
catalog, promotions of all eight types, coupons and the tickets rung up."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

NOW = datetime(2026, 11, 21, 12, 0)

DEPARTMENTS = (
    "produce",
    "dairy",
    "bakery",
    "meat",
    "frozen",
    "beverages",
    "snacks",
    "pantry",
    "household",
    "personal-care",
)
PROMOTION_TYPES = (
    "percent_off",
    "amount_off",
    "special_price",
    "bogo",
    "nth_item",
    "add_on",
    "combo",
    "gift",
)
CATEGORY_SHARE = 0.25  # a promotion's item list names one category, else 1-4 SKUs
WINDOWED_SHARE = 0.33  # promotions with a validity window (that contains NOW)
PRICE_CENTS = ("00", "49", "79", "99")
PRICE_DOLLARS = (0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 11, 14, 19, 29, 44)  # most items are cheap

Raw = dict[str, Any]


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    categories: int = 250
    skus_per_category: int = 20
    promotion_counts: tuple[int, ...] = (100, 1_000, 10_000)
    line_counts: tuple[int, ...] = (20, 100, 200)
    tickets: int = 8  # distinct tickets per line count; repetitions cycle over them
    reps: int = 200
    warmup: int = 20
    touching: int = 150  # isolation: promotions drawn from the tickets' own items
    isolation_lines: int = 100
    seed: int = 20261121
    p50_cell: tuple[int, int] = (100, 1_000)  # (lines, promotions)
    p50_limit_ms: float = 5.0
    p99_cell: tuple[int, int] = (200, 10_000)
    p99_limit_ms: float = 12.0
    growth_limit: float = 2.0
    quantity_lines: int = 20
    big_quantity: int = 9_999
    quantity_limit: float = 2.0
    memory_limit_mb: float = 50.0
    big_lines: int = 1_000
    big_promotions: int = 10_000
    big_tickets: int = 4
    big_limit_ms: float = 16.0


FULL = Config()
QUICK = Config(
    categories=20,
    skus_per_category=10,
    promotion_counts=(10, 40, 160),
    line_counts=(6, 12),
    tickets=3,
    reps=6,
    warmup=1,
    touching=10,
    isolation_lines=8,
    p50_cell=(12, 40),
    p99_cell=(12, 160),
    quantity_lines=6,
    big_lines=40,
    big_promotions=160,
    big_tickets=2,
)


# ---------------------------------------------------------------- the synthetic chain


@dataclass(frozen=True)
class Catalog:
    entries: list[Raw]
    categories: list[str]
    skus_by_category: dict[str, list[str]]
    category_of: dict[str, str]
    near: list[str]  # categories tickets of the isolation experiment and coupons draw from
    far: list[str]  # the others: isolation "rest" promotions target only these


def make_catalog(rng: random.Random, config: Config) -> Catalog:
    categories = [
        f"{DEPARTMENTS[i % len(DEPARTMENTS)]}-{i // len(DEPARTMENTS) + 1:02d}"
        for i in range(config.categories)
    ]
    entries: list[Raw] = []
    skus_by_category: dict[str, list[str]] = {}
    category_of: dict[str, str] = {}
    number = 0
    for category in categories:
        skus = []
        for _ in range(config.skus_per_category):
            number += 1
            sku = f"SKU{number:05d}"
            dollars = rng.choice(PRICE_DOLLARS)
            price = f"{dollars}.{rng.choice(PRICE_CENTS[1:] if dollars == 0 else PRICE_CENTS)}"
            entries.append(
                {
                    "sku": sku,
                    "name": f"{category} item {number}",
                    "price": price,
                    "category": category,
                }
            )
            skus.append(sku)
            category_of[sku] = category
        skus_by_category[category] = skus
    shuffled = categories[:]
    rng.shuffle(shuffled)
    half = len(shuffled) // 2
    return Catalog(
        entries, categories, skus_by_category, category_of, shuffled[:half], shuffled[half:]
    )


@dataclass(frozen=True)
class Targets:
    """Where promotions pick their item lists from."""

    skus: Sequence[str]
    categories: Sequence[str]

    @classmethod
    def of_categories(cls, catalog: Catalog, categories: Sequence[str]) -> Targets:
        skus = [s for c in categories for s in catalog.skus_by_category[c]]
        return cls(skus, list(categories))

    def items(self, rng: random.Random) -> list[str]:
        if rng.random() < CATEGORY_SHARE:
            return [f"category:{rng.choice(self.categories)}"]
        return rng.sample(list(self.skus), rng.randint(1, 4))


def money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.choice(PRICE_CENTS)}"


def make_promotion(rng: random.Random, pid: str, kind: str, targets: Targets) -> Raw:
    promo: Raw = {"id": pid, "type": kind, "sequence": rng.randint(1, 100), "auto_execute": True}
    if rng.random() < WINDOWED_SHARE:
        promo["valid_from"] = "2026-11-01"
        promo["valid_to"] = "2026-12-31"
    if kind == "percent_off":
        promo["percent"] = str(rng.choice((5, 10, 15, 20, 25, 30)))
        promo["items"] = targets.items(rng)
        if rng.random() < 0.3:
            promo["min_spend"] = money(rng, 5, 30)
    elif kind == "amount_off":
        promo["threshold"] = money(rng, 5, 40)
        promo["amount"] = money(rng, 1, 5)
        promo["items"] = targets.items(rng)
    elif kind == "special_price":
        promo["price"] = money(rng, 0, 4)
        promo["items"] = targets.items(rng)
    elif kind == "bogo":
        promo["buy"] = rng.choice((1, 1, 2))
        promo["get"] = 1
        promo["items"] = targets.items(rng)
    elif kind == "nth_item":
        promo["n"] = rng.choice((2, 3))
        promo["percent"] = str(rng.choice((25, 50, 100)))
        promo["items"] = targets.items(rng)
    elif kind == "add_on":
        promo["trigger_items"] = targets.items(rng)
        promo["addon_items"] = targets.items(rng)
        promo["addon_price"] = money(rng, 0, 2)
    elif kind == "combo":
        promo["components"] = [targets.items(rng) for _ in range(rng.randint(2, 3))]
        promo["price"] = money(rng, 3, 20)
    elif kind == "gift":
        promo["threshold"] = money(rng, 10, 60)
        promo["gift_sku"] = rng.choice(list(targets.skus))
        promo["items"] = targets.items(rng)
    else:  # pragma: no cover - PROMOTION_TYPES is closed
        raise ValueError(kind)
    return promo


def make_promotions(rng: random.Random, count: int, prefix: str, targets: Targets) -> list[Raw]:
    """``count`` promotions, the eight types in turn, sequences at random."""
    return [
        make_promotion(rng, f"{prefix}{n:05d}", PROMOTION_TYPES[n % len(PROMOTION_TYPES)], targets)
        for n in range(count)
    ]


@dataclass(frozen=True)
class CouponPlan:
    """The chain's ten coupons, and which the tickets redeem (with the lines they need)."""

    coupons: list[Raw]
    plans: list[tuple[list[str], list[str]]]  # (SKUs forced onto the ticket, codes in order)


def make_coupons(rng: random.Random, catalog: Catalog) -> CouponPlan:
    gp_cat, mv_cat, cu_cat = rng.sample(catalog.near, 3)
    near_skus = [s for c in catalog.near for s in catalog.skus_by_category[c]]
    gp_sku, tp_sku = rng.sample(near_skus, 2)
    coupons: list[Raw] = [
        {"code": "CV-10", "kind": "cash_voucher", "sequence": 1, "face_value": "10.00"},
        {
            "code": "CV-MIN",
            "kind": "cash_voucher",
            "sequence": 2,
            "face_value": "5.00",
            "min_spend": "15.00",
        },
        {
            "code": "GP-CAT",
            "kind": "group_purchase",
            "sequence": 3,
            "units": 2,
            "face_value": "12.00",
            "items": [f"category:{gp_cat}"],
        },
        {"code": "GP-SKU", "kind": "group_purchase", "sequence": 4, "items": [gp_sku]},
        {
            "code": "TP-GP",
            "kind": "third_party",
            "as": "group_purchase",
            "sequence": 5,
            "items": [tp_sku],
        },
        {
            "code": "TP-CV",
            "kind": "third_party",
            "as": "cash_voucher",
            "sequence": 6,
            "face_value": "4.00",
        },
        {
            "code": "MV-ORIG",
            "kind": "member_voucher",
            "sequence": 7,
            "face_value": "3.00",
            "deduct_from": "original",
            "items": [f"category:{mv_cat}"],
        },
        {
            "code": "MV-DISC",
            "kind": "member_voucher",
            "sequence": 8,
            "face_value": "5.00",
            "deduct_from": "discounted",
            "min_spend": "10.00",
        },
        {"code": "MD-5", "kind": "member_discount", "sequence": 9, "percent": "5"},
        {
            "code": "CU-10",
            "kind": "custom",
            "sequence": 10,
            "percent": "10",
            "items": [f"category:{cu_cat}"],
        },
    ]
    cat_sku = {c: catalog.skus_by_category[c][0] for c in (gp_cat, mv_cat, cu_cat)}
    plans = [
        ([cat_sku[gp_cat], cat_sku[cu_cat]], ["GP-CAT", "CU-10", "CV-10", "MD-5"]),
        ([tp_sku, cat_sku[mv_cat]], ["TP-GP", "MV-ORIG", "TP-CV", "MV-DISC"]),
        ([gp_sku], ["GP-SKU", "CV-MIN", "MD-5"]),
    ]
    return CouponPlan(coupons, plans)


@dataclass(frozen=True)
class TicketSpec:
    """A ticket to ring up: its lines (SKU, qty), the coupons redeemed, the item added last."""

    lines: list[tuple[str, int]]
    coupons: list[str]


def make_tickets(
    rng: random.Random, count: int, lines: int, skus: Sequence[str], coupons: CouponPlan
) -> list[TicketSpec]:
    specs = []
    for k in range(count):
        forced, codes = coupons.plans[k % len(coupons.plans)]
        # the coupons' lines first: the state before the last add must hold them
        chosen = [*forced, *(rng.choice(skus) for _ in range(lines - len(forced)))]
        qtys = [rng.choice((1, 1, 1, 1, 2, 2, 3)) for _ in chosen]
        specs.append(TicketSpec(list(zip(chosen, qtys, strict=True)), codes))
    return specs
