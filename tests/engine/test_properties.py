"""Properties over random catalogs, promotions of every type, coupons of every kind and
random cashier actions (R2, R3, R5, refusals, idempotent recalculation, line order)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.engine import PricedTicket, Refusal, Ticket, promotion_stage, recalculation
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SetQuantity,
    TicketCommand,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.money import Currency
from pos_app.engine.promotion_effects import PromotionOutcome, apply_promotion
from tests.helpers.engine_builders import TillClock, price_book

ZERO = Decimal(0)
SKUS = ("A", "B", "C", "D", "E")
CATEGORIES = ("hot", "cold")
LINE_IDS = ("L0", "L1", "L2", "L3", "L4")
PROMOTION_IDS = ("P0", "P1", "P2", "P3")
COUPON_CODES = ("C0", "C1", "C2")
DISCOUNT_IDS = ("D0", "D1")

FAST = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def cents(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(money)


percents = st.sampled_from(["0", "5", "10", "12.5", "15", "20", "33", "50", "99", "100"])


# ---------------------------------------------------------------- catalog and definitions


@st.composite
def catalogs(draw: st.DrawFn, *, distinct_prices: bool = False) -> list[dict[str, str]]:
    size = draw(st.integers(2, len(SKUS)))
    if distinct_prices:
        prices = draw(st.lists(st.integers(1, 3000), min_size=size, max_size=size, unique=True))
    else:
        prices = draw(st.lists(st.integers(0, 3000), min_size=size, max_size=size))
    return [
        {"sku": SKUS[i], "price": money(prices[i]), "category": draw(st.sampled_from(CATEGORIES))}
        for i in range(size)
    ]


def item_lists(skus: list[str], *, required: bool) -> st.SearchStrategy[list[str] | None]:
    names = [*skus, *(f"category:{c}" for c in CATEGORIES)]
    some = st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)
    return some if required else st.one_of(st.none(), some)


@st.composite
def promotion_definitions(
    draw: st.DrawFn, skus: list[str], pid: str, *, always_auto: bool
) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "percent_off",
                "amount_off",
                "special_price",
                "bogo",
                "nth_item",
                "add_on",
                "combo",
                "gift",
            ]
        )
    )
    auto = True if always_auto else draw(st.sampled_from([True, True, False]))
    base: dict[str, Any] = {
        "id": pid,
        "type": kind,
        "sequence": draw(st.integers(0, 3)),
        "auto_execute": auto,
    }
    items = item_lists(skus, required=False)
    required = item_lists(skus, required=True)
    if kind == "percent_off":
        base |= {"percent": draw(percents), "items": draw(items)}
        base |= {"min_spend": draw(st.one_of(st.none(), cents(0, 5000)))}
    elif kind == "amount_off":
        base |= {"threshold": draw(cents(0, 5000)), "amount": draw(cents(1, 3000))}
        base |= {"items": draw(items)}
    elif kind == "special_price":
        base |= {"price": draw(cents(0, 2000)), "items": draw(required)}
    elif kind == "bogo":
        base |= {"buy": draw(st.integers(1, 3)), "get": draw(st.integers(1, 2))}
        base |= {"items": draw(items)}
    elif kind == "nth_item":
        base |= {"n": draw(st.integers(1, 4)), "percent": draw(percents), "items": draw(items)}
    elif kind == "add_on":
        base |= {"trigger_items": draw(required), "addon_items": draw(required)}
        base |= {"addon_price": draw(cents(0, 1000))}
    elif kind == "combo":
        base |= {"components": draw(st.lists(required, min_size=1, max_size=3))}
        base |= {"price": draw(cents(0, 4000))}
    else:
        base |= {"threshold": draw(cents(0, 5000)), "gift_sku": draw(st.sampled_from(skus))}
        base |= {"qty": draw(st.integers(1, 2)), "items": draw(items)}
    return {k: v for k, v in base.items() if v is not None}


@st.composite
def coupon_definitions(draw: st.DrawFn, skus: list[str], code: str) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "group_purchase",
                "cash_voucher",
                "third_party_gp",
                "third_party_cv",
                "member_voucher",
                "member_discount",
                "custom",
            ]
        )
    )
    base: dict[str, Any] = {"code": code, "sequence": draw(st.integers(0, 2))}
    items = item_lists(skus, required=False)
    face = cents(0, 3000)
    min_spend = st.one_of(st.none(), cents(0, 3000))
    if kind in ("group_purchase", "third_party_gp"):
        base |= {"items": draw(item_lists(skus, required=True)), "units": draw(st.integers(1, 3))}
        base |= {"face_value": draw(st.one_of(st.none(), face))}
    elif kind in ("cash_voucher", "third_party_cv", "member_voucher"):
        base |= {"face_value": draw(face), "items": draw(items), "min_spend": draw(min_spend)}
    elif kind == "member_discount":
        base |= {"percent": draw(percents), "items": draw(items)}
    else:
        amount = draw(
            st.one_of(face.map(lambda f: {"face_value": f}), percents.map(lambda p: {"percent": p}))
        )
        base |= amount | {"items": draw(items), "min_spend": draw(min_spend)}
    if kind.startswith("third_party"):
        base |= {
            "kind": "third_party",
            "as": "group_purchase" if kind.endswith("gp") else "cash_voucher",
        }
    else:
        base |= {"kind": kind}
    if kind == "member_voucher":
        base |= {"deduct_from": draw(st.sampled_from(["original", "discounted"]))}
    return {k: v for k, v in base.items() if v is not None}


@st.composite
def price_books(draw: st.DrawFn) -> dict[str, Any]:
    catalog = draw(catalogs())
    skus = [item["sku"] for item in catalog]
    n_promotions = draw(st.integers(0, len(PROMOTION_IDS)))
    n_coupons = draw(st.integers(0, len(COUPON_CODES)))
    return {
        "catalog": catalog,
        "promotions": [
            draw(promotion_definitions(skus, PROMOTION_IDS[i], always_auto=False))
            for i in range(n_promotions)
        ],
        "coupons": [draw(coupon_definitions(skus, COUPON_CODES[i])) for i in range(n_coupons)],
    }


# ---------------------------------------------------------------- actions


def actions(
    skus: list[str], lines: list[str], promotion_ids: list[str], coupon_codes: list[str]
) -> st.SearchStrategy[TicketCommand]:
    """One cashier action; it names a line, promotion or coupon that exists most of the time."""
    pids = st.sampled_from([*promotion_ids, *promotion_ids, "PX"])
    codes = st.sampled_from([*coupon_codes, *coupon_codes, "CX"])
    line = (
        st.sampled_from([*lines, *lines, *lines, *LINE_IDS]) if lines else st.sampled_from(LINE_IDS)
    )
    qty = st.integers(-1, 4)
    discount_ids = st.sampled_from(DISCOUNT_IDS)
    return st.one_of(
        st.builds(AddItem, st.sampled_from(LINE_IDS), st.sampled_from([*skus, "NOPE"]), qty),
        st.builds(AddItem, st.sampled_from(LINE_IDS), st.sampled_from(skus), st.integers(1, 4)),
        st.builds(SetQuantity, line, qty),
        st.builds(RemoveLine, line),
        st.builds(Present, line),
        st.builds(Unpresent, line),
        st.builds(AdjustPrice, line, st.one_of(cents(0, 3000), st.just("-1.00"))),
        st.builds(Unadjust, line),
        st.builds(ApplyDiscount, discount_ids, percent=percents, line_id=st.none() | line),
        st.builds(ApplyDiscount, discount_ids, amount=cents(0, 2000), line_id=st.none() | line),
        st.builds(RemoveDiscount, discount_ids),
        st.builds(TriggerPromotion, pids),
        st.builds(CancelPromotion, pids),
        st.builds(Redeem, codes),
        st.builds(RemoveCoupon, codes),
        st.builds(
            Redeem, st.sampled_from([*coupon_codes, "CX"])
        ),  # redeeming is drawn twice as often
    )


# ---------------------------------------------------------------- invariants


def source_totals(priced: PricedTicket, stages: set[int]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in priced.lines:
        for adjustment in line.adjustments:
            if adjustment.stage in stages:
                totals[adjustment.source] += adjustment.amount
    return totals


def check_ticket(priced: PricedTicket) -> None:
    """R2, R3, R5 as far as the priced ticket shows them."""
    currency = priced.currency
    for line in priced.lines:
        assert line.net >= 0, f"R3: {line.line_id} net {line.net} below zero"
        assert line.net == currency.round(line.net)
        assert line.gross - sum((a.amount for a in line.adjustments), ZERO) == line.net
        if line.is_gift:
            continue
        promotion_sources = {a.source for a in line.adjustments if a.stage == 3 and a.amount}
        assert len(promotion_sources) <= line.qty, "R5: more promotions than units on a line"
        before_promotions = line.gross - sum(
            (a.amount for a in line.adjustments if a.stage < 3), ZERO
        )
        promoted = sum((a.amount for a in line.adjustments if a.stage == 3), ZERO)
        assert promoted <= before_promotions, "R5: promotions took more than the line's value"
    assert priced.total == sum((line.net for line in priced.lines), ZERO), "R3: total"

    # R2 / R3: every amount reported for a source lands on lines, exactly.
    promotions = source_totals(priced, {3})
    for pid, amount in priced.promotions.items():
        assert promotions[pid] == amount, f"promotion {pid}: {amount} vs lines {promotions[pid]}"
    coupons = source_totals(priced, {2, 4, 5})
    for code, outcome in priced.coupons.items():
        assert coupons[code] == outcome.amount, f"coupon {code}"
    discounts = source_totals(priced, {4})
    for did, amount in priced.discounts.items():
        assert discounts[did] == amount, f"discount {did}"


@contextmanager
def unit_claims_checked() -> Iterator[list[str]]:
    """R5 at the source: within one recalculation no unit is claimed by two promotions, and a
    promotion claims only units it was offered as eligible and unclaimed."""
    calls: list[tuple[str, list[set[tuple[int, int]]], PromotionOutcome | str]] = []
    checked: list[str] = []
    real_apply = apply_promotion
    real_promotions = recalculation._Recalculation._promotions

    def recording_apply(promotion: Any, pools: Any, currency: Currency) -> Any:
        outcome = real_apply(promotion, pools, currency)
        offered = {
            (r.line, u) for pool in pools for r in pool for u in range(r.start, r.start + r.size)
        }
        calls.append((promotion.id, [offered], outcome))
        return outcome

    def checked_promotions(self: Any, last: Any) -> None:
        calls.clear()
        real_promotions(self, last)
        holder: dict[tuple[int, int], str] = {}
        for pid, (offered,), outcome in calls:
            if isinstance(outcome, str):
                continue
            for line, count in outcome.claimed.items():
                # a line's units are claimed from its first free one on
                free = sorted(u for i, u in offered if i == line)
                assert count <= len(free), f"R5: {pid} claimed more of line {line} than offered"
                for key in ((line, u) for u in free[:count]):
                    assert key not in holder, f"R5: {key} claimed by {holder.get(key)} and {pid}"
                    holder[key] = pid
            claimed_lines = set(outcome.claimed)
            assert set(outcome.line_amounts) <= claimed_lines, f"R5: {pid} discounts unclaimed"
            checked.append(pid)

    with (
        mock.patch.object(promotion_stage, "apply_promotion", recording_apply),
        mock.patch.object(recalculation._Recalculation, "_promotions", checked_promotions),
    ):
        yield checked


# ---------------------------------------------------------------- properties


@st.composite
def allocations(draw: st.DrawFn) -> tuple[Currency, Decimal, list[Decimal]]:
    currency = Currency.of(draw(st.sampled_from(["USD", "JPY", "KWD"])))
    weights = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
    total = draw(st.integers(0, 10**6))
    return (
        currency,
        currency.from_minor(total),
        [currency.from_minor(w) for w in weights],
    )


@settings(max_examples=300, deadline=None, database=None)
@given(allocations())
def test_allocated_parts_add_up_exactly(case: tuple[Currency, Decimal, list[Decimal]]) -> None:
    """R2: parts add up exactly, each within a minor unit of its share, ties to the earlier."""
    currency, total, weights = case
    parts = currency.allocate(total, weights)
    assert sum(parts, ZERO) == total
    assert all(part >= 0 and part == currency.round(part) for part in parts)
    weight_sum = sum(weights, ZERO)
    shares = (
        [total * w / weight_sum for w in weights]
        if weight_sum > 0
        else [total / len(weights)] * len(weights)
    )
    for part, share in zip(parts, shares, strict=True):
        assert abs(part - share) < currency.quantum
    for i in range(len(weights)):
        for j in range(i + 1, len(weights)):
            if weights[i] == weights[j] or weight_sum == 0:
                assert parts[i] >= parts[j]


@FAST
@given(price_books(), st.data())
def test_random_sessions_keep_the_invariants(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    """R3 R5: nets >= 0, total = sum, no unit in two promotions, refusals and recalcs inert."""
    # After every random action: every net is >= 0 and exact, the total is the sum of nets,
    # every promotion / coupon / discount amount lands on lines exactly (R2), no unit is
    # claimed twice (checked inside the recalculation), a refused action changes nothing,
    # and recalculating the same state again gives the same prices.
    book = price_book(
        definition["promotions"], definition["coupons"], catalog=definition["catalog"]
    )
    skus = [item["sku"] for item in definition["catalog"]]
    pids = [p["id"] for p in definition["promotions"]]
    codes = [c["code"] for c in definition["coupons"]]
    opening: list[TicketCommand] = [
        AddItem(LINE_IDS[i], sku, qty)
        for i, (sku, qty) in enumerate(
            data.draw(
                st.lists(
                    st.tuples(st.sampled_from(skus), st.integers(1, 4)), min_size=1, max_size=4
                ),
                label="opening lines",
            )
        )
    ]
    with unit_claims_checked():
        ticket = Ticket(book, TillClock())
        for n in range(len(opening) + data.draw(st.integers(1, 14), label="actions")):
            lines = [line.line_id for line in ticket.state.lines]
            step = opening[n] if n < len(opening) else data.draw(actions(skus, lines, pids, codes))
            state, priced = ticket.state, ticket.priced
            try:
                ticket.apply(step)
            except Refusal:
                assert ticket.state == state, f"refused {step} changed the state"
                assert ticket.priced == priced, f"refused {step} changed the prices"
            check_ticket(ticket.priced)
            assert ticket.recalculate() == ticket.priced
            assert recalculation.recalculate(ticket.state, book, TillClock()()) == ticket.priced


@st.composite
def order_cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, int]], list[int]]:
    catalog = draw(catalogs(distinct_prices=True))
    skus = [item["sku"] for item in catalog]
    promotions = [
        draw(promotion_definitions(skus, PROMOTION_IDS[i], always_auto=True))
        for i in range(draw(st.integers(1, len(PROMOTION_IDS))))
    ]
    chosen = draw(st.lists(st.sampled_from(skus), min_size=1, max_size=len(skus), unique=True))
    lines = [(sku, draw(st.integers(1, 4))) for sku in chosen]
    order = draw(st.permutations(range(len(lines))))
    return {"catalog": catalog, "promotions": promotions}, lines, list(order)


@FAST
@given(order_cases())
def test_line_order_does_not_change_total_or_promotion_amounts(
    case: tuple[dict[str, Any], list[tuple[str, int]], list[int]],
) -> None:
    """R5: with automatic promotions only, line order changes no total or promotion amount."""
    # Each SKU has its own price and appears on one line: with equal-valued units on several
    # lines the rules' "oldest line first" tie-break may move a per-line rounded percentage
    # (R1) between lines, so only distinct unit values are order-free by the rules themselves.
    definition, lines, order = case
    book = price_book(definition["promotions"], catalog=definition["catalog"])

    def ring_up(sequence: list[tuple[str, int]]) -> PricedTicket:
        ticket = Ticket(book, TillClock())
        for sku, qty in sequence:
            ticket.apply(AddItem(f"L-{sku}", sku, qty))
        return ticket.priced

    forward = ring_up(lines)
    shuffled = ring_up([lines[i] for i in order])
    assert shuffled.total == forward.total
    assert dict(shuffled.promotions) == dict(forward.promotions)
    check_ticket(forward)
