"""A shift by touch alone: hold and recall tickets, find items by name, type on the
on-screen keyboard, put a member on the ticket, void with a reason, return lines of a
closed sale, and close the day with the Z report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from pos_app.store.store_document import store_document_records
from pos_app.till.commands import VoidTicket
from pos_app.till.shift_commands import AttachMember, ParkTicket
from pos_app.ui.keyboard import KeyboardDialog
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen, open_screen


def pay_and_close(screen: Screen) -> str:
    """Pay what is due by card and close; the closed ticket's number."""
    window = screen.window
    screen.click(window.ticket.pay)
    checkout = window.sale.checkout
    screen.click(checkout.card)
    screen.click(checkout.close_sale)
    receipt = window.sale.receipt_preview.receipt
    assert receipt is not None
    window.sale.receipt_preview.accept()
    return receipt.number


def test_a_held_ticket_is_recalled_with_its_coupon_and_member(screen: Screen) -> None:
    """Hold keeps the ticket (its coupon and member), a new ticket starts; Held tickets
    lists it by number and items; Recall brings it back as it was."""
    window = screen.window
    screen.tap_product("BURGER")
    screen.scan("TP-3")
    screen.do(lambda: screen.ticket.do(AttachMember("M-1001")))
    held = screen.ticket.change
    assert held is not None and held.member_name == "Ada Lovelace"
    screen.click(window.counter.hold)
    assert screen.ticket.change is not None and not screen.ticket.change.priced.lines
    assert f"Ticket {held.number} is on hold" in window.ticket.message.text()
    screen.tap_product("COLA")
    screen.click(window.counter.held)
    dialog = window.shift.held_tickets
    assert dialog.isVisible() and list(dialog.recall_buttons) == [held.number]
    screen.click(dialog.recall_buttons[held.number])
    back = screen.ticket.change
    assert back is not None and back.number == held.number
    assert [line.sku for line in back.priced.lines] == ["BURGER"]
    assert "TP-3" in back.priced.coupons and back.member_name == "Ada Lovelace"
    assert window.ticket.ticket_header.text() == f"Ticket {held.number}"
    assert window.ticket.member_badge.text().startswith("Ada Lovelace")


def test_the_held_tickets_key_counts_them_after_hold_and_recall(screen: Screen) -> None:
    """The Held tickets key says how many are held: one more after each Hold, none
    after the last is recalled (it used to keep "Held tickets (1)")."""
    window = screen.window
    held = window.counter.held
    assert held.text() == "Held tickets"
    screen.tap_product("BURGER")
    screen.click(window.counter.hold)
    assert held.text() == "Held tickets (1)"
    screen.tap_product("COLA")
    screen.click(window.counter.hold)
    assert held.text() == "Held tickets (2)"
    for left in ("Held tickets (1)", "Held tickets"):
        screen.click(held)
        screen.click(next(iter(window.shift.held_tickets.recall_buttons.values())))
        change = screen.ticket.change
        assert change is not None and change.priced.lines
        assert held.text() == left
        screen.do(lambda: screen.ticket.do(VoidTicket("Customer left")))
        assert held.text() == left


