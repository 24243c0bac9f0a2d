"""Coupons at the screen: a scanner's keyboard wedge, refusals with the rule's message
(§4.2.1, §4.2.3), removing a coupon, and member lookup by phone (K: member coupons)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.engine import Refusal, RefusalCode
from tests.ui.conftest import Screen, add_entitlements


def test_a_scanned_code_is_redeemed_and_the_field_is_ready_for_the_next(screen: Screen) -> None:
    """Keyboard-wedge input ("TP-3" + Enter) redeems the coupon; its chip shows the
    amount; the field is empty and keeps the focus for the next scan."""
    window = screen.window
    screen.tap_product("BURGER")
    field = window.counter.coupon_entry.field
    screen.scan("TP-3")
    assert field.text() == ""
    assert window.focusWidget() is field  # product and line buttons take no focus
    change = screen.ticket.change
    assert change is not None and change.priced.coupons["TP-3"].amount == 3
    assert window.ticket.coupon_strip.coupon_chip("TP-3").text() == "Delivery platform 3…  -3.00  ✕"
    assert window.ticket.message.text() == "Coupon Delivery platform 3.00 redeemed"


def test_a_code_the_back_office_calls_case_insensitive_matches_any_case(screen: Screen) -> None:
    """A coupon record with case_insensitive: "tp-3" scanned redeems TP-3 and says so by
    name."""
    screen.tap_product("BURGER")
    screen.scan("tp-3")
    change = screen.ticket.change
    assert change is not None and "TP-3" in change.priced.coupons
    assert screen.window.ticket.message.text() == "Coupon Delivery platform 3.00 redeemed"


def test_an_items_barcode_scanned_rings_it_up(screen: Screen) -> None:
    """A scan (keyboard wedge + Enter) of an item's barcode adds the item, selected."""
    screen.scan("200000000001")  # the demo store's classic burger
    change = screen.ticket.change
    assert change is not None and [line.sku for line in change.priced.lines] == ["BURGER"]
    assert screen.ticket.selected == change.priced.lines[0].line_id
    assert screen.window.counter.coupon_entry.field.text() == ""


def test_a_refused_code_stays_in_the_field_and_names_the_coupon(screen: Screen) -> None:
    """A refusal keeps the typed code (selected, so the next scan replaces it) and names
    the coupon and the line; the next successful action clears the message."""
    screen.tap_product("BURGER")
    screen.do(screen.window.ring_up.toggle_present)
    screen.scan("GP-BURGER")
    field = screen.window.counter.coupon_entry.field
    assert field.text() == "GP-BURGER" and field.selectedText() == "GP-BURGER"
    text = screen.window.ticket.message.text()
    assert "Group purchase: one burger" in text and "Classic burger" in text
    assert "Promotion executed, cancel before redeeming coupon" in text
    screen.tap_product("COLA")
    assert screen.window.ticket.message.text() == ""


def test_typed_code_and_the_redeem_button(screen: Screen) -> None:
    """A code typed by hand and the Redeem button work the same way."""
    screen.tap_product("LATTE")
    screen.qtbot.keyClicks(screen.window.counter.coupon_entry.field, "CUSTOM-1")
    screen.click(screen.window.counter.coupon_entry.redeem)
    change = screen.ticket.change
    assert change is not None and "CUSTOM-1" in change.priced.coupons


def test_present_then_coupon_is_refused_with_the_rules_message(screen: Screen) -> None:
    """§4.2.1: a presented line among the coupon's items → PRESENT_EXECUTED, shown."""
    screen.tap_product("BURGER")
    screen.click(screen.window.ring_up.line_actions.present)
    screen.scan("GP-BURGER")
    assert screen.window.ticket.message.code == "PRESENT_EXECUTED"
    assert screen.window.ticket.message.text() == (
        "Coupon “Group purchase: one burger” (Classic burger presented or re-priced):"
        " Promotion executed, cancel before redeeming coupon"
    )
    change = screen.ticket.change
    assert change is not None and change.priced.coupons == {}


def test_discount_then_member_coupon_is_refused_with_the_rules_message(screen: Screen) -> None:
    """§4.2.3: an order discount covers the lines → DISCOUNT_EXECUTED, shown."""
    screen.tap_product("BURGER")
    screen.do(lambda: screen.window.ring_up.give_discount(True, "amount", "1.00"))
    screen.scan("GP-BURGER")
    assert screen.window.ticket.message.code == "DISCOUNT_EXECUTED"
    assert screen.window.ticket.message.text().endswith(
        Refusal(RefusalCode.DISCOUNT_EXECUTED).message
    )
    assert "(Classic burger under a store discount)" in screen.window.ticket.message.text()


def test_an_unknown_code_says_so(screen: Screen) -> None:
    """A code the till does not know is refused UNKNOWN, naming the code."""
    screen.tap_product("TEA")
    screen.scan("NOPE-42")
    assert screen.window.ticket.message.code == "UNKNOWN"
    assert "NOPE-42" in screen.window.ticket.message.text()


