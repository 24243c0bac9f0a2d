"""Members at the till: member lookup by phone, and the member's wallet (their coupons
to redeem, packs to sell with the order)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pos_app.engine import SellPack
from pos_app.till.shift_commands import AttachMember, DetachMember
from pos_app.till.till import TicketChange
from pos_app.ui.controllers.payloads import MembersFound, WalletLoaded
from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.member_lookup import MemberLookupDialog
from pos_app.ui.wallet_dialog import WalletDialog


class MemberDialogs(QObject):
    """The ``member_lookup`` and ``wallet`` dialogs (made once, kept, window-modal over
    ``window``), and what they ask of the controllers.

    :meth:`open_wallet` opens the ticket's member's wallet, or member lookup when the
    ticket has none; "Add to ticket" puts the member on and opens their wallet once the
    till agrees. Both follow the ticket while open and show refusals and notices in
    place; a closed sale closes the wallet. Main thread only.
    """

    def __init__(
        self, controllers: TillControllers, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ticket = ticket = controllers.ticket
        self._members = members = controllers.members
        self.member_lookup = MemberLookupDialog(window)
        self.wallet = WalletDialog(window)
        self._wallet_wanted = False

        lookup, wallet = self.member_lookup, self.wallet
        lookup.lookup_requested.connect(members.look_up_member)
        lookup.redeem_requested.connect(ticket.scan)
        lookup.attach_requested.connect(self._attach_member)
        wallet.redeem_requested.connect(ticket.scan)
        wallet.sell_requested.connect(lambda pack_id: ticket.do(SellPack(pack_id)))
        wallet.detach_requested.connect(lambda: ticket.do(DetachMember()))
        members.members_found.connect(self._members_found)
        members.wallet_loaded.connect(self._wallet_loaded)
        ticket.changed.connect(self._show_change)
        ticket.sale_closed.connect(lambda _sale: wallet.reject())
        controllers.messages.refused.connect(self._show_problem)
        controllers.messages.notice.connect(self._show_notice)

    def open_member_lookup(self) -> None:
        self.member_lookup.open()

    def open_wallet(self) -> None:
        """The ticket's member's wallet, or member lookup when the ticket has none."""
        change = self._ticket.change
        if change is None or change.member_name is None:
            self.open_member_lookup()
            return
        self._wallet_wanted = True
        self._members.load_wallet()

    def _attach_member(self, member_id: str) -> None:
        """The ticket is for this member: their wallet opens once the till agrees."""
        self.member_lookup.accept()
        self._wallet_wanted = True
        self._ticket.do(AttachMember(member_id))
        self._members.load_wallet()  # runs after it: the ops run one at a time, in order

    def _wallet_loaded(self, loaded: WalletLoaded) -> None:
        self.wallet.show_wallet(loaded.wallet)
        if self._wallet_wanted:
            self._wallet_wanted = False
            if loaded.wallet is not None:
                self.wallet.show_message("")
                self.wallet.open()

    def _members_found(self, found: MembersFound) -> None:
        change = self._ticket.change
        on_ticket = set(change.priced.coupons) if change is not None else set()
        self.member_lookup.show_members(found.cards, on_ticket)

    def _show_change(self, change: TicketChange) -> None:
        if self.member_lookup.isVisible():
            self.member_lookup.mark_on_ticket(set(change.priced.coupons))
        if self.wallet.isVisible():
            self._members.load_wallet()  # what is usable follows the ticket

    def _show_problem(self, problem: Problem) -> None:
        for dialog in (self.member_lookup, self.wallet):
            if dialog.isVisible():
                dialog.show_message(problem.message, error=True)

    def _show_notice(self, text: str) -> None:
        for dialog in (self.member_lookup, self.wallet):
            if dialog.isVisible():
                dialog.show_message(text)
