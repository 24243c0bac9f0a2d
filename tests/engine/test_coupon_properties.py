"""Properties of redemptions over random tickets (R7, R8, R10): a coupon other than a group
purchase never raises the total, the preview says exactly what a redemption does, and
the total does not depend on whether items were rung before or after a coupon that
does not claim them."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pos_app.engine import PriceBook, Refusal, Ticket
from pos_app.engine.commands import AddItem, Redeem, TicketCommand
from pos_app.engine.coupons import CouponDefinition
from tests.engine.test_properties import (
    FAST,
    LINE_IDS,
    actions,
    catalogs,
    coupon_definitions,
    price_books,
    promotion_definitions,
)
from tests.helpers.engine_builders import D, TillClock, coupon, open_ticket, price_book

OPENING = st.lists(st.tuples(st.integers(0, 4), st.integers(1, 4)), min_size=1, max_size=4)


def displaces_a_member_voucher(ticket: Ticket, candidate: CouponDefinition) -> bool:
    """R10: a platform or third-party coupon with items takes its lines from a member
    voucher already on the ticket, which can raise the bill (pinned below)."""
    book = ticket.book
    return (
        candidate.claims_lines
        and candidate.is_platform_or_third_party
        and any(
            book.coupons[r.code].kind == "member_voucher"
            for r in ticket.state.redemptions
            if r.code in book.coupons
        )
    )


def random_session(book: PriceBook, definition: dict[str, Any], data: st.DataObject) -> Ticket:
    """A ticket after a few lines and random cashier actions (refused ones change nothing)."""
    skus = [item["sku"] for item in definition["catalog"]]
    ticket = Ticket(book, TillClock())
    for n, (k, qty) in enumerate(data.draw(OPENING, label="opening lines")):
        ticket.apply(AddItem(LINE_IDS[n], skus[k % len(skus)], qty))
    pids = [p["id"] for p in definition["promotions"]]
    codes = [c["code"] for c in definition["coupons"]]
    for _ in range(data.draw(st.integers(0, 8), label="actions")):
        lines = [line.line_id for line in ticket.state.lines]
        action = data.draw(actions(skus, lines, pids, codes))
        with contextlib.suppress(Refusal):
            ticket.apply(action)
    return ticket


@FAST
@given(price_books(), st.data())
def test_redeeming_a_coupon_other_than_a_group_purchase_never_raises_the_total(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    """R8 R10: after any session, redeeming any coupon that is not a group purchase leaves
    the total where it was or lower; the preview is exactly the redemption."""
    book = price_book(
        definition["promotions"], definition["coupons"], catalog=definition["catalog"]
    )
    ticket = random_session(book, definition, data)
    for code, candidate in book.coupons.items():
        if ticket.state.redemption(code) is not None:
            continue
        try:
            preview = ticket.preview_redemption(code)
        except Refusal:
            continue
        redeemed = Ticket(book, TillClock(), state=ticket.state)
        assert redeemed.apply(Redeem(code)) == preview.priced
        assert preview.bill_change == (
            preview.displaced_promotions + preview.displaced_discounts - preview.saving
        )
        if candidate.covers_units or displaces_a_member_voucher(ticket, candidate):
            continue
        assert preview.priced.total <= ticket.priced.total, f"{code} raised the total"
        assert preview.warning() is None


def test_a_platform_coupon_can_raise_the_bill_by_taking_a_member_vouchers_line() -> None:
    """R10: the one exception the property above leaves out, pinned: a member voucher
    skips a line a cash voucher claims, even one redeemed after it."""
    ticket = open_ticket(
        [],
        [
            coupon("MV", "member_voucher", face_value="10.00", deduct_from="discounted"),
            coupon("CV", "cash_voucher", face_value="1.00", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1)],
    )
    ticket.apply(Redeem("MV"))
    assert ticket.priced.total == D("2.00")
    ticket.apply(Redeem("CV"))
    assert ticket.priced.total == D("11.00")
    assert ticket.priced.coupons["MV"].amount == D("0.00")
    assert not ticket.priced.can_close


@st.composite
def ring_orders(draw: st.DrawFn) -> dict[str, Any]:
    """Automatic promotions, one coupon, the lines rung first and the lines rung either
    before or after the coupon."""
    catalog = draw(catalogs())
    skus = [item["sku"] for item in catalog]
    promotions = [
        draw(promotion_definitions(skus, f"P{i}", always_auto=True))
        for i in range(draw(st.integers(0, 3)))
    ]
    definition = draw(coupon_definitions(skus, "C"))
    first = [
        (draw(st.sampled_from(skus)), draw(st.integers(1, 4)))
        for _ in range(draw(st.integers(1, 3)))
    ]
    later = [
        (draw(st.sampled_from(skus)), draw(st.integers(1, 4)))
        for _ in range(draw(st.integers(1, 3)))
    ]
    return {
        "catalog": catalog,
        "promotions": promotions,
        "coupon": definition,
        "first": first,
        "later": later,
    }


def ring(
    book: PriceBook,
    first: list[tuple[str, int]],
    later: list[tuple[str, int]],
    *,
    coupon_last: bool,
) -> Ticket | None:
    """The lines, the coupon before or after ``later``; None when the redemption is refused."""
    ticket = Ticket(book, TillClock())
    steps: list[TicketCommand] = [AddItem(f"A{n}", sku, qty) for n, (sku, qty) in enumerate(first)]
    rung_later: list[TicketCommand] = [
        AddItem(f"B{n}", sku, qty) for n, (sku, qty) in enumerate(later)
    ]
    steps += [*rung_later, Redeem("C")] if coupon_last else [Redeem("C"), *rung_later]
    for step in steps:
        try:
            ticket.apply(step)
        except Refusal:
            if isinstance(step, Redeem):
                return None
            raise
    return ticket


@FAST
@given(ring_orders())
def test_total_does_not_depend_on_ringing_items_before_or_after_a_coupon_not_claiming_them(
    case: dict[str, Any],
) -> None:
    """R7 R8: items the coupon does not claim, rung before or after it, give one total. A
    group purchase may take the other units of its items too, as long as the lines rung
    first hold its units; a cash voucher with items is left out: R8 keeps off its lines the
    promotions that were not on them at redemption, which the later items may change."""
    book = price_book(case["promotions"], [case["coupon"]], catalog=case["catalog"])
    definition = book.coupons["C"]
    later = case["later"]
    raw = case["coupon"]
    if raw.get("items") and "cash_voucher" in (raw["kind"], raw.get("as")):
        return
    if not definition.covers_units and definition.has_applicable_items:
        later = [(sku, qty) for sku, qty in later if not definition.items.matches(book.items[sku])]
    if definition.covers_units:
        held = sum(qty for sku, qty in case["first"] if definition.items.matches(book.items[sku]))
        if held < definition.units:
            return
    before = ring(book, case["first"], later, coupon_last=True)
    after = ring(book, case["first"], later, coupon_last=False)
    if before is None or after is None:
        return
    assert before.priced.total == after.priced.total
    assert dict(before.priced.promotions) == dict(after.priced.promotions)
    assert before.priced.coupon_amounts() == after.priced.coupon_amounts()