def test_tapping_a_coupon_chip_removes_the_coupon(screen: Screen) -> None:
    """remove_coupon from its chip; the chip strip hides when nothing is left."""
    screen.tap_product("BURGER")
    screen.scan("GP-BURGER")
    strip = screen.window.ticket.coupon_strip
    assert strip.isVisible()
    screen.click(strip.coupon_chip("GP-BURGER"))
    change = screen.ticket.change
    assert change is not None and change.priced.coupons == {}
    assert not strip.isVisible()


def test_member_lookup_by_phone_shows_coupons_and_redeems_one(screen: Screen) -> None:
    """The member found by (the end of) their phone number, their packs each over the
    coupons it issued (coupons not from a pack on their own); a spent or inactive one
    cannot be redeemed; tapping Redeem on a pack's coupon puts it on the ticket."""
    pack = {"pack_id": "7", "pack_name": "Welcome pack"}
    add_entitlements(
        screen,
        [
            {"code": "MV-ADA-1", "member_id": "M-1001", "coupon_code": "MV-4", **pack},
            {
                "code": "MV-ADA-2",
                "member_id": "M-1001",
                "coupon_code": "MV-4",
                "status": "revoked",
                **pack,
            },
            {"code": "MD-ADA-1", "member_id": "M-1001", "coupon_code": "MD-10"},
        ],
    )
    screen.click(screen.window.counter.coupon_entry.member)
    dialog = screen.window.members.member_lookup
    assert dialog.isVisible()
    for digit in "0100001":
        screen.qtbot.mouseClick(dialog.numpad.keys[digit], Qt.MouseButton.LeftButton)
    assert dialog.phone.text() == "0100001"
    screen.click(dialog.find_button)
    assert dialog.status.text() == "1 member found."
    shown = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("•••• 0001" in text for text in shown), "the number shown masked"
    assert not any("0100001" in text for text in shown if "•" not in text)
    assert set(dialog.redeem_buttons) == {"MV-ADA-1", "MV-ADA-2", "MD-ADA-1"}
    headings = {key: label.text() for key, label in dialog.pack_headings.items()}
    assert headings == {
        ("M-1001", "7"): "Welcome pack: 1 of 2 to redeem",
        ("M-1001", None): "Other coupons: 1 of 1 to redeem",
    }
    welcome, other = (dialog.pack_headings[("M-1001", key)] for key in ("7", None))
    assert welcome.isVisible() and welcome.y() < other.y()  # the pack first, then the rest
    pack_rows = [dialog.coupon_captions[code] for code in ("MV-ADA-1", "MV-ADA-2")]
    assert all(welcome.y() < row.y() < other.y() for row in pack_rows)
    assert dialog.coupon_captions["MV-ADA-1"].text() == "Member voucher 4.00 · MV-ADA-1"
    withdrawn = "MV-ADA-2 · withdrawn by the back office"
    assert dialog.coupon_captions["MV-ADA-2"].text().endswith(withdrawn)
    assert not dialog.redeem_buttons["MV-ADA-2"].isEnabled()
    assert dialog.redeem_buttons["MV-ADA-2"].toolTip() == "withdrawn by the back office"
    screen.click(dialog.redeem_buttons["MV-ADA-1"])  # the ticket is still empty
    assert dialog.status.property("kind") == "error"
    assert dialog.status.text() == "Coupon “Member voucher 4.00”: the ticket is empty"
    dialog.accept()
    screen.tap_product("BURGER")
    screen.click(screen.window.counter.coupon_entry.member)
    screen.click(dialog.redeem_buttons["MV-ADA-1"])
    change = screen.ticket.change
    assert change is not None and change.priced.coupons["MV-ADA-1"].amount == 4
    assert dialog.status.text() == "Coupon Member voucher 4.00 redeemed"  # said there too
    assert dialog.redeem_buttons["MV-ADA-1"].text() == "On ticket"
    assert not dialog.redeem_buttons["MV-ADA-1"].isEnabled()


def test_member_lookup_with_an_unknown_phone(screen: Screen) -> None:
    """No member: the dialog says so."""
    dialog = screen.window.members.member_lookup
    screen.window.members.open_member_lookup()
    dialog.phone.setText("5550199")
    screen.click(dialog.find_button)
    assert dialog.status.text() == "No member with phone 5550199."


def test_only_the_coupon_field_takes_keyboard_focus(screen: Screen) -> None:
    """A scanner's keystrokes must always land in the coupon field: nothing else on the
    main screen accepts focus, so a tap anywhere leaves it there."""
    takers = [
        w
        for w in screen.window.findChildren(QWidget)
        if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert takers == [screen.window.counter.coupon_entry.field]
