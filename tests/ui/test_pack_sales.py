"""Coupon packs on the touchscreen, offline (COUPON-PACK-RULES K12-K15): a cashier finds
the member, sells a pack from their wallet with the order, hands over the receipt with
the coupons, and redeems one from the wallet with one tap on the next ticket; a refusal
says which check failed; a pack sale in conflict is refunded from manager mode."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.protocol.events import EventType
from pos_app.store.models.packs import PackRefund
from pos_app.store.sync_store import ConflictReport
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import RefundPackSale, ResolveConflict
from pos_app.till.shift_commands import AttachMember
from pos_app.ui.conflicts_view import conflict_summary, follow_up_command
from tests.helpers.permissions import MANAGER, PIN
from tests.helpers.till_packs import TEA_PACK_ID, pack_data, stock_till
from tests.ui.conftest import Screen

ADA = "M-1001"


def stock(screen: Screen, *packs: dict[str, Any], granted: dict[str, int] | None = None) -> None:
    """The packs and supplies a sync would bring, then the screen re-reads them."""
    stock_till(screen.app.runtime, *packs, granted=granted)
    screen.do(screen.ticket.reload_configuration)


def find_ada_for_this_ticket(screen: Screen) -> None:
    """Member lookup: type the end of Ada's number, Find, "Add to ticket"."""
    screen.click(screen.window.counter.coupon_entry.member)
    lookup = screen.window.members.member_lookup
    for digit in "C0100001":  # C: the number typed for the customer before goes
        screen.qtbot.mouseClick(lookup.numpad.keys[digit], Qt.MouseButton.LeftButton)
    screen.click(lookup.find_button)
    screen.click(lookup.attach_buttons[ADA])
    assert screen.window.members.wallet.isVisible()


def pay_cash_and_close(screen: Screen) -> None:
    window = screen.window
    screen.click(window.ticket.pay)
    screen.click(window.sale.checkout.cash)
    screen.click(window.sale.checkout.close_sale)


def test_sell_a_pack_hand_over_its_coupons_and_redeem_one_next_offline(screen: Screen) -> None:
    """K12, K15: offline, from the touchscreen: a burger and the tea pack for Ada, sold from
    her wallet; the receipt lists the pack's coupons with codes and validity; on the next
    ticket her wallet shows them usable and one tap redeems one."""
    stock(screen)
    window, wallet = screen.window, screen.window.members.wallet
    screen.tap_product("BURGER")
    find_ada_for_this_ticket(screen)
    assert wallet.title.text().startswith("Ada Lovelace")
    assert window.counter.wallet_button.text() == "Wallet: Ada Lovelace"
    offer = wallet.offer_captions[TEA_PACK_ID].text()
    assert "Tea lover's pack" in offer and "USD 10.00" in offer
    assert "2 × Member voucher 4.00" in offer  # coupons by name, not code
    screen.click(wallet.sell_buttons[TEA_PACK_ID])
    change = screen.ticket.change
    assert change is not None and change.priced.total == 22  # 12.00 + the 10.00 pack
    (pack_line,) = change.priced.pack_lines
    assert window.ticket.ticket_view.ticket_model.row_of(pack_line.line_id) == 1
    assert window.ticket.message.text().startswith("Tea lover's pack added")
    screen.click(wallet.back)

    pay_cash_and_close(screen)
    receipt = window.sale.receipt_preview.text
    assert "YOUR COUPONS" in receipt and "Tea lover's pack for Ada Lovelace" in receipt
    sale = window.sale.receipt_preview.receipt
    assert sale is not None
    codes = [c.code for c in sale.packs[0].coupons]
    assert len(codes) == 2 and all(f"Code {code}" in receipt for code in codes)
    assert "From 2026-11-21 12:00" in receipt and "To   2026-12-21 11:59" in receipt
    assert "hand over the receipt" in window.ticket.message.text()
    window.sale.receipt_preview.accept()
    assert window.counter.wallet_button.text() == "Member's wallet"  # the new ticket has no member

    screen.tap_product("BURGER")
    find_ada_for_this_ticket(screen)
    assert all(wallet.redeem_buttons[code].isEnabled() for code in codes)
    screen.click(wallet.redeem_buttons[codes[0]])
    change = screen.ticket.change
    assert change is not None and change.priced.coupons[codes[0]].amount == 4
    assert not wallet.redeem_buttons[codes[0]].isEnabled()
    assert "on this ticket" in wallet.coupon_captions[codes[0]].text()
    screen.click(wallet.back)
    pay_cash_and_close(screen)
    events = screen.app.runtime.sync_store.pending_events(limit=10)
    assert [e["type"] for e in events] == ["ticket.closed", "pack.sold", "ticket.closed"]


def test_a_refused_pack_says_why_in_the_wallet(screen: Screen) -> None:
    """K13: with its quota spent offline, the Sell button is off and the wallet says why."""
    stock(screen, pack_data(inventory=10), granted={TEA_PACK_ID: 0})
    find_ada_for_this_ticket(screen)
    wallet = screen.window.members.wallet
    assert not wallet.sell_buttons[TEA_PACK_ID].isEnabled()
    assert "sold out at this till while it is offline" in wallet.offer_captions[TEA_PACK_ID].text()
    assert "0 left at this till" in wallet.offer_captions[TEA_PACK_ID].text()


