"""The receipt record built from a priced ticket (R3 sums, R13 adjustments shown)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pos_app.engine import PricedTicket
from pos_app.printing import Payment, Receipt
from pos_app.printing.receipt import adjustment_label
from tests.printing.conftest import CLOSED_AT, STORE, make_receipt


def test_sums_equal_the_ticket(priced: PricedTicket, receipt: Receipt) -> None:
    """R3: subtotal is the sum of grosses, total the ticket's total, savings their gap."""
    assert receipt.subtotal == sum(line.gross for line in priced.lines) == priced.gross
    assert receipt.total == priced.total
    assert receipt.savings == priced.savings == receipt.subtotal - receipt.total
    adjustments = sum(a.amount for line in receipt.lines for a in line.adjustments)
    assert receipt.subtotal + adjustments == receipt.total


def test_each_line_keeps_its_own_adjustments(priced: PricedTicket, receipt: Receipt) -> None:
    """R13: every engine adjustment appears under its own line, negated, in stage order."""
    assert len(receipt.lines) == len(priced.lines)
    for printed, line in zip(receipt.lines, priced.lines, strict=True):
        assert printed.name == line.name
        assert [a.amount for a in printed.adjustments] == [-a.amount for a in line.adjustments]
        assert printed.gross + sum(a.amount for a in printed.adjustments) == line.net == printed.net


def test_adjustment_labels_are_short_and_name_their_source(receipt: Receipt) -> None:
    """Labels read "Promotion P1", "Coupon CV", "Discount D1", "Price adjusted", "Presented"."""
    labels = {line.name: [a.label for a in line.adjustments] for line in receipt.lines}
    assert labels["Latte"] == ["Promotion P1", "Coupon CV"]
    assert labels["Burger"] == ["Coupon CV"]
    assert labels["Cola"] == ["Price adjusted", "Coupon CV"]
    assert labels["Tea"] == ["Presented"]
    cake = next(line for line in receipt.lines if line.name.startswith("Triple"))
    assert [a.label for a in cake.adjustments] == ["Discount D1", "Coupon CV"]


def test_gift_adjustment_is_labelled_free_gift() -> None:
    """A gift promotion's line reads "Free gift <promotion id>"."""
    from pos_app.engine import Adjustment

    gift = Adjustment(3, "promotion:gift", "P9", "R5", Decimal("6.00"), "free gift")
    assert adjustment_label(gift) == "Free gift P9"


def test_coupons_carry_code_kind_and_amount(priced: PricedTicket, receipt: Receipt) -> None:
    """Each redeemed coupon is listed with its kind in words and the amount it took off."""
    assert [(c.code, c.kind, c.amount) for c in receipt.coupons] == [
        ("CV", "cash voucher", priced.coupons["CV"].amount)
    ]
    assert receipt.coupons[0].amount == Decimal("3.00")


def test_payments_must_add_up_to_the_total(priced: PricedTicket) -> None:
    """A receipt whose payments do not cover the ticket total exactly is refused."""
    with pytest.raises(ValueError, match=re.escape("Payments add up to 1.00")):
        Receipt.from_ticket(
            priced,
            ticket_id="T1",
            store=STORE,
            device_id="D02",
            closed_at=CLOSED_AT,
            payments=[Payment.card(Decimal("1.00"))],
        )


def test_cash_payment_works_out_the_change() -> None:
    """Payment.cash computes change = tendered - amount; a card never gives change."""
    cash = Payment.cash(Decimal("17.40"), Decimal("20.00"))
    assert (cash.tendered, cash.change) == (Decimal("20.00"), Decimal("2.60"))
    card = Payment.card(Decimal("5.00"))
    assert (card.tendered, card.change) == (Decimal("5.00"), Decimal(0))
    with pytest.raises(ValueError, match="no change"):
        Payment("card", Decimal("5.00"), Decimal("6.00"), Decimal("1.00"))
    with pytest.raises(ValueError, match=re.escape("should be 2.60")):
        Payment("cash", Decimal("17.40"), Decimal("20.00"), Decimal("3.00"))


def test_payment_refuses_float_and_short_tender() -> None:
    """Money is Decimal: a float amount, or tendering less than the amount, is refused."""
    with pytest.raises(ValueError, match="Decimal"):
        Payment.cash(17.4)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="less than"):
        Payment.cash(Decimal("5.00"), Decimal("4.00"))
    with pytest.raises(ValueError, match="cash or card"):
        Payment("cheque", Decimal(1), Decimal(1), Decimal(0))  # type: ignore[arg-type]


def test_receipt_needs_a_ticket_id(priced: PricedTicket) -> None:
    """A blank ticket id is refused: the id is what a reprint or return looks up."""
    with pytest.raises(ValueError, match="ticket id"):
        make_receipt(priced, ticket_id=" ")


def test_till_payments_are_accepted_as_they_are(priced: PricedTicket) -> None:
    """The till's own Payment records go straight into a receipt, checked on the way."""
    from pos_app.till.payments import Payment as TillPayment

    cash = TillPayment("cash", priced.total, Decimal("50.00"), Decimal("50.00") - priced.total)
    receipt = Receipt.from_ticket(
        priced, ticket_id="T1", store=STORE, device_id="D1", closed_at=CLOSED_AT, payments=[cash]
    )
    assert receipt.payments == (Payment.cash(priced.total, Decimal("50.00")),)
    bad = TillPayment("voucher", priced.total, priced.total)
    with pytest.raises(ValueError, match="cash or card"):
        Receipt.from_ticket(
            priced, ticket_id="T1", store=STORE, device_id="D1", closed_at=CLOSED_AT, payments=[bad]
        )
