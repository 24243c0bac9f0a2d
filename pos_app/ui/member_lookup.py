"""Member lookup by phone: the member's packs and, under each, the coupons it issued
(coupons not from a pack in a group of their own), each with Redeem."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.till.members import MemberCard, MemberCoupon, MemberPack, validity_text
from pos_app.ui.numpad import Numpad
from pos_app.ui.style import repolish, touch_button


def coupon_caption(coupon: MemberCoupon) -> str:
    """One line per coupon: its name, its own code, its validity and, if it cannot be
    redeemed, why not."""
    window = f" · {validity_text(coupon)}" if coupon.valid_from or coupon.valid_to else ""
    state = "" if coupon.usable else f" · {coupon.reason}"
    return f"{coupon.name} · {coupon.code}{window}{state}"


def pack_heading(pack: MemberPack) -> str:
    """A pack's heading: its name and how many of its coupons can be redeemed now."""
    return f"{pack.name}: {pack.usable} of {len(pack.coupons)} to redeem"


class MemberLookupDialog(QDialog):
    """Phone number in (numpad or keyboard), members out with their coupons.

    Promises: ``lookup_requested(phone)`` on Find or Enter; ``redeem_requested(code)``
    from a coupon's Redeem button (on only for a usable coupon not yet on the ticket);
    ``attach_requested(member_id)`` from a member's "Add to ticket" (their wallet);
    :meth:`show_members` draws the cards: per member, their packs, each a heading
    (``pack_headings[(member_id, pack_id)]``, pack_id None for the coupons not from a
    pack) over its coupons (``coupon_captions[code]``). Main thread only.
    """

    lookup_requested = Signal(str)
    redeem_requested = Signal(str)
    attach_requested = Signal(str)  # a member id: put the member on the ticket

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Member lookup")
        self.setModal(True)
        self.setMinimumSize(720, 560)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("Member's phone number")
        self.phone.returnPressed.connect(self.find_member)
        self.numpad = Numpad(allow_decimal=False, show_display=False)
        self.numpad.text_changed.connect(self.phone.setText)
        self.phone.textEdited.connect(self.numpad.display.setText)
        self.find_button = touch_button("Find member", "primary")
        self.find_button.clicked.connect(self.find_member)
        self.status = QLabel("Type the member's phone number and tap Find.")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        self.redeem_buttons: dict[str, QPushButton] = {}
        self.attach_buttons: dict[str, QPushButton] = {}
        self.pack_headings: dict[tuple[str, str | None], QLabel] = {}
        self.coupon_captions: dict[str, QLabel] = {}
        self._coupons: dict[str, MemberCoupon] = {}
        self._results = QWidget()
        self._results_layout = QVBoxLayout(self._results)
        self._results_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Cards wrap their text to the width there is: the results scroll up and down only.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._results)
        close = touch_button("Close")
        close.clicked.connect(self.accept)
        left = QVBoxLayout()
        left.addWidget(self.phone)
        left.addWidget(self.numpad)
        left.addWidget(self.find_button)
        left.addWidget(close)
        right = QVBoxLayout()
        right.addWidget(self.status)
        right.addWidget(scroll, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A refusal or notice from the till (a redeemed or refused coupon)."""
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def find_member(self) -> None:
        phone = self.phone.text().strip()
        if not phone:
            self.status.setText("Type a phone number first.")
            return
        self.status.setText(f"Looking up {phone}…")
        self.lookup_requested.emit(phone)

    def mark_on_ticket(self, on_ticket: Collection[str]) -> None:
        """Follow the ticket: a coupon now on it cannot be redeemed again."""
        for code, button in self.redeem_buttons.items():
            coupon = self._coupons.get(code)
            usable = coupon is not None and coupon.usable
            button.setText("On ticket" if code in on_ticket else "Redeem")
            button.setEnabled(usable and code not in on_ticket)

    def show_members(self, cards: tuple[MemberCard, ...], on_ticket: Collection[str]) -> None:
        """Draw ``cards``; coupons already on the ticket show as redeemed."""
        while self._results_layout.count() > 1:
            item = self._results_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.redeem_buttons = {}
        self.attach_buttons = {}
        self.pack_headings = {}
        self.coupon_captions = {}
        self._coupons = {c.code: c for card in cards for c in card.coupons}
        if not cards:
            self.show_message(f"No member with phone {self.phone.text().strip()}.")
            return
        self.show_message(f"{len(cards)} member{'s' if len(cards) > 1 else ''} found.")
        for position, card in enumerate(cards):
            frame = self._card(card, on_ticket)
            self._results_layout.insertWidget(position, frame)
            frame.show()

    def _card(self, card: MemberCard, on_ticket: Collection[str]) -> QFrame:
        frame = QFrame()
        frame.setObjectName("card")
        layout = QVBoxLayout(frame)
        title = QLabel(f"<b>{card.name or 'Member'}</b>  ·  {card.phone}")
        title.setWordWrap(True)
        title.setMinimumWidth(1)
        attach = touch_button("Add to ticket", "primary", min_width=150)
        attach.clicked.connect(lambda _=False, m=card.member_id: self.attach_requested.emit(m))
        self.attach_buttons[card.member_id] = attach
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(attach)
        layout.addLayout(top)
        if not card.coupons:
            layout.addWidget(QLabel("No coupons."))
        for pack in card.packs:
            heading = QLabel(pack_heading(pack))
            heading.setObjectName("advice")
            heading.setWordWrap(True)
            heading.setMinimumWidth(1)
            layout.addWidget(heading)
            self.pack_headings[(card.member_id, pack.pack_id)] = heading
            grid = QGridLayout()
            grid.setContentsMargins(16, 0, 0, 0)  # a pack's coupons sit under its name
            for row, coupon in enumerate(pack.coupons):
                caption = QLabel(coupon_caption(coupon))
                caption.setWordWrap(True)
                caption.setMinimumWidth(1)
                redeem = touch_button("Redeem", "primary")
                already = coupon.code in on_ticket
                redeem.setEnabled(coupon.usable and not already)
                if already:
                    redeem.setText("On ticket")
                redeem.setToolTip(coupon.reason)
                redeem.clicked.connect(lambda _=False, c=coupon.code: self.redeem_requested.emit(c))
                grid.addWidget(caption, row, 0)
                grid.addWidget(redeem, row, 1, Qt.AlignmentFlag.AlignRight)
                self.redeem_buttons[coupon.code] = redeem
                self.coupon_captions[coupon.code] = caption
            grid.setColumnStretch(0, 1)
            layout.addLayout(grid)
        return frame
