"""The keys beside the numpad: the code field (coupons and item barcodes), the member's
wallet, and the shift's keys (Hold, Held tickets, Return, Day report)."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from pos_app.engine import Redeem
from pos_app.till.shift_commands import ParkTicket, Scan
from pos_app.till.till import TicketChange
from pos_app.ui.confirm_dialog import ConfirmDialog
from pos_app.ui.controllers.command_outcomes import CommandOutcome
from pos_app.ui.controllers.payloads import ParkedTickets, RedemptionWarning
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.coupon_entry import WALLET_NO_MEMBER, CouponEntry
from pos_app.ui.style import touch_button

CLEARS_THE_CODE = (Scan, Redeem)  # commands after which the code field is emptied
REDEMPTION_WARNING_TITLE = "This coupon raises the bill"
WARNING_WIDTH = 640


class CounterPanel(QWidget):
    """The code field with Redeem (a scanner's keyboard wedge types into it), the
    wallet button (naming the ticket's member), and Hold, Held tickets (with how many),
    Return and Day report. A coupon that would raise the bill asks first
    (``warning``: "Redeem anyway" or "Cancel").

    A code the till took empties the field; a refused one stays, selected, to be
    corrected or scanned over. Hold parks the ticket; the other keys open dialogs the
    window connects them to. Main thread only.
    """

    def __init__(self, controllers: TillControllers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ticket = controllers.ticket
        self.coupon_entry = CouponEntry()
        self.wallet_button = self.coupon_entry.member  # names the member once one is on
        self.hold = touch_button("Hold", name="hold")
        self.held = touch_button("Held tickets", name="held")
        self.returns = touch_button("Return", name="returns")
        self.day = touch_button("Day report", name="day_report")
        self.warning: ConfirmDialog | None = None  # the last "the bill goes up" question
        self._ticket = ticket
        side = QGridLayout(self)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        side.addWidget(self.coupon_entry, 0, 0, 3, 2)
        for i, button in enumerate((self.hold, self.held, self.returns, self.day)):
            side.addWidget(button, 3 + i // 2, i % 2)

        self.coupon_entry.redeem_requested.connect(ticket.scan)
        ticket.redemption_warning.connect(self._warn)
        self.hold.clicked.connect(lambda: ticket.do(ParkTicket()))
        ticket.succeeded.connect(self._succeeded)
        ticket.changed.connect(self._show_member)
        controllers.messages.refused.connect(self._refused)
        controllers.shift.parked_listed.connect(self._count_held)

    def _succeeded(self, outcome: CommandOutcome) -> None:
        if type(outcome.command) in CLEARS_THE_CODE:
            self.coupon_entry.field.clear()

    def _refused(self, _problem: Problem) -> None:
        field = self.coupon_entry.field
        if field.text():
            field.selectAll()  # kept to correct, replaced by the next scan

    def _warn(self, warning: RedemptionWarning) -> None:
        """A coupon that would raise the bill: the cashier reads what it does and redeems
        it anyway, or cancels and nothing changes (the code stays, to scan over)."""
        dialog = ConfirmDialog(REDEMPTION_WARNING_TITLE, warning.text, "Redeem anyway", self)
        dialog.setMinimumWidth(WARNING_WIDTH)  # the sentence in two lines at most
        dialog.confirmed.connect(lambda: self._ticket.redeem_anyway(warning.code))
        dialog.rejected.connect(self._keep_code)
        self.warning = dialog
        dialog.open()

    def _keep_code(self) -> None:
        field = self.coupon_entry.field
        field.setFocus()
        field.selectAll()

    def _show_member(self, change: TicketChange) -> None:
        name = change.member_name
        self.wallet_button.setText(f"Wallet: {name}" if name else WALLET_NO_MEMBER)

    def _count_held(self, parked: ParkedTickets) -> None:
        count = len(parked.tickets)
        self.held.setText(f"Held tickets ({count})" if count else "Held tickets")
