"""The till's shift screens: held tickets, the on-screen keyboard, a return, the Z
report, and staff signing in, the float, a cash out and its approval."""

from __future__ import annotations

from pos_app.protocol.pins import hash_pin
from pos_app.protocol.records import RECORD_VERSION
from pos_app.till.commands import SetPermission, VoidTicket
from pos_app.till.drawer import CASH_OUT
from pos_app.till.manager import Actor
from pos_app.till.shift_commands import ParkTicket
from pos_app.ui.driver import wait_for
from scripts.till_demo import DEMO_MANAGER
from scripts.till_shooter import Shooter


def shoot_shift(s: Shooter, sold: str) -> None:
    """Held tickets, a return, the on-screen keyboard and the Z report."""
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1024, 768)
    for skus in (("LATTE", "COOKIE"), ("BURGER", "FRIES", "COLA")):
        for sku in skus:
            s.tap(sku)
        s.do(lambda: c.do(ParkTicket()))
    s.tap("SALAD")
    window.shift.open_held_tickets()
    s.settle()
    window.shift.held_tickets.resize(640, 420)
    s.shoot(window.shift.held_tickets, "held-tickets")
    window.shift.held_tickets.accept()

    touch = window.touch
    if touch is not None:
        keyboard = touch.open_for(window.counter.coupon_entry.field)
        keyboard.keyboard.type_text("TP-3")
        s.shoot(keyboard, "on-screen-keyboard")
        keyboard.reject()

    window.shift.open_returns()
    window.shift.return_dialog.number.setText(sold)
    s.do(window.shift.return_dialog.find_sale)
    window.shift.return_dialog.resize(820, 560)
    sale = window.shift.return_dialog.sale
    if sale is not None:
        window.shift.return_dialog.change_qty(sale.lines[0].line_id, 1)
    window.shift.return_dialog.choose_reason("Wrong item")
    s.shoot(window.shift.return_dialog, "return")
    s.do(window.shift.return_dialog.refund.click)
    window.sale.receipt_preview.resize(620, 760)
    s.shoot(window.sale.receipt_preview, "return-slip")
    window.sale.receipt_preview.accept()

    s.do(lambda: c.do(VoidTicket("Rung up by mistake")))
    window.shift.open_day_report()
    s.settle()
    window.shift.report.numpad.type_text("50")
    s.do(window.shift.report.close_day.click)
    s.do(window.shift.report.confirm_close.click)
    window.shift.report.resize(900, 720)
    s.shoot(window.shift.report, "z-report")
    window.shift.report.accept()


def shoot_staff(s: Shooter) -> None:
    """Staff from the back office (Ana, cashier; Grace is the manager): sign in, the
    day's float, a cash out and Grace's approval of it, each over the 1024×768 window."""
    window, runtime = s.app.window, s.app.runtime
    window.resize(1024, 768)
    pin_hash = hash_pin("1357")
    runtime.sync_store.apply_changes_page(
        [
            {
                "kind": "staff",
                "version": RECORD_VERSION,
                "id": "S-ANA",
                "deleted": False,
                "data": {"id": "S-ANA", "name": "Ana", "role": "cashier", "pin_hash": pin_hash},
            }
        ],
        None,
    )
    runtime.till.staff.refresh()
    manager = Actor(runtime.access.verify_pin(*DEMO_MANAGER))
    runtime.till.handle(SetPermission("cash_out", False), manager)  # cash out: approved
    runtime.access.end_session(manager.manager)
    s.do(s.app.controllers.staff.load_roster)
    staff = window.staff
    staff.open_sign_in()
    staff.sign_in.choose("S-ANA")
    staff.sign_in.pin.type_pin("13")
    s.shoot_over(window, staff.sign_in, "staff-sign-in")
    staff.sign_in.pin.type_pin("57")
    s.do(staff.sign_in.pin.submit)
    wait_for(staff.float_dialog.isVisible, "the float")
    staff.float_dialog.numpad.type_text("150")
    s.shoot_over(window, staff.float_dialog, "staff-float")
    s.do(staff.float_dialog.ok.click)
    staff.open_cash_move()
    staff.cash_move.choose_kind(CASH_OUT)
    staff.cash_move.numpad.type_text("200")
    staff.cash_move.choose_reason("Safe drop")
    s.shoot_over(window, staff.cash_move, "staff-cash-move")
    s.do(staff.cash_move.confirm.click)
    wait_for(staff.approval.isVisible, "the approval")
    staff.approval.pin.type_pin("24")
    s.shoot_over(window, staff.approval, "staff-approval")
    staff.approval.pin.type_pin("68")
    s.do(staff.approval.pin.submit)
