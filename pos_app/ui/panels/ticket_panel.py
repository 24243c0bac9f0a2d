"""The right of the till's screen: the ticket, its totals and coupons, and Pay."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from pos_app.engine import RemoveCoupon, RemoveDiscount
from pos_app.till.shift_commands import DetachMember
from pos_app.till.till import TicketChange
from pos_app.ui.controllers.payloads import LineSelection
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.coupon_entry import CouponStrip
from pos_app.ui.panels.message_bar import MessageBar
from pos_app.ui.style import touch_button
from pos_app.ui.ticket_view import TicketView, TotalsPanel


class TicketPanel(QWidget):
    """The ticket's number and member, the message bar, the lines (at least 8 at
    1024×768), the totals, the coupon and discount chips, and Void ticket and Pay.

    Redraws from the ticket controller's signals; a tapped row selects its line, a
    tapped chip takes its coupon or discount off, the member badge takes the member off.
    ``pay`` and ``void_ticket`` open dialogs the window connects them to. Main thread only.
    """

    def __init__(self, controllers: TillControllers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self.ticket_header = QLabel("New ticket")
        self.ticket_header.setObjectName("ticket_header")
        self.member_badge = touch_button("", "chip", name="member_badge", min_width=120)
        self.member_badge.setVisible(False)
        self.message = MessageBar(controllers)
        self.ticket_view = TicketView()
        self.totals = TotalsPanel()
        self.coupon_strip = CouponStrip()
        self.pay_reason = QLabel("")
        self.pay_reason.setObjectName("pay_reason")
        self.pay_reason.setWordWrap(True)
        self.pay_reason.setVisible(False)
        self.void_ticket = touch_button("Void ticket", "danger", name="void_ticket")
        self.pay = touch_button("Pay", "pay", name="pay")
        self.pay.setMinimumHeight(56)
        self._lay_out()

        ticket.changed.connect(self.show_change)
        ticket.selection_changed.connect(self._select)
        ticket.scroll_to.connect(self.ticket_view.scroll_to_line)
        self.ticket_view.line_selected.connect(ticket.select)
        self.coupon_strip.remove_coupon.connect(lambda code: ticket.do(RemoveCoupon(code)))
        self.coupon_strip.remove_discount.connect(lambda did: ticket.do(RemoveDiscount(did)))
        self.member_badge.clicked.connect(lambda: ticket.do(DetachMember()))

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.ticket_header, 1)
        header.addWidget(self.member_badge)
        pay_row = QHBoxLayout()
        pay_row.addWidget(self.void_ticket, 1)
        pay_row.addWidget(self.pay, 3)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(header)
        column.addWidget(self.message)
        column.addWidget(self.ticket_view, 1)
        column.addWidget(self.totals)
        column.addWidget(self.coupon_strip)
        column.addWidget(self.pay_reason)
        column.addLayout(pay_row)
        for label in (self.ticket_header, self.message, self.pay_reason):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())

    def _select(self, selection: LineSelection) -> None:
        self.ticket_view.select_line(selection.line_id)

    def show_change(self, change: TicketChange) -> None:
        """Redraw the ticket, its totals, chips, header, member badge and Pay."""
        priced = change.priced
        names = self._ticket.names
        self.ticket_view.ticket_model.names = names
        self.ticket_view.show_ticket(priced, self._ticket.selected)
        self.totals.show_change(change)
        self.coupon_strip.show_ticket(priced, names)
        fmt = priced.currency.format
        self.ticket_header.setText(f"Ticket {change.number}" if change.number else "New ticket")
        self.member_badge.setText(f"{change.member_name}  ✕" if change.member_name else "")
        self.member_badge.setToolTip("Tap to take the member off the ticket")
        self.member_badge.setVisible(bool(change.member_name))
        self.pay.setText(f"Pay  {priced.currency.code} {fmt(change.total_due)}")
        zero = [code for code, c in priced.coupons.items() if c.amount <= 0]
        reason = ""
        if zero:
            name = names.coupon(zero[0])
            worth = fmt(priced.coupons[zero[0]].amount)
            reason = f"Coupon “{name}” is worth {worth}: remove it to pay"
        self.pay_reason.setText(reason)
        self.pay_reason.setVisible(bool(reason))
        self.pay.setEnabled(bool(priced.lines) and not zero)
        self.pay.setToolTip(reason)
