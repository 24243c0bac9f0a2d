"""Coupon packs on a ticket (COUPON-PACK-RULES K12): a pack line is exact money at the
pack's price, outside every pricing rule (R4's stages): no promotion, local discount or
coupon discounts it, it counts toward no threshold (R5, a coupon's minimum spend, an
order discount's base), and the total is still the sum of the lines' nets (R3)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    Close,
    PackOffer,
    Present,
    PriceBook,
    PricedTicket,
    Redeem,
    Refusal,
    RefusalCode,
    RemoveLine,
    SellPack,
    SetQuantity,
    Ticket,
    TriggerPromotion,
    Unpresent,
)
from pos_app.engine.commands import TicketCommand
from tests.engine.test_properties import FAST, LINE_IDS, actions, check_ticket, price_books
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    nets,
    price_book,
    promotion,
)

TEA_PACK = PackOffer("7", "Tea lover's pack", D("10.00"))
MEMBER = "M-1001"


def with_pack(book: PriceBook, pack: PackOffer = TEA_PACK) -> PriceBook:
    """``book`` that also sells ``pack`` with an order."""
    return PriceBook.build(
        book.currency,
        book.items.values(),
        book.promotions.values(),
        book.coupons.values(),
        [pack],
    )


def ticket_with(
    promotions: Sequence[dict[str, Any]] = (),
    coupons: Sequence[dict[str, Any]] = (),
    *,
    items: tuple[tuple[str, str, int], ...] = (("L1", "FRIES", 1), ("L2", "COLA", 1)),
    pack: bool = True,
) -> Ticket:
    """Fries 4.00 and cola 3.00 (7.00 of items), and the 10.00 tea pack sold to a member."""
    ticket = Ticket(with_pack(price_book(promotions, coupons)), TillClock())
    for line_id, sku, qty in items:
        ticket.apply(AddItem(line_id, sku, qty))
    if pack:
        ticket.apply(SellPack("7", MEMBER, "P1"))
    return ticket


def test_pack_line_is_its_price_and_the_total_is_the_sum_of_lines() -> None:
    """K12, R3: the pack is a line at its price, no adjustment; total = sum of line nets."""
    priced = ticket_with().priced
    (pack_line,) = priced.pack_lines
    assert (pack_line.line_id, pack_line.pack_id, pack_line.name) == ("P1", "7", "Tea lover's pack")
    assert (pack_line.qty, pack_line.unit_price, pack_line.gross, pack_line.net) == (
        1,
        D("10.00"),
        D("10.00"),
        D("10.00"),
    )
    assert pack_line.adjustments == ()
    assert [line.line_id for line in priced.item_lines] == ["L1", "L2"]
    assert priced.total == D("17.00") == sum(line.net for line in priced.lines)
    check_ticket(priced)


def test_a_percentage_promotion_on_every_item_leaves_the_pack_alone() -> None:
    """K12, R4 stage 3: a 20% promotion on every item discounts the items only."""
    priced = ticket_with([promotion("ALL20", "percent_off", percent="20")]).priced
    assert nets(priced) == {"L1": D("3.20"), "L2": D("2.40"), "P1": D("10.00")}
    assert priced.promotions == {"ALL20": D("1.40")}


def test_a_pack_never_reaches_a_promotion_threshold() -> None:
    """K12, R5: spend 15 save 5 on every item: 7.00 of items plus a 10.00 pack is not 15."""
    ticket = ticket_with([promotion("SPEND15", "amount_off", threshold="15.00", amount="5.00")])
    assert ticket.priced.promotions == {}
    assert ticket.priced.total == D("17.00")
    ticket.apply(AddItem("L3", "BURGER", 1))  # 19.00 of items: now it applies, to items only
    assert ticket.priced.promotions == {"SPEND15": D("5.00")}
    assert ticket.priced.line("P1") is not None
    assert nets(ticket.priced)["P1"] == D("10.00")


def test_a_gift_threshold_counts_items_only() -> None:
    """K12, R5: a gift for 15.00 spent is not given for 7.00 of items and a 10.00 pack."""
    gift = promotion("GIFT", "gift", threshold="15.00", gift_sku="TEA", qty=1)
    priced = ticket_with([gift]).priced
    assert not any(line.is_gift for line in priced.lines)


def test_an_order_discount_is_spread_over_items_only() -> None:
    """K12, R9: a 10% order discount is 10% of the items, and no share lands on the pack."""
    ticket = ticket_with()
    ticket.apply(ApplyDiscount("D1", percent="10"))
    assert ticket.priced.discounts == {"D1": D("0.70")}
    assert nets(ticket.priced)["P1"] == D("10.00")
    ticket.apply(ApplyDiscount("D2", amount="50.00"))  # capped at what is left on the items
    assert ticket.priced.discounts["D2"] == D("6.30")
    assert ticket.priced.total == D("10.00")


def test_a_whole_ticket_coupon_covers_items_only_and_its_min_spend_ignores_the_pack() -> None:
    """K12, R6, stage 5: a voucher for the whole ticket deducts from items only; its
    minimum spend is measured without the pack."""
    coupons = [
        coupon("CV-50", "cash_voucher", face_value="50.00"),
        coupon("CV-MIN", "cash_voucher", face_value="2.00", min_spend="15.00"),
        coupon("MD-10", "member_discount", percent="10"),
    ]
    ticket = ticket_with(coupons=coupons)
    refusal = assert_refused(ticket, Redeem("CV-MIN"), RefusalCode.NOT_APPLICABLE)
    assert "minimum spend of 15.00" in refusal.message
    ticket.apply(Redeem("MD-10"))
    assert ticket.priced.coupons["MD-10"].amount == D("0.70")
    ticket.apply(Redeem("CV-50"))
    assert ticket.priced.coupons["CV-50"].amount == D("6.30")
    assert set(ticket.priced.coupons["CV-50"].line_ids) == {"L1", "L2"}
    assert nets(ticket.priced) == {"L1": D("0"), "L2": D("0"), "P1": D("10.00")}


def test_a_ticket_holding_only_a_pack_takes_no_coupon_and_closes() -> None:
    """K12, R6: a coupon on a pack-only ticket is refused, saying why; the ticket closes."""
    ticket = ticket_with([], [coupon("CV-5", "cash_voucher", face_value="5.00")], items=())
    refusal = assert_refused(ticket, Redeem("CV-5"), RefusalCode.NOT_APPLICABLE)
    assert "only coupon packs" in refusal.message
    assert ticket.apply(Close()).total == D("10.00")


def test_manual_pricing_and_discounts_on_a_pack_line_are_refused() -> None:
    """K12: present, price change, quantity, line discount on the pack: refused, unchanged."""
    ticket = ticket_with()
    for command in (
        Present("P1"),
        Unpresent("P1"),
        AdjustPrice("P1", "1.00"),
        SetQuantity("P1", 2),
        ApplyDiscount("D1", percent="50", line_id="P1"),
    ):
        refusal = assert_refused(ticket, command, RefusalCode.NOT_APPLICABLE)
        assert refusal.message.startswith("Tea lover's pack is a coupon pack")


def test_a_manual_promotion_cannot_be_triggered_by_a_pack_alone() -> None:
    """K12, R12: a promotion on every item has nothing to apply to on a pack-only ticket."""
    ticket = ticket_with([promotion("HAND", "percent_off", percent="10", auto=False)], items=())
    assert_refused(ticket, TriggerPromotion("HAND"), RefusalCode.NOT_APPLICABLE)


def test_voiding_the_pack_line_removes_it() -> None:
    """K12: the pack line is voided like any line; the items stay as they were."""
    ticket = ticket_with()
    ticket.apply(RemoveLine("P1"))
    assert ticket.state.packs == ()
    assert nets(ticket.priced) == {"L1": D("4.00"), "L2": D("3.00")}


def test_a_pack_is_sold_to_a_member() -> None:
    """K12: no member, no pack; a ticket's packs all go to one member; ids are checked."""
    ticket = ticket_with(pack=False)
    refusal = assert_refused(ticket, SellPack("7", None, "P1"), RefusalCode.NOT_APPLICABLE)
    assert "find the customer by phone" in refusal.message
    assert_refused(ticket, SellPack("NOPE", MEMBER, "P1"), RefusalCode.UNKNOWN)
    assert_refused(ticket, SellPack("7", MEMBER, "L1"), RefusalCode.INVALID)  # a line's id
    ticket.apply(SellPack("7", MEMBER, "P1"))
    assert_refused(ticket, SellPack("7", MEMBER, "P1"), RefusalCode.INVALID)
    assert_refused(ticket, SellPack("7", "M-1002", "P2"), RefusalCode.NOT_APPLICABLE)
    ticket.apply(SellPack("7", MEMBER, "P2"))
    assert [line.member_id for line in ticket.state.packs] == [MEMBER, MEMBER]
    ticket.apply(RemoveLine("P1"))
    ticket.apply(RemoveLine("P2"))
    ticket.apply(SellPack("7", "M-1002", "P3"))


