"""Checkout: cash with the tendered amount and the change, card, split payments, and
closing refused while a coupon is worth 0 (§5.2, §7)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from pos_app.store.models.tickets import ClosedTicket
from pos_app.store.unit_of_work import UnitOfWork
from tests.ui.conftest import Screen


def open_checkout(screen: Screen) -> None:
    screen.click(screen.window.ticket.pay)
    assert screen.window.sale.checkout.isVisible()


def type_amount(screen: Screen, text: str) -> None:
    for ch in text:
        screen.window.sale.checkout.numpad.press(ch)


def closed_tickets(screen: Screen) -> list[ClosedTicket]:
    with UnitOfWork(screen.app.runtime.database.sessions) as uow:
        return list(uow.session.scalars(select(ClosedTicket)))


def test_cash_with_change_closes_and_shows_the_receipt(screen: Screen) -> None:
    """Tendered 20.00 on 13.50: change 6.50 on screen and receipt; a new empty ticket."""
    screen.tap_product("CHEESEBURGER")
    open_checkout(screen)
    checkout = screen.window.sale.checkout
    assert checkout.due.text() == "13.50"
    screen.click(checkout.notes["20"])
    assert checkout.change_label.text() == "6.50"
    assert checkout.due.text() == "0.00"
    assert checkout.close_sale.isEnabled()
    with screen.qtbot.waitSignal(screen.ticket.sale_closed) as closed:
        screen.click(checkout.close_sale)
    sale = closed.args[0]
    assert not checkout.isVisible()
    assert screen.window.ticket.message.text() == "Sale closed: 13.50, change 6.50"
    preview = screen.window.sale.receipt_preview
    assert preview.isVisible()
    assert "Change" in preview.text and "6.50" in preview.text
    assert screen.line_ids() == []
    assert [t.ticket_id for t in closed_tickets(screen)] == [sale.receipt.ticket_id]


def test_card_pays_what_is_due_when_no_amount_is_typed(screen: Screen) -> None:
    """Card with an empty numpad charges everything due."""
    screen.tap_product("WRAP")
    open_checkout(screen)
    screen.click(screen.window.sale.checkout.card)
    change = screen.ticket.change
    assert change is not None
    assert [(p.method, p.amount) for p in change.payments] == [("card", Decimal("9.50"))]
    screen.click(screen.window.sale.checkout.close_sale)
    assert len(closed_tickets(screen)) == 1


def test_split_payment_card_then_cash(screen: Screen) -> None:
    """Card 10.00 then cash 20.00 on 25.50: cash pays 15.50, change 4.50."""
    screen.tap_product("BURGER")
    screen.tap_product("CHEESEBURGER")
    open_checkout(screen)
    checkout = screen.window.sale.checkout
    type_amount(screen, "10")
    screen.click(checkout.card)
    assert checkout.due.text() == "15.50"
    assert not checkout.close_sale.isEnabled()
    type_amount(screen, "20")
    screen.click(checkout.cash)
    change = screen.ticket.change
    assert change is not None
    assert [(p.method, p.amount, p.change) for p in change.payments] == [
        ("card", Decimal("10.00"), Decimal(0)),
        ("cash", Decimal("15.50"), Decimal("4.50")),
    ]
    assert "Card 10.00" in checkout.payments.text()
    screen.click(checkout.close_sale)
    receipt = screen.window.sale.receipt_preview.text
    assert "Card" in receipt and "Cash" in receipt and "4.50" in receipt


def test_clear_payments_and_an_overpaid_card_is_refused(screen: Screen) -> None:
    """A card above what is due is refused with the till's message; Clear payments
    empties the list."""
    screen.tap_product("TEA")
    open_checkout(screen)
    checkout = screen.window.sale.checkout
    type_amount(screen, "5")
    screen.click(checkout.card)
    assert checkout.message.property("code") == "OVERPAYMENT"
    assert "at most what is due (1.05)" in checkout.message.text()
    screen.click(checkout.notes["5"])
    assert checkout.clear.isEnabled()
    screen.click(checkout.clear)
    change = screen.ticket.change
    assert change is not None and change.payments == ()


def test_closing_is_refused_while_a_coupon_is_worth_zero(screen: Screen) -> None:
    """§5.2/§7: TP-3 on a ticket whose only line is presented is worth 0: the cashier is
    told so, and Pay is off with the reason naming the coupon; removing it lets the sale
    close."""
    screen.tap_product("CAKE")
    screen.scan("TP-3")
    screen.click(screen.window.ring_up.line_actions.present)
    change = screen.ticket.change
    assert change is not None and change.priced.coupons["TP-3"].amount == 0
    assert screen.window.ticket.coupon_strip.coupon_chip("TP-3").property("warn") == "true"
    assert "“Delivery platform 3.00” is now worth 0.00" in screen.window.ticket.message.text()
    pay = screen.window.ticket.pay
    assert not pay.isEnabled()
    reason = screen.window.ticket.pay_reason.text()
    assert reason == "Coupon “Delivery platform 3.00” is worth 0.00: remove it to pay"
    assert pay.toolTip() == reason
    assert closed_tickets(screen) == []
    screen.click(screen.window.ticket.coupon_strip.coupon_chip("TP-3"))
    assert pay.isEnabled() and not screen.window.ticket.pay_reason.isVisible()
    open_checkout(screen)
    checkout = screen.window.sale.checkout
    assert checkout.hint.text() == ""
    screen.click(checkout.close_sale)
    assert len(closed_tickets(screen)) == 1
