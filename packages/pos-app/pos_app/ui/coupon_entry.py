"""Coupon codes in (a scanner's keyboard wedge or typing) and redeemed coupons and store
discounts shown as chips that take them off again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import PricedTicket
from pos_app.ui.style import TOUCH, repolish, touch_button


class CouponEntry(QWidget):
    """The coupon field with Redeem and Member buttons.

    A barcode scanner in keyboard-wedge mode types the code and presses Enter: Enter
    (or Redeem) emits ``redeem_requested(code)`` and empties the field for the next
    scan. ``member_requested`` opens member lookup. The field keeps keyboard focus
    (buttons elsewhere take none). Main thread only.
    """

    redeem_requested = Signal(str)
    member_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Coupon code")
        self.field.setObjectName("coupon_field")
        self.field.returnPressed.connect(self.submit)
        self.redeem = touch_button("Redeem", "primary")
        self.redeem.clicked.connect(self.submit)
        self.member = touch_button("Member lookup")
        self.member.clicked.connect(self.member_requested.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.field)
        layout.addWidget(self.redeem)
        layout.addWidget(self.member)

    def submit(self) -> None:
        code = self.field.text().strip()
        if not code:
            return
        self.field.clear()
        self.redeem_requested.emit(code)


class CouponStrip(QScrollArea):
    """The ticket's coupons (with their amounts; a coupon worth 0 in red) and store
    discounts as chips; tapping a chip emits ``remove_coupon(code)`` or
    ``remove_discount(id)``. Main thread only."""

    remove_coupon = Signal(str)
    remove_discount = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(TOUCH + 8)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inner = QWidget()
        self._row = QHBoxLayout(inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._empty = QLabel("No coupons or discounts")
        self._empty.setObjectName("muted")
        self._row.addWidget(self._empty)
        self._row.addStretch(1)
        self.setWidget(inner)
        self.chips: dict[str, QPushButton] = {}
        self._shown: object = None
        self.setVisible(False)

    def show_ticket(self, priced: PricedTicket) -> None:
        shown = (
            tuple((c, o.amount) for c, o in priced.coupons.items()),
            tuple(priced.discounts.items()),
        )
        if shown == self._shown:
            return
        self._shown = shown
        for chip in self.chips.values():
            self._row.removeWidget(chip)
            chip.deleteLater()
        self.chips = {}
        fmt = priced.currency.format
        position = 0
        for code, outcome in priced.coupons.items():
            chip = touch_button(f"{code}  -{fmt(outcome.amount)}  ✕", "chip")
            chip.setProperty("warn", "true" if outcome.amount <= 0 else "false")
            chip.setToolTip(f"Tap to remove coupon {code}")
            chip.clicked.connect(lambda _=False, c=code: self.remove_coupon.emit(c))
            repolish(chip)
            self._row.insertWidget(position, chip)
            chip.show()
            position += 1
            self.chips[f"coupon:{code}"] = chip
        for discount_id, amount in priced.discounts.items():
            chip = touch_button(f"Discount {discount_id}  -{fmt(amount)}  ✕", "chip")
            chip.setToolTip(f"Tap to remove discount {discount_id}")
            chip.clicked.connect(lambda _=False, d=discount_id: self.remove_discount.emit(d))
            self._row.insertWidget(position, chip)
            chip.show()
            position += 1
            self.chips[f"discount:{discount_id}"] = chip
        self._empty.setVisible(not self.chips)
        self.setVisible(bool(self.chips))

    def coupon_chip(self, code: str) -> QPushButton:
        return self.chips[f"coupon:{code}"]

    def discount_chip(self, discount_id: str) -> QPushButton:
        return self.chips[f"discount:{discount_id}"]
