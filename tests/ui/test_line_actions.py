"""The line buttons follow the engine's rules for the selected line, live (R4, §4.1.1,
§6, R12), and "Why this price?" shows the explain trace (R13)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from pos_app.engine import Refusal, RefusalCode
from pos_app.till.manager import NEEDS_MANAGER
from pos_app.ui.line_actions import NO_LINE
from tests.ui.conftest import Screen
from tests.ui.test_no_internal_ids import ids_in, texts_of

COVERED = Refusal(RefusalCode.COVERED_BY_COUPON).message


def test_no_line_selected_turns_the_line_buttons_off(screen: Screen) -> None:
    """Without a selected line, the line buttons are off and say why."""
    actions = screen.window.ring_up.line_actions
    for button in (actions.present, actions.price, actions.void, actions.why):
        assert not button.isEnabled()
        assert button.toolTip() == NO_LINE
    assert not screen.window.ticket.pay.isEnabled()


def test_a_coupon_claimed_line_turns_present_price_discount_and_void_off(screen: Screen) -> None:
    """§4.1.1/§6: after GP-BURGER, its burger line cannot be presented, re-priced,
    discounted or voided; the reason is the rule's message; removing the coupon turns
    them back on."""
    actions = screen.window.ring_up.line_actions
    screen.tap_product("BURGER")
    assert actions.present.isEnabled() and actions.void.isEnabled()
    screen.scan("GP-BURGER")
    assert screen.ticket.selected == "L1"
    for button in (actions.present, actions.price, actions.void):
        assert not button.isEnabled(), button.text()
        assert button.toolTip() == COVERED
    states = screen.ticket.actions
    assert (states.discount_line.enabled, states.discount_line.reason) == (False, COVERED)
    assert actions.discount.isEnabled()  # an order discount is still allowed (R9)
    assert not actions.findChildren(QLabel)  # no hint line standing under the buttons
    # A tap on a button that is off says why. Qt hands a disabled widget's tap to its
    # parent (QTest does not route it): the tap lands on the panel at the button.
    at = actions.present.mapTo(actions, actions.present.rect().center())
    screen.qtbot.mouseClick(actions, Qt.MouseButton.LeftButton, pos=at)
    assert screen.window.ticket.message.text() == f"Present: {COVERED}"
    assert actions.why.isEnabled()
    screen.click(screen.window.ticket.coupon_strip.coupon_chip("GP-BURGER"))
    for button in (actions.present, actions.price, actions.discount, actions.void):
        assert button.isEnabled(), button.text()


def test_buttons_follow_the_selection(screen: Screen) -> None:
    """Selecting another line re-asks the engine: a line outside the coupon is free."""
    actions = screen.window.ring_up.line_actions
    screen.tap_product("BURGER")
    screen.tap_product("SALAD")
    screen.select_row("L1")
    screen.scan("GP-BURGER")
    assert not actions.present.isEnabled()
    screen.select_row("L2")
    assert actions.present.isEnabled()
    screen.click(actions.present)
    assert screen.line("L2").presented
    assert actions.present.text() == "Unpresent"
    screen.click(actions.present)
    assert not screen.line("L2").presented


def test_promotion_button_triggers_a_manual_promotion(screen: Screen) -> None:
    """R12: DESSERT-10 (auto-execute off) can be triggered only with a dessert on the
    ticket; triggered, it discounts the line; it can be cancelled."""
    window = screen.window
    screen.tap_product("FRIES")
    assert not window.ring_up.line_actions.promotion.isEnabled()
    screen.tap_product("ICECREAM")
    assert window.ring_up.line_actions.promotion.isEnabled()
    screen.click(window.ring_up.line_actions.promotion)
    dialog = window.ring_up.promotions
    assert dialog.isVisible()
    trigger = dialog.trigger_buttons["DESSERT-10"]
    assert trigger.isEnabled()
    screen.click(trigger)
    assert "DESSERT-10" in screen.line("L2").promotion_ids
    assert window.ticket.message.text() == "Promotion 10% off desserts (staff trigger) applied"
    assert not dialog.trigger_buttons["DESSERT-10"].isEnabled()
    screen.click(dialog.cancel_buttons["DESSERT-10"])
    assert screen.line("L2").promotion_ids == ()


def test_the_promotion_dialog_names_promotions_never_their_ids(screen: Screen) -> None:
    """Every row, state and reason in the Promotions dialog reads a name (it used to
    print "DRINKS-BOGO" under each name), also for a promotion in effect."""
    window = screen.window
    book = screen.ticket.book
    assert book is not None
    for sku in ("COLA", "COLA", "ICECREAM"):
        screen.tap_product(sku)
    screen.click(window.ring_up.line_actions.promotion)
    dialog = window.ring_up.promotions
    screen.click(dialog.trigger_buttons["DESSERT-10"])
    assert dialog.titles["DESSERT-10"].text() == book.promotions["DESSERT-10"].name
    assert ids_in(texts_of(dialog), set(book.promotions)) == []


def test_discount_dialog_gives_a_line_discount(screen: Screen) -> None:
    """Discount → 10% on this line: a stage-4 discount and its chip."""
    window = screen.window
    screen.tap_product("WRAP")
    screen.click(window.ring_up.line_actions.discount)
    dialog = window.ring_up.discount
    assert dialog.isVisible() and dialog.line_scope.isChecked()
    screen.click(dialog.quick["10"])
    screen.click(dialog.apply)
    line = screen.line("L1")
    assert [a.kind for a in line.adjustments] == ["discount:line"]
    assert str(line.net) == "8.55"
    assert window.ticket.coupon_strip.discount_chip("D1").isVisible()
    screen.click(window.ticket.coupon_strip.discount_chip("D1"))
    assert screen.line("L1").adjustments == ()


def test_why_this_price_shows_the_explain_trace(screen: Screen) -> None:
    """R13: plain sentences naming the promotion and the store discount; every step
    with its stage and rule only behind the Details toggle."""
    screen.tap_product("SALAD")
    screen.do(lambda: screen.window.ring_up.give_discount(False, "percent", "10"))
    screen.click(screen.window.ring_up.line_actions.why)
    dialog = screen.window.ring_up.why
    assert dialog.isVisible()
    assert dialog.sentences.text().splitlines() == [
        "Garden salad costs 8.00.",
        "The promotion “Salad special” takes 1.50 off.",
        "The store discount 10% takes 0.65 off.",
        "You pay 5.85 for this line.",
    ]
    assert not dialog.text.isVisible()
    screen.click(dialog.details)
    text = dialog.text.toPlainText()
    assert dialog.text.isVisible()
    assert text.splitlines()[0] == "L1 Garden salad x1 @ 8.00 = 8.00"
    assert "stage 3 promotion: promotion:special_price SALAD-DAY -1.50 [R5]" in text
    assert "stage 4 local discount: discount:line D1 -0.65 [R9 R2]" in text
    assert "  net 5.85" in text.splitlines()


def test_cashier_permissions_need_a_manager_until_one_signs_in(strict_screen: Screen) -> None:
    """On a new till presenting needs a manager: Present is off for cashiers (saying
    why), on while a manager is signed in, off again after."""
    screen = strict_screen
    manager = screen.manager
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", "2468", by=None))
    screen.tap_product("TEA")
    assert not screen.window.ring_up.line_actions.present.isEnabled()
    screen.do(lambda: manager.verify_pin("Grace", "2468"))
    screen.window.manager.manager_mode.accept()
    present = screen.window.ring_up.line_actions.present
    assert present.isEnabled()  # the manager is still signed in
    screen.do(manager.exit_manager_mode)
    assert not present.isEnabled()
    assert present.toolTip() == NEEDS_MANAGER["present"]
    screen.do(screen.window.ring_up.toggle_present)  # refused by the till itself
    assert screen.window.ticket.message.code == "MANAGER_REQUIRED"
    assert not screen.line("L1").presented
