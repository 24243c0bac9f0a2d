"""The people at the till on screen: who may sign in and who is signed in (the roster),
a sign-in's news (the day's float still to count), and the drawer's cash moves."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.store.staff_records import SignedIn, StaffView
from pos_app.till.drawer import CashMoved
from pos_app.till.staff import SignInDone
from pos_app.till.staff_commands import SignOut
from pos_app.ui.controllers.command_outcomes import CommandOutcome
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.typed_signals import typed_signal


@dataclass(frozen=True)
class StaffRoster:
    """Who may sign in, who is signed in, the managers who may approve, and whether the
    till takes nothing until someone signs in."""

    people: tuple[StaffView, ...]
    current: SignedIn | None
    managers: tuple[str, ...]
    sign_in_required: bool


class StaffController(OpsController):
    """Signals (main thread): ``roster_loaded`` (:class:`StaffRoster`) after
    :meth:`load_roster` and after anyone signs in or out; ``signed_in``
    (:class:`SignInDone`) after a sign-in; ``cash_moved`` (:class:`CashMoved`) after the
    float or cash in / out was recorded (the drawer opens)."""

    roster_loaded = typed_signal(StaffRoster)
    signed_in = typed_signal(SignInDone)
    cash_moved = typed_signal(CashMoved)

    def load_roster(self) -> None:
        till = self._runtime.till

        def work() -> StaffRoster:
            desk = till.staff
            return StaffRoster(
                people=tuple(desk.everyone()),
                current=desk.current,
                managers=till.access.manager_names(),
                sign_in_required=desk.sign_in_required(),
            )

        self._run(work, self.roster_loaded.emit)

    def follow_command(self, outcome: CommandOutcome) -> None:
        """What a command did for the people and the drawer."""
        result = outcome.change.outcome
        if isinstance(result, SignInDone):
            self.signed_in.emit(result)
            self.load_roster()
        elif isinstance(result, CashMoved):
            self.cash_moved.emit(result)
        elif isinstance(outcome.command, SignOut):
            self.load_roster()
