"""The INVALID row: quantities from 1 to 9,999, amounts from 0 to 999,999,999,999.99 with
at most the currency's places, percents from 0 to 100, at most 1,000 lines on a ticket;
out-of-range steps are refused INVALID and change nothing, out-of-range definitions are
bad files."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.engine import (
    DefinitionError,
    LineState,
    PackOffer,
    PriceBook,
    Refusal,
    Ticket,
    TicketCommand,
    TicketState,
)
from pos_app.engine.bounds import MAX_AMOUNT, MAX_LINES, MAX_QUANTITY
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    RemoveLine,
    SellPack,
    SetQuantity,
)
from tests.helpers.engine_builders import (
    D,
    TillClock,
    assert_refused,
    coupon,
    nets,
    open_ticket,
    price_book,
    promotion,
)

BAD_QUANTITIES: list[Any] = [0, -1, 10_000, 1_000_000_000, D("1.5"), "2", 2.0, True, None]
BAD_AMOUNTS: list[Any] = [
    "1E+26",
    "1E+25",
    "1e2",
    "-0",
    "+5",
    12,
    "12.",
    "1000000000000.00",
    "-0.01",
    "5.001",
    "NaN",
    "-Infinity",
    "sNaN",
    "twelve",
    "",
    1.5,
    None,
]


@pytest.mark.parametrize("qty", BAD_QUANTITIES, ids=repr)
def test_quantity_out_of_range_is_invalid(qty: Any) -> None:
    """INVALID: add and set_qty take a whole number from 1 to 9,999 only."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    refusal = assert_refused(ticket, AddItem("L2", "BURGER", qty), "INVALID")
    assert "from 1 to 9,999" in refusal.message
    assert_refused(ticket, SetQuantity("L1", qty), "INVALID")


def test_largest_quantity_is_accepted() -> None:
    """INVALID: 9,999 is the largest quantity, and prices exactly."""
    ticket = open_ticket(lines=[("L1", "WINE", MAX_QUANTITY)])
    assert nets(ticket.priced) == {"L1": D("99890.01")}


def full_ticket(book: PriceBook) -> Ticket:
    """A ticket holding 1,000 lines (one burger each)."""
    lines = tuple(LineState(f"L{n}", "BURGER", 1, D("12.00")) for n in range(1, MAX_LINES + 1))
    return Ticket(book, TillClock(), state=TicketState(lines=lines))


def test_a_ticket_holds_at_most_1000_lines() -> None:
    """INVALID: the 1,000th line is taken; the 1,001st is refused with what to do, and
    once a line is voided there is room again."""
    book = price_book([promotion("P1", "percent_off", percent="10", items=["COLA"])])
    ticket = full_ticket(book)
    ticket.apply(RemoveLine("L1000"))
    ticket.apply(AddItem("L1000", "COLA", 1))
    assert len(ticket.priced.lines) == MAX_LINES
    refusal = assert_refused(ticket, AddItem("L1001", "COLA", 1), "INVALID")
    assert refusal.message == "A ticket holds at most 1,000 lines: pay this one and start another"
    ticket.apply(RemoveLine("L1"))
    ticket.apply(AddItem("L1001", "COLA", 1))
    assert ticket.priced.promotions == {"P1": D("0.60")}


def test_a_coupon_pack_is_a_line_too() -> None:
    """INVALID: a coupon pack sold on a full ticket is refused for the same reason."""
    pack = PackOffer("PK", "Lunch pack", D("10.00"))
    base = price_book()
    book = PriceBook.build(
        base.currency, base.items.values(), base.promotions.values(), base.coupons.values(), [pack]
    )
    ticket = full_ticket(book)
    refusal = assert_refused(ticket, SellPack("PK", member_id="M1", line_id="P1"), "INVALID")
    assert "at most 1,000 lines" in refusal.message


@pytest.mark.parametrize("amount", BAD_AMOUNTS, ids=repr)
def test_amount_out_of_range_is_invalid(amount: Any) -> None:
    """INVALID: an adjusted price or a discount amount outside the money range is refused."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    refusal = assert_refused(ticket, AdjustPrice("L1", amount), "INVALID")
    assert "999,999,999,999.99" in refusal.message
    assert_refused(ticket, ApplyDiscount("D1", amount=amount), "INVALID")


def test_largest_amount_is_accepted() -> None:
    """INVALID: 999,999,999,999.99 is a price a line may be adjusted to."""
    ticket = open_ticket(lines=[("L1", "BURGER", 2)])
    ticket.apply(AdjustPrice("L1", str(MAX_AMOUNT)))
    assert ticket.priced.total == MAX_AMOUNT * 2


def test_amount_places_follow_the_currency() -> None:
    """INVALID: a yen amount has no decimal places; trailing zeros are no extra places."""
    catalog = [{"sku": "RAMEN", "name": "Ramen", "price": "900"}]
    ticket = open_ticket(catalog=catalog, currency="JPY", lines=[("L1", "RAMEN", 1)])
    refusal = assert_refused(ticket, AdjustPrice("L1", "850.5"), "INVALID")
    assert "no decimal places" in refusal.message
    ticket.apply(AdjustPrice("L1", "850.00"))
    assert nets(ticket.priced) == {"L1": D("850")}


@pytest.mark.parametrize(
    "percent", ["100.01", "-1", "1E+25", "abc", None, "1e1", "-0", "+5", 10], ids=repr
)
def test_percent_out_of_range_is_invalid(percent: Any) -> None:
    """INVALID: a discount percent is from 0 to 100."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    assert_refused(ticket, ApplyDiscount("D1", percent=percent), "INVALID")


