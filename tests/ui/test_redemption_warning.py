"""A coupon that raises the bill asks first (R7, seed §5.1; issue 17): a group purchase
worth 5.00 on a burger at half price replaces a 6.00 promotion. The cashier reads it in
words, money with its currency, and answers "Redeem anyway" or "Cancel"."""

from __future__ import annotations

from decimal import Decimal

from tests.ui.conftest import Screen, add_half_price_burger

WARNING = "This coupon saves USD 5.00 but replaces a USD 6.00 promotion: the bill goes up USD 1.00"


def total(screen: Screen) -> Decimal:
    change = screen.ticket.change
    assert change is not None
    return change.priced.total


def test_cancel_leaves_the_ticket_as_it_was(screen: Screen) -> None:
    """The warning names what the coupon saves, what it replaces and how much the bill
    goes up; Cancel redeems nothing and keeps the code, selected, in the field."""
    add_half_price_burger(screen)
    screen.tap_product("BURGER")
    assert total(screen) == Decimal("6.00")
    before = screen.app.runtime.till.state
    screen.scan("GP-BURGER-5")
    dialog = screen.window.counter.warning
    assert dialog is not None and dialog.isVisible()
    assert dialog.question.text() == WARNING
    assert (dialog.confirm.text(), dialog.cancel.text()) == ("Redeem anyway", "Cancel")
    assert screen.app.runtime.till.state == before  # asked before anything is done
    screen.click(dialog.cancel)
    assert not dialog.isVisible()
    assert screen.app.runtime.till.state == before
    assert total(screen) == Decimal("6.00")
    field = screen.window.counter.coupon_entry.field
    assert field.text() == "GP-BURGER-5" and field.selectedText() == "GP-BURGER-5"


def test_redeem_anyway_redeems_and_the_bill_goes_up(screen: Screen) -> None:
    """Redeem anyway redeems the coupon: the promotion goes, the bill is 1.00 more."""
    add_half_price_burger(screen)
    screen.tap_product("BURGER")
    screen.scan("GP-BURGER-5")
    dialog = screen.window.counter.warning
    assert dialog is not None and dialog.question.text() == WARNING
    screen.click(dialog.confirm)
    change = screen.ticket.change
    assert change is not None
    assert change.priced.coupons["GP-BURGER-5"].amount == Decimal("5.00")
    assert "BURGER-HALF" not in change.priced.promotions
    assert total(screen) == Decimal("7.00")
    assert screen.window.counter.coupon_entry.field.text() == ""


def test_a_coupon_that_lowers_the_bill_is_redeemed_without_asking(screen: Screen) -> None:
    """The demo store's group purchase takes the whole burger (12.00) off: it replaces
    the 6.00 promotion and lowers the bill, so nothing is asked."""
    add_half_price_burger(screen)
    screen.tap_product("BURGER")
    screen.scan("GP-BURGER")
    assert screen.window.counter.warning is None
    assert total(screen) == Decimal("0.00")
