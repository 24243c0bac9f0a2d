"""The till's coupon-pack screens: a pack sold from the member's wallet, its receipt,
a coupon of it redeemed on the next ticket, and the pack at the return screen."""

from __future__ import annotations

from pos_app.ui.driver import wait_for
from scripts.till_demo import TEA_PACK_ID
from scripts.till_shooter import Shooter


def _find_ada(s: Shooter) -> None:
    """Member lookup by the end of Ada's number, then "Add to ticket": her wallet."""
    window = s.app.window
    window.members.open_member_lookup()
    window.members.member_lookup.numpad.clear()
    window.members.member_lookup.numpad.type_text("0100001")
    window.members.member_lookup.find_member()
    s.settle()
    s.do(window.members.member_lookup.attach_buttons["M-1001"].click)
    wait_for(window.members.wallet.isVisible, "the wallet")


def shoot_pack_sale(s: Shooter) -> None:
    """A coupon pack sold with an order from the member's wallet, its receipt with the
    coupons, and one coupon redeemed from the wallet on the next ticket, offline."""
    window = s.app.window
    window.resize(1280, 800)
    for sku in ("BURGER", "LATTE"):
        s.tap(sku)
    _find_ada(s)
    window.members.wallet.resize(1100, 720)
    s.shoot(window.members.wallet, "wallet-sell-pack")
    s.do(window.members.wallet.sell_buttons[TEA_PACK_ID].click)
    window.members.wallet.accept()
    s.shoot(window, "pack-on-ticket")
    window.sale.open_checkout()
    s.do(window.sale.checkout.cash.click)
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.resize(620, 1000)
    s.shoot(window.sale.receipt_preview, "pack-receipt")
    receipt = window.sale.receipt_preview.receipt
    window.sale.receipt_preview.accept()

    s.tap("LATTE")
    _find_ada(s)
    window.members.wallet.resize(1100, 720)
    s.shoot(window.members.wallet, "wallet-next-ticket")
    if receipt is not None and receipt.packs:
        s.do(window.members.wallet.redeem_buttons[receipt.packs[0].coupons[0].code].click)
    window.members.wallet.accept()
    s.shoot(window, "pack-coupon-redeemed")
    window.sale.open_checkout()
    s.do(window.sale.checkout.cash.click)
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.accept()

    if receipt is not None:  # the pack's ticket at the return screen: Refund pack
        window.shift.open_returns()
        window.shift.return_dialog.number.setText(receipt.number)
        s.do(window.shift.return_dialog.find_sale)
        window.shift.return_dialog.resize(820, 560)
        s.shoot(window.shift.return_dialog, "return-pack")
        window.shift.return_dialog.reject()