def test_not_this_member_takes_the_member_off_the_ticket(screen: Screen) -> None:
    """K12: the wallet's "Not this member" makes the ticket anonymous again."""
    stock(screen)
    find_ada_for_this_ticket(screen)
    screen.click(screen.window.members.wallet.detach)
    assert screen.window.counter.wallet_button.text() == "Member's wallet"
    screen.do(lambda: screen.ticket.do(AttachMember(ADA)))


def test_refunding_a_pack_conflict_is_a_recorded_reversal(screen: Screen) -> None:
    """K14: for a pack sale in conflict, "Refund the pack" is RefundPackSale; the conflict
    card names the pack, the member, the price and the codes."""
    conflict = ConflictReport(
        "key-1",
        EventType.PACK_SOLD,
        "PACK_LIMIT_EXCEEDED",
        '{"pack_name": "Tea lover\'s pack", "member_name": "Ada Lovelace", "price": "10.00",'
        ' "currency": "USD", "local_date": "2026-11-21", "coupons": [{"code": "PT2345"}]}',
        screen.app.runtime.clock(),
        None,
        None,
    )
    assert conflict_summary(conflict) == (
        "Coupon pack Tea lover's pack sold to Ada Lovelace for USD 10.00 on 2026-11-21"
        " · coupons PT2345"
    )
    assert follow_up_command("key-1", "refunded", "cash back", [conflict]) == RefundPackSale(
        "key-1", "cash", "cash back"
    )
    assert follow_up_command("key-1", "accepted", "", [conflict]) == ResolveConflict(
        "key-1", "accepted", ""
    )


def test_the_return_screen_refunds_a_pack_whole_with_a_manager(screen: Screen) -> None:
    """A ticket with a burger and the tea pack, found for a return: the burger comes
    back by lines; the pack is listed by name and price with a Refund pack button, which
    needs a manager (K14); the lines' refund is unchanged."""
    stock(screen)
    window = screen.window
    screen.tap_product("BURGER")
    find_ada_for_this_ticket(screen)
    screen.click(window.members.wallet.sell_buttons[TEA_PACK_ID])
    screen.click(window.members.wallet.back)
    pay_cash_and_close(screen)
    receipt = window.sale.receipt_preview.receipt
    assert receipt is not None
    window.sale.receipt_preview.accept()

    screen.click(window.counter.returns)
    dialog = window.shift.return_dialog
    screen.qtbot.keyClicks(dialog.number, receipt.number)
    screen.click(dialog.find_button)
    assert list(dialog.qty_labels) == ["L1"]
    (note,) = dialog.pack_notes
    assert note.isVisible()
    assert note.text() == (
        "<b>Tea lover's pack</b><br>sold for 10.00: a coupon pack is refunded whole by a"
        " manager (Refund pack)"
    )
    (refund_pack,) = dialog.pack_buttons.values()
    screen.click(refund_pack)
    screen.qtbot.waitUntil(lambda: "manager mode" in dialog.status.text())
    assert dialog.isVisible()
    screen.do(lambda: screen.manager.verify_pin(MANAGER, PIN))
    screen.click(refund_pack)
    screen.qtbot.waitUntil(lambda: not dialog.isVisible())
    with UnitOfWork(screen.app.runtime.database.sessions) as uow:
        (refund,) = uow.session.scalars(select(PackRefund)).all()
        assert (refund.manager, refund.amount, refund.conflict_key) == (
            MANAGER,
            Decimal("10.00"),
            "",
        )
    pending = [e["type"] for e in screen.app.runtime.sync_store.pending_events()]
    assert pending[-1] == EventType.PACK_REFUNDED
    screen.click(window.counter.returns)
    screen.qtbot.keyClicks(dialog.number, receipt.number)
    screen.click(dialog.find_button)
    assert dialog.pack_buttons == {}
    assert dialog.pack_notes[0].text().endswith("sold for 10.00: refunded")
    screen.click(dialog.all_button)
    assert dialog.refund.text() == "Refund 12.00 by cash"


def test_the_wallet_counts_the_units_left_through_a_sale(screen: Screen) -> None:
    """K13: 10 units granted: "10 left"; the pack on the ticket takes one ("9 left", it
    used to keep saying 10, and 11 with an online reservation); the sale closed, still
    9, and 9 on the next ticket."""
    stock(screen, pack_data(inventory=10), granted={TEA_PACK_ID: 10})
    wallet = screen.window.members.wallet
    screen.tap_product("BURGER")
    find_ada_for_this_ticket(screen)
    assert "10 left at this till" in wallet.offer_captions[TEA_PACK_ID].text()
    screen.click(wallet.sell_buttons[TEA_PACK_ID])
    assert "9 left at this till" in wallet.offer_captions[TEA_PACK_ID].text()
    screen.click(wallet.back)
    pay_cash_and_close(screen)
    screen.window.sale.receipt_preview.accept()
    screen.tap_product("BURGER")
    find_ada_for_this_ticket(screen)
    assert "9 left at this till" in wallet.offer_captions[TEA_PACK_ID].text()
