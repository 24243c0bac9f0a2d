"""A redemption's preview: the coupon's saving, what it displaces and the bill's change,
said in words before a redemption that raises the bill (R7 seed §5.1, R10)."""

from __future__ import annotations

import pytest

from pos_app.engine import Refusal
from pos_app.engine.commands import AddItem, Redeem
from tests.helpers.engine_builders import D, coupon, open_ticket, promotion

HALF_BURGER = promotion("P1", "percent_off", percent="50", items=["BURGER"])
GP_FIVE = coupon("GP", "group_purchase", items=["BURGER"], face_value="5.00")


def test_group_purchase_worth_less_than_the_promotion_it_replaces_is_announced() -> None:
    """R7 §5.1: a 5.00 group purchase on a burger at 50 % saves 5.00, replaces the 6.00
    promotion and raises the bill by 1.00; the ticket is left as it was."""
    ticket = open_ticket([HALF_BURGER], [GP_FIVE], lines=[("L1", "BURGER", 1)])
    state, priced = ticket.state, ticket.priced

    preview = ticket.preview_redemption("GP")

    assert (preview.saving, preview.displaced_promotions, preview.bill_change) == (
        D("5.00"),
        D("6.00"),
        D("1.00"),
    )
    assert preview.raises_bill
    assert preview.warning() == (
        "This coupon saves 5.00 but replaces a 6.00 promotion: the bill goes up 1.00"
    )
    assert ticket.state == state and ticket.priced == priced
    assert preview.priced == ticket.apply(Redeem("GP"))


def test_group_purchase_that_lowers_the_bill_has_no_warning() -> None:
    """R7: a 12.00 group purchase on a burger at 50 % saves 12.00 and lowers the bill 6.00."""
    ticket = open_ticket(
        [HALF_BURGER],
        [coupon("GP", "group_purchase", items=["BURGER"])],
        lines=[("L1", "BURGER", 1)],
    )
    preview = ticket.preview_redemption("GP")
    assert preview.bill_change == D("-6.00")
    assert not preview.raises_bill and preview.warning() is None


def test_several_displaced_promotions_are_summed() -> None:
    """R7: a two-unit group purchase capped at 5.00 over a burger and a salad, each under a
    promotion of its own: it replaces 10.00 of promotions."""
    ticket = open_ticket(
        [HALF_BURGER, promotion("P2", "percent_off", sequence=2, percent="50", items=["SALAD"])],
        [coupon("GP", "group_purchase", items=["category:mains"], units=2, face_value="5.00")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    preview = ticket.preview_redemption("GP")
    assert preview.displaced_promotions == D("10.00")
    assert preview.warning() == (
        "This coupon saves 5.00 but replaces 10.00 of promotions: the bill goes up 5.00"
    )


def test_platform_coupon_that_takes_a_member_vouchers_line_is_announced() -> None:
    """R10: a 1.00 cash voucher on the burger takes it from a 10.00 member voucher, which
    keeps only the 3.00 cola: the bill goes up 6.00, said before."""
    ticket = open_ticket(
        [],
        [
            coupon(
                "MV", "member_voucher", sequence=2, face_value="10.00", deduct_from="discounted"
            ),
            coupon("CV", "cash_voucher", sequence=1, face_value="1.00", items=["BURGER"]),
        ],
        lines=[("L1", "BURGER", 1), ("L2", "COLA", 1)],
    )
    ticket.apply(Redeem("MV"))
    preview = ticket.preview_redemption("CV")
    assert (preview.saving, preview.displaced_discounts, preview.bill_change) == (
        D("1.00"),
        D("7.00"),
        D("6.00"),
    )
    assert preview.warning() == (
        "This coupon saves 1.00 but replaces 7.00 of other coupons and discounts:"
        " the bill goes up 6.00"
    )


def test_gift_that_leaves_is_not_counted_as_displaced() -> None:
    """R7: a gift costs the bill nothing, so one that leaves is not a displaced promotion."""
    ticket = open_ticket(
        [promotion("G", "gift", threshold="20.00", gift_sku="TEA")],
        [coupon("GP", "group_purchase", items=["BURGER"], face_value="1.00")],
        lines=[("L1", "BURGER", 1), ("L2", "SALAD", 1)],
    )
    assert ticket.priced.line("gift:G") is not None
    preview = ticket.preview_redemption("GP")
    assert preview.priced.line("gift:G") is None
    assert preview.displaced_promotions == D("0")
    assert preview.bill_change == D("-1.00") and preview.warning() is None


def test_preview_of_a_refused_redemption_raises_the_refusal() -> None:
    """R7: the preview meets the refusal the redemption would meet; nothing changes."""
    ticket = open_ticket([], [GP_FIVE], lines=[("L1", "SALAD", 1)])
    state = ticket.state
    with pytest.raises(Refusal) as refused:
        ticket.preview_redemption("GP")
    assert refused.value.code == "NOT_APPLICABLE"
    assert ticket.state == state
    ticket.apply(AddItem("L2", "BURGER", 1))
    assert ticket.preview_redemption("GP").saving == D("5.00")
