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
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import PricedTicket
from pos_app.till.names import Names
from pos_app.ui.style import TOUCH, repolish, touch_button

WALLET_NO_MEMBER = "Member's wallet"  # the member button's text while the ticket has none


class CouponEntry(QWidget):
    """The code field (coupons and item barcodes) with Redeem and the member's wallet.

    A barcode scanner in keyboard-wedge mode types the code and presses Enter: Enter
    (or Redeem) emits ``redeem_requested(code)``; the field empties once the till took
    the code (a refused code stays, selected, to be corrected or scanned over).
    ``member_requested`` (the ``member`` button, which names the ticket's member) opens
    their wallet, or member lookup when the ticket has none. The field keeps keyboard focus
    (buttons elsewhere take none). Main thread only.
    """

    redeem_requested = Signal(str)
    member_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Coupon or barcode")
        self.field.setObjectName("coupon_field")
        self.field.returnPressed.connect(self.submit)
        self.redeem = touch_button("Redeem", "primary")
        self.redeem.clicked.connect(self.submit)
        self.member = touch_button(WALLET_NO_MEMBER, name="wallet")
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

    def show_ticket(self, priced: PricedTicket, names: Names | None = None) -> None:
        names = names or Names()
        shown = (
            tuple((c, o.amount, names.coupon(c)) for c, o in priced.coupons.items()),
            tuple((d, a, names.discount(d)) for d, a in priced.discounts.items()),
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
            name = names.coupon(code)
            chip = _chip(f"{_short(name)}  -{fmt(outcome.amount)}  ✕")
            chip.setProperty("warn", "true" if outcome.amount <= 0 else "false")
            chip.setToolTip(f"Tap to remove the coupon {name}")
            chip.clicked.connect(lambda _=False, c=code: self.remove_coupon.emit(c))
            repolish(chip)
            self._row.insertWidget(position, chip)
            _fit(chip)
            chip.show()
            position += 1
            self.chips[f"coupon:{code}"] = chip
        for discount_id, amount in priced.discounts.items():
            label = names.discount(discount_id)
            chip = _chip(f"{_short(label)}  -{fmt(amount)}  ✕")
            chip.setToolTip(f"Tap to remove the {label.lower()}")
            chip.clicked.connect(lambda _=False, d=discount_id: self.remove_discount.emit(d))
            self._row.insertWidget(position, chip)
            _fit(chip)
            chip.show()
            position += 1
            self.chips[f"discount:{discount_id}"] = chip
        self._empty.setVisible(not self.chips)
        self.setVisible(bool(self.chips))

    def coupon_chip(self, code: str) -> QPushButton:
        return self.chips[f"coupon:{code}"]

    def discount_chip(self, discount_id: str) -> QPushButton:
        return self.chips[f"discount:{discount_id}"]


CHIP_NAME = 20  # characters of a name a chip shows; the tooltip has it whole


def _short(name: str) -> str:
    return name if len(name) <= CHIP_NAME else name[: CHIP_NAME - 1] + "…"


def _chip(text: str) -> QPushButton:
    """A chip as wide as its text (at least a finger's), never squeezed."""
    chip = touch_button(text, "chip")
    chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    chip.setFixedHeight(TOUCH)
    return chip


def _fit(chip: QPushButton) -> None:
    """Once in the window (its stylesheet's bold font), as wide as its text."""
    chip.ensurePolished()
    chip.setMinimumWidth(max(TOUCH, chip.fontMetrics().horizontalAdvance(chip.text()) + 30))
