"""Ringing up on the touch screen: product taps, the numpad, the ticket's rows and badges."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from pos_app.ui.ticket_view import NET, PRICE, QTY, TicketModel
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen, open_screen


def cell(screen: Screen, line_id: str, column: int) -> str:
    model = screen.window.ticket.ticket_view.ticket_model
    row = model.row_of(line_id)
    assert row is not None
    return str(model.data(model.index(row, column)))


def badges(screen: Screen, line_id: str) -> tuple[str, ...]:
    model = screen.window.ticket.ticket_view.ticket_model
    row = model.row_of(line_id)
    assert row is not None
    return tuple(model.data(model.index(row, 0), TicketModel.BADGES_ROLE))


def test_product_taps_ring_up_lines_and_select_the_new_one(screen: Screen) -> None:
    """A tap on a product button adds a line (ids L1, L2, ...) and selects it."""
    screen.tap_product("BURGER")
    screen.tap_product("FRIES")
    assert screen.line_ids() == ["L1", "L2"]
    assert screen.ticket.selected == "L2"
    assert cell(screen, "L1", PRICE) == "12.00"
    assert screen.window.ticket.totals.total.text() == "USD 16.00"
    assert screen.window.ticket.pay.isEnabled()


def test_numpad_quantity_before_a_tap_rings_up_that_many(screen: Screen) -> None:
    """3 on the numpad, then a product: one line of quantity 3."""
    screen.type_on_numpad("3")
    screen.tap_product("COOKIE")
    assert cell(screen, "L1", QTY) == "3"
    assert screen.window.ring_up.numpad.text() == ""


def test_numpad_qty_key_sets_the_selected_lines_quantity(screen: Screen) -> None:
    """Qty on the numpad changes the selected line; the totals follow."""
    screen.tap_product("SOUP")
    screen.type_on_numpad("4")
    screen.click(screen.window.ring_up.numpad.action_keys["qty"])
    assert cell(screen, "L1", QTY) == "4"
    assert screen.window.ticket.totals.total.text() == "USD 22.00"


def test_numpad_price_key_adjusts_the_price_with_a_badge(screen: Screen) -> None:
    """Price on the numpad is a price adjustment (stage 1): new price, Adjusted badge."""
    screen.tap_product("WRAP")
    screen.type_on_numpad("7.5")
    screen.click(screen.window.ring_up.numpad.action_keys["price"])
    assert cell(screen, "L1", PRICE) == "7.50"
    assert cell(screen, "L1", NET) == "7.50"
    assert badges(screen, "L1") == ("Adjusted",)
    assert screen.window.ring_up.line_actions.price.text() == "Undo price"
    screen.click(screen.window.ring_up.line_actions.price)
    assert cell(screen, "L1", PRICE) == "9.50"
    assert badges(screen, "L1") == ()


def test_badges_show_promotion_coupon_discount_and_presented(screen: Screen) -> None:
    """Each line's badges name what changed its price."""
    screen.tap_product("COLA", 2)  # DRINKS-BOGO, one line of 2
    screen.tap_product("TEA")
    screen.do(screen.window.ring_up.toggle_present)  # L2 presented
    screen.tap_product("SALAD")  # SALAD-DAY special price
    screen.do(lambda: screen.window.ring_up.give_discount(False, "percent", "10"))
    screen.scan("TP-3")
    assert screen.window.ticket.message.code == ""
    assert cell(screen, "L1", QTY) == "2" and "Promotion" in badges(screen, "L1")
    assert badges(screen, "L2")[0] == "Presented"
    assert badges(screen, "L3")[:2] == ("Promotion", "Discount")
    assert "Coupon" in badges(screen, "L3")


def test_tapping_an_item_again_raises_the_last_lines_quantity(screen: Screen) -> None:
    """Twelve taps on Cookie: one line of 12 (it used to make twelve lines), selected;
    another item in between starts a new line; a numpad quantity adds that many."""
    screen.tap_product("COOKIE", 12)
    assert screen.line_ids() == ["L1"] and cell(screen, "L1", QTY) == "12"
    assert screen.ticket.selected == "L1"
    screen.tap_product("TEA")
    screen.tap_product("COOKIE")
    assert screen.line_ids() == ["L1", "L2", "L3"]
    screen.type_on_numpad("3")
    screen.tap_product("COOKIE")
    assert cell(screen, "L3", QTY) == "4"


def test_a_line_something_holds_takes_the_next_tap_as_a_new_line(screen: Screen) -> None:
    """A coupon's claim (R6: new items need the coupon redeemed again), a line discount,
    a present or a promotion holding the line (R5; SPEND-40-SAVE-5 holds every line
    from 40.00 up): the next tap is a new line."""
    screen.tap_product("BURGER")
    screen.scan("GP-BURGER")  # claims L1
    screen.tap_product("BURGER")
    assert screen.line_ids() == ["L1", "L2"] and cell(screen, "L1", QTY) == "1"
    screen.do(lambda: screen.window.ring_up.give_discount(False, "percent", "10"))  # on L2
    screen.tap_product("BURGER")
    assert screen.line_ids() == ["L1", "L2", "L3"]
    screen.do(screen.window.ring_up.toggle_present)  # L3 presented
    screen.tap_product("BURGER")
    assert screen.line_ids() == ["L1", "L2", "L3", "L4"]
    screen.tap_product("COLA", 2)  # DRINKS-BOGO holds both units of L5
    assert cell(screen, "L5", QTY) == "2" and "Promotion" in badges(screen, "L5")
    screen.tap_product("COLA")
    assert screen.line_ids()[-1] == "L6" and cell(screen, "L6", QTY) == "1"


def test_void_line_removes_its_row(screen: Screen) -> None:
    """Void line takes the selected line off; the selection goes with it."""
    screen.tap_product("BURGER")
    screen.tap_product("CAKE")
    screen.click(screen.window.ring_up.line_actions.void)
    assert screen.line_ids() == ["L1"]
    assert screen.ticket.selected is None
    assert not screen.window.ring_up.line_actions.void.isEnabled()


def test_tapping_a_row_selects_its_line(screen: Screen) -> None:
    """A tap on a ticket row makes that line the one the buttons act on."""
    screen.tap_product("LATTE")
    screen.tap_product("ESPRESSO")
    screen.select_row("L1")
    screen.type_on_numpad("2")
    screen.click(screen.window.ring_up.numpad.action_keys["qty"])
    assert cell(screen, "L1", QTY) == "2"


def test_line_ids_are_never_reused_after_a_void_or_a_restart(
    qtbot: QtBot, screen: Screen, clock: FakeClock
) -> None:
    """A voided line's id is not given again on the same ticket, nor after a restart."""
    screen.tap_product("FRIES")
    screen.tap_product("SOUP")
    screen.click(screen.window.ring_up.line_actions.void)  # L2 voided
    screen.tap_product("COLA")
    assert screen.line_ids() == ["L1", "L3"]
    data_dir = screen.app.runtime.data_dir
    screen.app.close()
    again = open_screen(qtbot, data_dir, clock, (1024, 768))
    try:
        assert again.line_ids() == ["L1", "L3"]  # the open ticket is restored
        again.tap_product("TEA")
        assert again.line_ids() == ["L1", "L3", "L4"]
        change = again.ticket.change
        assert change is not None and change.priced.total == Decimal("7.00")  # tea free (BOGO)
    finally:
        again.app.close()
