"""The members' controller: finding a member by phone, and the ticket's member's wallet."""

from __future__ import annotations

from pos_app.till.members import look_up_members
from pos_app.till.wallet import open_wallet
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.controllers.payloads import MembersFound, WalletLoaded
from pos_app.ui.typed_signals import typed_signal


class MembersController(OpsController):
    """Looks members up and opens wallets, inside ops.

    Signals (every one emitted on the main thread, from an op's result):

    - ``members_found`` (:class:`MembersFound`): the members a phone number found.
    - ``wallet_loaded`` (:class:`WalletLoaded`): the ticket's member's wallet (or none).
    """

    members_found = typed_signal(MembersFound)
    wallet_loaded = typed_signal(WalletLoaded)

    def look_up_member(self, phone: str) -> None:
        """Find members by phone; ``members_found`` carries the cards (maybe none)."""
        sessions, till = self._runtime.database, self._runtime.till
        self._run(
            lambda: MembersFound(look_up_members(sessions, till.book, phone, till.pricing_time())),
            self.members_found.emit,
        )

    def load_wallet(self) -> None:
        """The wallet of the ticket's member (``wallet_loaded``; None: no member)."""
        till, sessions = self._runtime.till, self._runtime.database
        self._run(lambda: WalletLoaded(open_wallet(till, sessions)), self.wallet_loaded.emit)
