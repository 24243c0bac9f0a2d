"""The wallet of the member the ticket is for: their packs, each over the coupons it
issued with its validity and whether it can be redeemed on this ticket now (one tap:
Redeem), and the coupon packs the till sells them now (one tap: Sell)
(COUPON-PACK-RULES K12, K15)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.till.members import MemberCoupon, validity_text
from pos_app.till.pack_sales import PackOnSale
from pos_app.till.wallet import Wallet
from pos_app.ui.member_lookup import pack_heading
from pos_app.ui.style import repolish, touch_button

NO_MEMBER = "No member on this ticket: find the customer by phone first."


def wallet_coupon_caption(coupon: MemberCoupon) -> str:
    """A coupon's line: name, own code, validity, and why it cannot be redeemed now."""
    state = "usable now" if coupon.usable else coupon.reason
    return f"<b>{coupon.name}</b> · {coupon.code}<br>{validity_text(coupon)} · {state}"


def pack_offer_caption(pack: PackOnSale, money: str) -> str:
    """A pack for sale: name, price, what it issues, units left here, or why not now."""
    content = ", ".join(f"{n} × {name}" for name, n in pack.coupon_names or pack.coupons)
    left = "" if pack.units_left is None else f" · {pack.units_left} left at this till"
    why = f"<br>{pack.refusal}" if pack.refusal else ""
    return f"<b>{pack.name}</b> · {money}<br>{content}{left}{why}"


class WalletDialog(QDialog):
    """The ticket's member's wallet.

    Promises: ``redeem_requested(code)`` from a coupon's Redeem (on only for a coupon
    usable on the ticket now; off, its caption says why), ``sell_requested(pack_id)``
    from a pack's Sell (on only when the till may sell it now), ``detach_requested()``
    from "Not this member". :meth:`show_wallet` redraws it (None: no member). The
    widgets: ``redeem_buttons[code]``, ``coupon_captions[code]``,
    ``sell_buttons[pack_id]``, ``offer_captions[pack_id]``. Main thread only.
    """

    redeem_requested = Signal(str)
    sell_requested = Signal(str)
    detach_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Member's wallet")
        self.setModal(True)
        self.setMinimumSize(900, 620)
        self.title = QLabel(NO_MEMBER)
        self.title.setObjectName("total")
        self.status = QLabel("")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        self.redeem_buttons: dict[str, QPushButton] = {}
        self.coupon_captions: dict[str, QLabel] = {}
        self.sell_buttons: dict[str, QPushButton] = {}
        self.offer_captions: dict[str, QLabel] = {}
        self.wallet: Wallet | None = None
        self._coupons = QVBoxLayout()
        self._offers = QVBoxLayout()
        self.detach = touch_button("Not this member")
        self.detach.clicked.connect(self.detach_requested.emit)
        self.back = touch_button("Back to ticket", "primary")
        self.back.clicked.connect(self.accept)
        columns = QHBoxLayout()
        columns.addWidget(self._scroll(self._coupons, "Packs and coupons"), 3)
        columns.addWidget(self._scroll(self._offers, "Coupon packs for sale"), 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.detach)
        buttons.addWidget(self.back)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    def _scroll(self, inner_layout: QVBoxLayout, heading: str) -> QWidget:
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(QLabel(f"<b>{heading}</b>"))
        inner = QWidget()
        inner.setLayout(inner_layout)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        return box

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A refusal or notice from the till (a coupon redeemed, a pack refused, ...)."""
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def show_wallet(self, wallet: Wallet | None) -> None:
        """Draw ``wallet`` (None: the ticket is for no member)."""
        self.wallet = wallet
        for layout in (self._coupons, self._offers):
            _clear(layout)
        self.redeem_buttons, self.coupon_captions = {}, {}
        self.sell_buttons, self.offer_captions = {}, {}
        self.detach.setEnabled(wallet is not None)
        if wallet is None:
            self.title.setText(NO_MEMBER)
            return
        member = wallet.member
        self.title.setText(f"{member.name or member.member_id} · {member.phone}")
        position = 0
        if not member.coupons:
            self._coupons.insertWidget(position, QLabel("No coupons yet."))
        for pack in member.packs:
            heading = QLabel(pack_heading(pack))
            heading.setObjectName("advice")
            self._coupons.insertWidget(position, heading)
            position += 1
            for coupon in pack.coupons:
                self._coupons.insertWidget(position, self._coupon_row(coupon))
                position += 1
        if not wallet.packs_on_sale:
            self._offers.insertWidget(0, QLabel("No coupon pack is on sale at this till now."))
        for row, offer in enumerate(wallet.packs_on_sale):
            self._offers.insertWidget(row, self._offer_row(offer, wallet.price(offer)))

    def _coupon_row(self, coupon: MemberCoupon) -> QWidget:
        redeem = touch_button("Redeem", "primary")
        redeem.setEnabled(coupon.usable)
        redeem.setToolTip(coupon.reason)
        redeem.clicked.connect(lambda _=False, c=coupon.code: self.redeem_requested.emit(c))
        caption = QLabel(wallet_coupon_caption(coupon))
        self.redeem_buttons[coupon.code] = redeem
        self.coupon_captions[coupon.code] = caption
        return _card(caption, redeem)

    def _offer_row(self, pack: PackOnSale, money: str) -> QWidget:
        sell = touch_button("Sell", "pay")
        sell.setEnabled(pack.sellable)
        sell.setToolTip(pack.refusal)
        sell.clicked.connect(lambda _=False, p=pack.pack_id: self.sell_requested.emit(p))
        caption = QLabel(pack_offer_caption(pack, money))
        self.sell_buttons[pack.pack_id] = sell
        self.offer_captions[pack.pack_id] = caption
        return _card(caption, sell)


def _clear(layout: QVBoxLayout) -> None:
    """Every row but the final stretch goes."""
    while layout.count() > 1:
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def _card(caption: QLabel, action: QPushButton) -> QWidget:
    """One wallet row: a wrapping caption on the left, its touch button on the right."""
    row = QFrame()
    row.setObjectName("card")
    grid = QGridLayout(row)
    caption.setWordWrap(True)
    grid.addWidget(caption, 0, 0)
    grid.addWidget(action, 0, 1, Qt.AlignmentFlag.AlignRight)
    grid.setColumnStretch(0, 1)
    return row