def test_a_held_ticket_survives_a_restart(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> None:
    """A ticket held before the till stops is on the held list after it starts again."""
    first = open_screen(qtbot, data_dir, clock, (1024, 768))
    first.tap_product("LATTE")
    first.do(lambda: first.ticket.do(ParkTicket()))
    first.settle()
    first.app.close()
    again = open_screen(qtbot, data_dir, clock, (1024, 768), trusting=False)
    try:
        again.click(again.window.counter.held)
        buttons = again.window.shift.held_tickets.recall_buttons
        assert len(buttons) == 1
        again.click(next(iter(buttons.values())))
        change = again.ticket.change
        assert change is not None and [line.sku for line in change.priced.lines] == ["LATTE"]
    finally:
        again.settle()
        again.app.close()


def test_a_tap_on_a_text_field_opens_the_on_screen_keyboard(screen: Screen) -> None:
    """The coupon field by touch: the keyboard types the code, Done redeems it."""
    window = screen.window
    screen.tap_product("BURGER")
    touch = window.touch
    assert touch is not None
    opened: list[KeyboardDialog] = []
    touch.keyboard_opened.connect(opened.append)
    screen.qtbot.mouseClick(window.counter.coupon_entry.field, Qt.MouseButton.LeftButton)
    screen.qtbot.waitUntil(lambda: bool(opened) and opened[0].isVisible())
    keyboard = opened[0]
    for key in ("T", "P", "-", "3"):
        screen.click(keyboard.keyboard.keys[key])
    assert keyboard.edit.text() == "TP-3"
    screen.click(keyboard.done_button)
    change = screen.ticket.change
    assert change is not None and "TP-3" in change.priced.coupons


def test_find_an_item_by_name_and_ring_it_up(screen: Screen) -> None:
    """Find item: typing "chee" on its keyboard shows Cheeseburger; a tap rings it up."""
    window = screen.window
    screen.click(window.ring_up.line_actions.find_item)
    search = window.ring_up.item_search
    assert search.isVisible()
    search.keyboard.type_text("chee")
    assert list(search.results) == ["CHEESEBURGER"]
    screen.click(search.results["CHEESEBURGER"])
    change = screen.ticket.change
    assert change is not None and [line.sku for line in change.priced.lines] == ["CHEESEBURGER"]


def test_member_lookup_puts_the_member_on_the_ticket(screen: Screen) -> None:
    """Member lookup's Add to ticket: the ticket header shows the member's name; the
    badge takes the member off again."""
    window = screen.window
    screen.tap_product("SALAD")
    screen.click(window.counter.coupon_entry.member)
    lookup = window.members.member_lookup
    lookup.numpad.type_text("0100001")
    screen.click(lookup.find_button)
    screen.click(lookup.attach_buttons["M-1001"])
    assert (
        window.ticket.member_badge.isVisible()
        and "Ada Lovelace" in window.ticket.member_badge.text()
    )
    assert "M-1001" not in window.ticket.member_badge.text()
    screen.click(window.ticket.member_badge)
    assert not window.ticket.member_badge.isVisible()


def test_voiding_a_ticket_asks_a_reason_then_confirmation(screen: Screen) -> None:
    """Void ticket opens the reasons; nothing happens until one is chosen and confirmed."""
    window = screen.window
    screen.tap_product("BURGER")
    screen.click(window.ticket.void_ticket)
    dialog = window.shift.void_dialog
    assert dialog.isVisible() and not dialog.confirm.isEnabled()
    screen.click(dialog.reasons["Customer left"])
    assert screen.ticket.change is not None and screen.ticket.change.priced.lines
    screen.click(dialog.confirm)
    change = screen.ticket.change
    assert change is not None and not change.priced.lines
    assert window.ticket.message.text() == "Ticket voided (Customer left)"


def test_a_return_of_one_line_to_the_card_it_was_paid_with(screen: Screen) -> None:
    """Return: the sale found by number, one cola chosen, the amount its net share, the
    card preselected; the slip names the sale; the day report counts it."""
    window = screen.window
    screen.tap_product("BURGER")
    window.ring_up.numpad.type_text("2")
    screen.tap_product("COLA")  # one line of two colas, one free (BOGO): 3.00 net
    number = pay_and_close(screen)
    screen.click(window.counter.returns)
    dialog = window.shift.return_dialog
    screen.qtbot.keyClicks(dialog.number, number)
    screen.qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    screen.settle()
    assert dialog.sale is not None and dialog.sale.number == number
    assert dialog.card.isChecked() and not dialog.refund.isEnabled()
    cola = next(line for line in dialog.sale.lines if line.sku == "COLA")
    screen.click(dialog.plus[cola.line_id])
    assert dialog.refund.text() == "Refund 1.50 by card"
    screen.click(dialog.refund)
    slip = window.sale.receipt_preview.receipt
    assert slip is not None and slip.title == f"RETURN of ticket {number}"
    assert "1.50" in window.ticket.message.text() and number in window.ticket.message.text()
    window.sale.receipt_preview.accept()
    screen.click(window.counter.day)
    report = window.shift.report
    screen.settle()
    assert report.report is not None and str(report.report.returns) == "1.50"


def test_closing_the_day_needs_the_count_then_a_confirmation(screen: Screen) -> None:
    """Day report: the X report shows; Close the day asks the counted cash, then a
    confirmation; the Z report follows and the next ticket's number follows the last
    one (numbers never start again)."""
    window = screen.window
    screen.tap_product("TEA")
    screen.click(window.ticket.pay)
    window.sale.checkout.numpad.type_text("5")
    screen.click(window.sale.checkout.cash)
    screen.click(window.sale.checkout.close_sale)
    window.sale.receipt_preview.accept()
    screen.click(window.counter.day)
    report = window.shift.report
    assert report.report is not None and report.report.kind == "X"
    screen.click(report.close_day)
    assert report.status.property("kind") == "error"  # no count typed yet
    report.numpad.type_text("1.05")
    screen.click(report.close_day)
    assert report.confirm_close.isVisible()
    screen.click(report.confirm_close)
    assert report.report.kind == "Z" and report.report.counted_cash is not None
    assert "Short" not in "\n".join(report.rows) and "Over" not in "\n".join(report.rows)
    report.accept()
    screen.tap_product("TEA")
    change = screen.ticket.change
    assert change is not None and change.number.endswith("-000002")


def test_find_item_keys_are_finger_high_at_1024x768(screen: Screen) -> None:
    """Find item at 1024×768 with results: the dialog is never smaller than its layout
    needs, so every key and result is at least 44 px high (keys were squeezed to 36)."""
    window = screen.window
    screen.click(window.ring_up.line_actions.find_item)
    search = window.ring_up.item_search
    search.keyboard.type_text("c")
    screen.qtbot.waitUntil(lambda: len(search.results) >= 6)
    assert search.height() >= search.minimumSizeHint().height()
    assert search.height() <= 768 and search.width() <= 1024
    heights = [key.height() for key in search.keyboard.keys.values()]
    heights += [button.height() for button in search.results.values()]
    assert min(heights) >= 44
    search.accept()


def test_member_lookup_never_scrolls_sideways(screen: Screen) -> None:
    """A member with a long name and a long pack name at 1024×768: the card's row wraps
    within the dialog; the results never scroll sideways."""
    window = screen.window
    screen.app.runtime.sync_store.apply_changes_page(
        store_document_records(
            {
                "members": [
                    {
                        "id": "M-2001",
                        "name": "Maria Guadalupe Fernández de la Concepción Villanueva",
                        "phone": "+15550199999",
                    }
                ],
                "entitlements": [
                    {
                        "code": "MVX-1",
                        "member_id": "M-2001",
                        "coupon_code": "MV-4",
                        "status": "active",
                        "pack_name": "The grand family weekend breakfast and brunch pack",
                        "pack_id": "99",
                    }
                ],
            }
        ),
        None,
    )
    screen.do(screen.ticket.reload_configuration)
    screen.click(window.counter.coupon_entry.member)
    lookup = window.members.member_lookup
    lookup.numpad.type_text("0199999")
    screen.click(lookup.find_button)
    assert "M-2001" in lookup.attach_buttons
    scroll = lookup.findChild(QScrollArea)
    assert scroll is not None
    screen.qtbot.wait(20)
    assert not scroll.horizontalScrollBar().isVisible()
    results = scroll.widget()
    assert results is not None and results.width() <= scroll.viewport().width()
    assert lookup.width() <= 1024
    lookup.accept()
