"""A whole business day at 1024×768 by taps alone (issue 20): Ana signs in and counts
the float, sells (a coupon, a held ticket recalled), a void and a cash out approved by
Mia's PIN where they were refused, a return with its reason, the X report, the Z report
against the count, and the next day's first sale. The report's figures are asserted."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.till.shift_report import ShiftReport
from pos_app.ui.numpad import Numpad
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.till.test_staff import PIN, put_staff
from tests.ui.conftest import Screen, open_screen

D = Decimal


@pytest.fixture
def staffed_screen(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> Iterator[Screen]:
    """A strict till (every guarded action needs a manager) with Ana (cashier) and Mia
    (manager) from the back office."""
    runtime = open_till(data_dir, clock=clock)
    try:
        put_staff(runtime, clock, ("S-ANA", "Ana", "cashier"), ("S-MIA", "Mia", "manager"))
    finally:
        runtime.close()
    opened = open_screen(qtbot, data_dir, clock, (1024, 768), trusting=False)
    yield opened
    opened.settle()
    opened.app.close()


def tap_keys(screen: Screen, numpad: Numpad, text: str) -> None:
    for ch in text:
        screen.qtbot.mouseClick(numpad.keys[ch], Qt.MouseButton.LeftButton)
    screen.settle()


def sell(screen: Screen, *skus: str, cash: bool = True, coupon: str = "") -> tuple[str, D]:
    """Tap the items (and scan a coupon), pay what is due, close; (number, total)."""
    window = screen.window
    for sku in skus:
        screen.tap_product(sku)
    if coupon:
        screen.scan(coupon)
    change = screen.ticket.change
    assert change is not None
    total = change.amount_due
    screen.click(window.ticket.pay)
    checkout = window.sale.checkout
    screen.click(checkout.cash if cash else checkout.card)
    screen.click(checkout.close_sale)
    receipt = window.sale.receipt_preview.receipt
    assert receipt is not None and receipt.cashier == "Ana"
    window.sale.receipt_preview.accept()
    return receipt.number, total


def approve(screen: Screen, expected: str) -> None:
    """The manager's PIN, asked where the refusal happened."""
    approval = screen.window.staff.approval
    assert approval.isVisible() and expected in approval.what.text()
    assert approval.names.currentText() == "Mia"
    tap_keys(screen, approval.pin.numpad, PIN)
    screen.click(approval.pin.ok)
    assert not approval.isVisible()


def test_a_whole_day_by_touch(staffed_screen: Screen) -> None:
    screen, window = staffed_screen, staffed_screen.window
    counter, staff, status = window.counter, window.staff, window.status

    # Sign in, and the day's float.
    assert status.cashier_button.text() == "Sign in"
    screen.tap_product("TEA")
    assert "Sign in first" in window.ticket.message.text()  # nothing before a sign-in
    screen.click(status.cashier_button)
    screen.click(staff.sign_in.people["S-ANA"])
    tap_keys(screen, staff.sign_in.pin.numpad, "0000")
    screen.click(staff.sign_in.pin.ok)
    assert "Wrong PIN" in staff.sign_in.message.text()
    tap_keys(screen, staff.sign_in.pin.numpad, PIN)
    screen.click(staff.sign_in.pin.ok)
    assert not staff.sign_in.isVisible() and status.cashier_button.text() == "Ana"
    assert staff.float_dialog.isVisible()
    tap_keys(screen, staff.float_dialog.numpad, "100")
    screen.click(staff.float_dialog.ok)

    # Sales: cash, a coupon paid by card, a held ticket recalled.
    first, burger = sell(screen, "BURGER")
    _, _with_coupon = sell(screen, "BURGER", cash=False, coupon="TP-3")
    screen.tap_product("TEA")
    held = screen.ticket.change
    assert held is not None
    screen.click(counter.hold)
    screen.click(counter.held)
    screen.click(window.shift.held_tickets.recall_buttons[held.number])
    _, tea = sell(screen)

    # A void, refused to the cashier, approved in place.
    screen.tap_product("COLA")
    screen.click(window.ticket.void_ticket)
    screen.click(window.shift.void_dialog.reasons["Customer left"])
    screen.click(window.shift.void_dialog.confirm)
    approve(screen, "Voiding needs a manager")
    change = screen.ticket.change
    assert change is not None and not change.priced.lines

    # A return of the first sale, with its reason.
    screen.click(counter.returns)
    returns = window.shift.return_dialog
    screen.qtbot.keyClicks(returns.number, first)  # the receipt's barcode, scanned
    screen.click(returns.find_button)
    screen.click(returns.all_button)
    screen.click(returns.reasons["Damaged or faulty"])
    screen.click(returns.refund)
    slip = window.sale.receipt_preview.receipt
    assert slip is not None
    returned = slip.number  # the day's last number: sales and returns share the sequence
    window.sale.receipt_preview.accept()

    # Cash out, approved in place.
    screen.click(status.cash_button)
    move = staff.cash_move
    screen.click(move.cash_out)
    tap_keys(screen, move.numpad, "20")
    screen.click(move.reasons["Safe drop"])
    screen.click(move.confirm)
    approve(screen, "Taking cash out needs a manager")

    # X, then Z against the count.
    expected = D("100") + burger + tea - burger - D("20")
    screen.click(counter.day)
    report_dialog = window.shift.report
    screen.click(report_dialog.x_button)
    x = report_dialog.report
    assert isinstance(x, ShiftReport) and x.kind == "X"
    assert (x.sales_count, x.returns_count, x.voids_count) == (3, 1, 1)
    assert x.expected_cash == expected and x.opening_float == D("100")
    assert (x.cash_in, x.cash_out) == (D("0"), D("20"))
    ana = x.by_cashier["Ana"]
    assert (ana.sales_count, ana.returns_count, ana.voids_count) == (3, 1, 1)
    assert ana.cash_sales == burger + tea and ana.cash_returns == burger
    tap_keys(screen, report_dialog.numpad, f"{expected - D('0.50'):.2f}")
    screen.click(report_dialog.close_day)
    screen.click(report_dialog.confirm_close)
    z = report_dialog.report
    assert isinstance(z, ShiftReport) and z.kind == "Z"
    assert z.expected_cash == expected and z.cash_difference == D("-0.50")
    report_dialog.accept()

    assert z.z_number == 1  # Z reports have a sequence of their own

    # The next day's first sale goes on with the till's lifetime sequence (numbers never
    # start again after a Z report): the number after the day's last one, the return's.
    number, _ = sell(screen, "TEA")
    prefix, _, last = returned.rpartition("-")
    assert number == f"{prefix}-{int(last) + 1:06d}" and not number.endswith("-000001")
