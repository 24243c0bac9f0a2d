"""The people's and the drawer's dialogs: signing in (and the day's float after the
first sign-in), cash in and out, and a manager's approval wherever the till refused a
cashier's action for want of one."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.till.drawer import CASH_OUT
from pos_app.till.staff import SignInDone
from pos_app.till.staff_commands import CashIn, CashOut, SetFloat, SignIn, SignOut
from pos_app.ui.approval_dialog import ApprovalDialog
from pos_app.ui.cash_move_dialog import CashMoveDialog
from pos_app.ui.controllers.payloads import PendingApproval
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.staff_controller import StaffRoster
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.numpad import AmountDialog
from pos_app.ui.sign_in_dialog import SignInDialog


class StaffDialogs(QObject):
    """The ``sign_in``, ``float_dialog``, ``cash_move`` and ``approval`` dialogs (made
    once, kept, window-modal over ``window``) and what they ask of the controllers.
    ``roster`` is the last :class:`StaffRoster` loaded. Main thread only."""

    def __init__(
        self, controllers: TillControllers, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self._staff = staff = controllers.staff
        self.roster = StaffRoster((), None, (), sign_in_required=False)
        self.pending: PendingApproval | None = None
        self.sign_in = SignInDialog(window)
        self.float_dialog = AmountDialog(
            "Opening float",
            "Count the cash in the drawer to start the day, and type it.",
            window,
            ok_text="Start the day",
        )
        self.cash_move = CashMoveDialog(window)
        self.approval = ApprovalDialog(window)

        staff.roster_loaded.connect(self._roster)
        staff.signed_in.connect(self._signed_in)
        self.sign_in.sign_in_requested.connect(lambda sid, pin: ticket.do(SignIn(sid, pin)))
        self.sign_in.sign_out_requested.connect(lambda: ticket.do(SignOut()))
        self.float_dialog.amount_entered.connect(lambda amount: ticket.do(SetFloat(amount)))
        self.cash_move.move_requested.connect(self._move)
        ticket.approval_needed.connect(self._approval_needed)
        ticket.approval_refused.connect(self.approval.show_problem)
        ticket.succeeded.connect(lambda _outcome: self._approved())
        self.approval.approved.connect(self._approve)
        controllers.messages.refused.connect(self._refused)
        controllers.manager.manager_changed.connect(lambda _change: staff.load_roster())

    def open_sign_in(self) -> None:
        self.sign_in.show_roster(self.roster)
        self.sign_in.start()

    def open_cash_move(self) -> None:
        self.cash_move.start(self._currency())

    def _currency(self) -> str:
        book = self._ticket.book
        return book.currency.code if book is not None else ""

    def _roster(self, roster: StaffRoster) -> None:
        self.roster = roster
        if self.sign_in.isVisible():
            self.sign_in.show_roster(roster)

    def _signed_in(self, done: SignInDone) -> None:
        self.sign_in.accept()
        if done.needs_float:
            currency = self._currency()
            self.float_dialog.prompt.setText(
                f"Count the cash in the drawer to start the day, and type it ({currency})."
                if currency
                else "Count the cash in the drawer to start the day, and type it."
            )
            self.float_dialog.numpad.clear()
            self.float_dialog.open()

    def _move(self, kind: str, amount: str, reason: str) -> None:
        self._ticket.do(CashOut(amount, reason) if kind == CASH_OUT else CashIn(amount, reason))

    def _approval_needed(self, pending: PendingApproval) -> None:
        self.pending = pending
        self.approval.ask(pending.message, self.roster.managers)

    def _approve(self, manager: str, pin: str) -> None:
        if self.pending is not None:
            self._ticket.do_approved(self.pending.command, manager, pin)

    def _approved(self) -> None:
        if self.pending is not None and self.approval.isVisible():
            self.pending = None
            self.approval.accept()

    def _refused(self, problem: Problem) -> None:
        if self.sign_in.isVisible():
            self.sign_in.show_problem(problem)
        elif self.approval.isVisible():
            self.approval.show_problem(problem)
