"""The till's cashier screens: ringing up, why this price, refusals, member lookup,
checkout and receipts, and the warning of a coupon that raises the bill."""

from __future__ import annotations

from pos_app.engine import AdjustPrice, ApplyDiscount, Present, Redeem, RemoveLine, TriggerPromotion
from pos_app.store.store_document import store_document_records
from pos_app.till.commands import ClearPayments, PayCash
from pos_app.till.shift_commands import AttachMember
from scripts.till_demo import GROUP_PURCHASE_FIVE, HALF_PRICE_BURGER
from scripts.till_shooter import Shooter


def shoot_cashier(s: Shooter) -> str:
    """The cashier's screens at 1920×1080 and 1024×768: a ticket with every kind of
    badge, why this price, a refusal, member lookup, a split checkout and its receipt;
    returns the number of the sale."""
    window, c = s.app.window, s.app.controllers.ticket

    # A ticket with every kind of badge.
    for sku in ("BURGER", "FRIES", "COLA", "LATTE", "COOKIE", "SALAD", "TEA", "LEMONADE"):
        s.tap(sku)
    window.ring_up.numpad.type_text("2")
    s.tap("CAKE")
    line_of = {line.sku: line.line_id for line in c.change.priced.lines} if c.change else {}
    s.do(lambda: c.do(Present(line_of["TEA"])))
    s.do(lambda: c.do(AdjustPrice(line_of["LEMONADE"], "2.50")))
    s.do(lambda: c.do(ApplyDiscount(None, percent="10", line_id=line_of["SALAD"])))
    s.do(lambda: c.do(Redeem("CV-5")))
    s.do(lambda: c.do(TriggerPromotion("DESSERT-10")))
    s.do(lambda: c.select(line_of["SALAD"]))
    s.shoot(window, "main-1920x1080")

    window.ring_up.open_why()
    s.app.window.ring_up.why.resize(760, 420)
    s.shoot(window.ring_up.why, "why-this-price")
    window.ring_up.why.accept()

    shoot_1024(s)

    # A refusal with the rule's message: a presented line, then a coupon for it.
    s.tap("BURGER")
    s.do(lambda: c.do_on_line(Present))
    s.do(lambda: c.do(Redeem("GP-BURGER")))
    window.resize(1024, 768)
    s.shoot(window, "main-1024x768-refusal")
    s.do(lambda: c.do_on_line(RemoveLine))

    window.members.open_member_lookup()
    window.members.member_lookup.resize(960, 620)
    window.members.member_lookup.numpad.type_text("0100001")
    window.members.member_lookup.find_member()
    s.settle()
    s.shoot(window.members.member_lookup, "member-lookup")
    window.members.member_lookup.accept()

    s.do(lambda: c.do(AttachMember("M-1001")))
    window.sale.open_checkout()
    window.sale.checkout.resize(960, 640)
    window.sale.checkout.numpad.type_text("20")
    s.do(window.sale.checkout.card.click)
    window.sale.checkout.numpad.type_text("50")
    s.do(window.sale.checkout.cash.click)
    s.shoot(window.sale.checkout, "checkout-split")
    s.do(window.sale.checkout.close_sale.click)
    window.sale.receipt_preview.resize(620, 1000)
    s.shoot(window.sale.receipt_preview, "receipt-preview")
    s.shoot(window.sale.receipt_preview, "receipt-taxes-and-names")
    sold = window.sale.receipt_preview.receipt
    window.sale.receipt_preview.accept()
    return sold.number if sold is not None else ""


def shoot_1024(s: Shooter) -> None:
    """At 1024×768: the totals once a payment is recorded, the Promotions dialog by
    name, and Find item with its finger-high keys."""
    window, c = s.app.window, s.app.controllers.ticket
    window.resize(1024, 768)
    s.do(lambda: c.do(PayCash("20.00")))
    s.shoot(window, "main-1024x768-paid")
    s.do(lambda: c.do(ClearPayments()))
    window.ring_up.open_promotions()
    s.settle()
    s.shoot(window.ring_up.promotions, "promotions")
    window.ring_up.promotions.accept()
    window.ring_up.item_search.start(c.book)
    window.ring_up.item_search.keyboard.type_text("co")
    s.shoot(window.ring_up.item_search, "find-item")
    window.ring_up.item_search.accept()
    window.resize(1920, 1080)


def shoot_redemption_warning(s: Shooter) -> None:
    """Last (the promotion it adds changes no earlier picture): a burger at half price,
    and a 5.00 group purchase scanned for it asks first, since the bill goes up (R7)."""
    window, c = s.app.window, s.app.controllers.ticket
    doc = {"promotions": [HALF_PRICE_BURGER], "coupons": [GROUP_PURCHASE_FIVE]}
    s.app.runtime.sync_store.apply_changes_page(store_document_records(doc), None)
    s.do(c.reload_configuration)
    window.resize(1024, 768)
    s.tap("BURGER")
    field = window.counter.coupon_entry.field
    field.setText("GP-BURGER-5")
    s.do(window.counter.coupon_entry.submit)
    dialog = window.counter.warning
    if dialog is None:
        raise RuntimeError("the coupon that raises the bill did not ask first")
    s.shoot_over(window, dialog, "redemption-warning-1024x768")
    dialog.reject()