@pytest.mark.parametrize(
    ("definition", "field"),
    [
        ({"catalog": [{"sku": "X", "price": "1E+30"}]}, "catalog[0].price"),
        ({"catalog": [{"sku": "X", "price": "1.005"}]}, "catalog[0].price"),
        ({"catalog": [{"sku": "X", "price": "-1"}]}, "catalog[0].price"),
        ({"catalog": [{"sku": "X", "price": "1e2"}]}, "catalog[0].price"),
        ({"catalog": [{"sku": "X", "price": "-0"}]}, "catalog[0].price"),
        ({"catalog": [{"sku": "X", "price": 12}]}, "catalog[0].price"),
        ({"promotions": [promotion("P1", "percent_off", percent="+5")]}, "promotions[0].percent"),
        ({"promotions": [promotion("P1", "percent_off", percent=5)]}, "promotions[0].percent"),
        (
            {"coupons": [coupon("CV", "cash_voucher", face_value="5E0")]},
            "coupons[0].face_value",
        ),
        (
            {"promotions": [promotion("P1", "amount_off", threshold="1E+13", amount="1.00")]},
            "promotions[0].threshold",
        ),
        (
            {"promotions": [promotion("P1", "special_price", price="2.005", items=["X"])]},
            "promotions[0].price",
        ),
        ({"promotions": [promotion("P1", "bogo", buy=10_000)]}, "promotions[0].buy"),
        ({"promotions": [promotion("P1", "nth_item", n=0, percent="10")]}, "promotions[0].n"),
        ({"promotions": [promotion("P1", "percent_off", percent="101")]}, "promotions[0].percent"),
        (
            {"coupons": [coupon("CV", "cash_voucher", face_value="1000000000000")]},
            "coupons[0].face_value",
        ),
        (
            {"coupons": [coupon("GP", "group_purchase", items=["X"], units=10_000)]},
            "coupons[0].units",
        ),
        ({"coupons": [coupon("CV", "cash_voucher", face_value="1.001")]}, "coupons[0].face_value"),
        ({"promotions": [promotion("P1", "percent_off", percent="5", sequence=2**63)]}, ""),
    ],
)
def test_definition_out_of_range_is_refused_naming_the_field(
    definition: dict[str, Any], field: str
) -> None:
    """INVALID row, Details: an amount or quantity out of range in a definition makes the
    price book bad, naming the field at fault."""
    raw = {"catalog": [{"sku": "X", "price": "1.00"}], "promotions": [], "coupons": []}
    raw.update(definition)
    with pytest.raises(DefinitionError) as bad:
        price_book(raw["promotions"], raw["coupons"], catalog=raw["catalog"])
    assert bad.value.field.startswith(field or "promotions[0].sequence")


# ---------------------------------------------------------------- no input escapes

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
    st.sampled_from(["1E+26", "1E+400", "-0", "1e-1000000", "9" * 40, "0.0000001"]),
)


@settings(max_examples=400, deadline=None, database=None)
@given(
    st.sampled_from(["add", "set_qty", "adjust", "discount_amount", "discount_percent"]),
    anything,
)
def test_no_input_raises_out_of_the_engine(action: str, value: Any) -> None:
    """INVALID: any quantity or any decimal string is taken or refused with a Refusal; a
    refused step changes nothing, an accepted one leaves an exact, non-negative ticket."""
    ticket = Ticket(price_book(), TillClock())
    ticket.apply(AddItem("L1", "BURGER", 2))
    steps: dict[str, TicketCommand] = {
        "add": AddItem("L2", "COLA", value),
        "set_qty": SetQuantity("L1", value),
        "adjust": AdjustPrice("L1", value),
        "discount_amount": ApplyDiscount("D1", amount=value),
        "discount_percent": ApplyDiscount("D1", percent=value),
    }
    state, priced = ticket.state, ticket.priced
    try:
        ticket.apply(steps[action])
    except Refusal:
        assert (ticket.state, ticket.priced) == (state, priced)
        return
    assert ticket.priced.total >= 0
    assert all(line.net == ticket.priced.currency.round(line.net) for line in ticket.priced.lines)
    assert ticket.priced.currency.format(ticket.priced.total)