def test_a_closed_ticket_sells_no_pack() -> None:
    """K12, INVALID: a closed ticket takes no pack."""
    ticket = ticket_with(pack=False)
    ticket.apply(Close())
    assert_refused(ticket, SellPack("7", MEMBER, "P1"), RefusalCode.INVALID)


def _replay(ticket: Ticket, steps: list[TicketCommand]) -> list[str | None]:
    """Apply ``steps``; each step's refusal code (None when taken)."""
    outcomes: list[str | None] = []
    for step in steps:
        try:
            ticket.apply(step)
            outcomes.append(None)
        except Refusal as refusal:
            outcomes.append(refusal.code.value)
    return outcomes


def _without_pack(priced: PricedTicket) -> tuple[object, ...]:
    return (
        priced.item_lines,
        dict(priced.promotions),
        dict(priced.coupons),
        dict(priced.discounts),
        priced.can_close,
    )


@FAST
@given(price_books(), st.data())
def test_a_pack_line_changes_no_rule_on_any_ticket(
    definition: dict[str, Any], data: st.DataObject
) -> None:
    """K12, R3-R11: on random tickets, selling a pack leaves every item line, promotion,
    coupon and discount exactly as without it, refuses nothing more, and adds its price
    to the total."""
    book = price_book(
        definition["promotions"], definition["coupons"], catalog=definition["catalog"]
    )
    skus = [item["sku"] for item in definition["catalog"]]
    pids = [p["id"] for p in definition["promotions"]]
    codes = [c["code"] for c in definition["coupons"]]
    price = Decimal(data.draw(st.integers(1, 99_999), label="pack cents")).scaleb(-2)
    steps = [
        AddItem(LINE_IDS[0], skus[0], 1),
        *data.draw(st.lists(actions(skus, list(LINE_IDS), pids, codes), max_size=12)),
    ]
    at = data.draw(st.integers(0, len(steps)), label="pack sold after step")
    plain = Ticket(book, TillClock())
    packed = Ticket(with_pack(book, PackOffer("7", "Pack", price)), TillClock())
    before = _replay(plain, steps[:at]) == _replay(packed, steps[:at])
    packed.apply(SellPack("7", MEMBER, "PACK-LINE"))
    after = _replay(plain, steps[at:]) == _replay(packed, steps[at:])
    assert before and after, "a pack line changed which actions are refused"
    assert _without_pack(packed.priced) == _without_pack(plain.priced)
    assert packed.priced.total == plain.priced.total + price
    check_ticket(packed.priced)
