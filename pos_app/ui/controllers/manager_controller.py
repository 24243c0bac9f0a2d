"""Manager mode's controller: who is signed in, PINs, what cashiers may do, the
execution order, the sync conflicts a manager follows up and the parked events a
manager sends again."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from pos_app.store.sync_store import ConflictReport
from pos_app.sync.parked import describe
from pos_app.till.back_office import Enrolled, connect_back_office
from pos_app.till.errors import TillCode
from pos_app.till.manager import CASHIER, Actor, CashierPermissions, ManagerSession
from pos_app.till.runtime import TillRuntime
from pos_app.ui.controllers.command_outcomes import CommandOutcome
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.controllers.payloads import (
    ManagerChange,
    ManagerNames,
    OpenConflicts,
    ParkedEvents,
)
from pos_app.ui.controllers.problems import Problem, problem_of
from pos_app.ui.execution_order import ExecutionOrder
from pos_app.ui.ops import OpRunner
from pos_app.ui.typed_signals import typed_signal

CONNECT_TIMEOUT = (4.0, 15.0)  # connect, read: the manager is waiting at the screen


@dataclass(frozen=True)
class _Startup:
    permissions: CashierPermissions
    managers: tuple[str, ...]
    conflicts: list[ConflictReport]


class ManagerController(OpsController):
    """Signs managers in and out (``actor`` is who the till acts for), sets PINs, and
    loads what manager mode shows; keeps ``permissions`` and ``managers``.

    Signals (every one emitted on the main thread, from an op's result or a call):

    - ``manager_changed`` (:class:`ManagerChange`): a manager signed in or out.
    - ``pin_refused`` (:class:`Problem`): a PIN refused, or a PIN not set.
    - ``managers_listed`` (:class:`ManagerNames`): the till's managers.
    - ``permissions_changed`` (:class:`CashierPermissions`): what cashiers may do, at the
      start and after a manager changed it.
    - ``execution_order_loaded`` (:class:`ExecutionOrder`): asked for, or after an
      auto-execute switch.
    - ``conflicts_loaded`` (:class:`OpenConflicts`): at the start, asked for, or after
      a follow-up.
    - ``parked_loaded`` (:class:`ParkedEvents`): asked for, or after one was sent again.
    - ``back_office_connected`` (:class:`Enrolled`): the till enrolled from manager mode.
    - ``back_office_refused`` (:class:`Problem`): it did not, and why in plain words.
    """

    manager_changed = typed_signal(ManagerChange)
    pin_refused = typed_signal(Problem)
    managers_listed = typed_signal(ManagerNames)
    permissions_changed = typed_signal(CashierPermissions)
    execution_order_loaded = typed_signal(ExecutionOrder)
    conflicts_loaded = typed_signal(OpenConflicts)
    parked_loaded = typed_signal(ParkedEvents)
    back_office_connected = typed_signal(Enrolled)
    back_office_refused = typed_signal(Problem)

    def __init__(self, runtime: TillRuntime, ops: OpRunner, messages: Messages) -> None:
        super().__init__(runtime, ops, messages)
        self._access = runtime.access
        self.actor: Actor = CASHIER
        self.permissions = CashierPermissions()
        self.managers: tuple[str, ...] = ()

    @property
    def signed_in(self) -> str | None:
        """The signed-in manager's name, or None."""
        return self.actor.manager.name if self.actor.manager is not None else None

    def require_signed_in(self) -> bool:
        """True while a manager is signed in; otherwise a refusal says so."""
        if self.signed_in is None:
            self.messages.report(
                Problem(TillCode.MANAGER_REQUIRED.value, "Enter manager mode first")
            )
        return self.signed_in is not None

    def start(self) -> None:
        """Load the cashier permissions, the managers and the open conflicts."""
        till, access, sync_store = self._runtime.till, self._access, self._runtime.sync_store

        def work() -> _Startup:
            return _Startup(
                permissions=till.permissions,
                managers=access.manager_names(),
                conflicts=sync_store.conflicts(open_only=True),
            )

        def done(startup: _Startup) -> None:
            self.permissions = startup.permissions
            self.managers = startup.managers
            self.permissions_changed.emit(startup.permissions)
            self.managers_listed.emit(ManagerNames(startup.managers))
            self.conflicts_loaded.emit(OpenConflicts(tuple(startup.conflicts)))

        self._run(work, done)

    def follow_command(self, outcome: CommandOutcome) -> None:
        """A command went through (``TicketController.succeeded``): take what changed
        for manager mode from it."""
        if outcome.permissions is not None:
            self.permissions = outcome.permissions
            self.permissions_changed.emit(outcome.permissions)
        if outcome.order is not None:
            self.execution_order_loaded.emit(outcome.order)
        if outcome.conflicts is not None:
            self.conflicts_loaded.emit(OpenConflicts(outcome.conflicts))

    # ------------------------------------------------------------ signing in and out

    def verify_pin(self, name: str, pin: str) -> None:
        """Enter manager mode as ``name``; ``manager_changed`` or ``pin_refused``."""
        access = self._access
        self._run(lambda: access.verify_pin(name, pin), self._signed_in, self._pin_refused)

    def _signed_in(self, session: ManagerSession) -> None:
        self.actor = Actor(manager=session)
        self.manager_changed.emit(ManagerChange(session.name))

    def _pin_refused(self, exc: BaseException) -> None:
        self.pin_refused.emit(problem_of(exc))

    def exit_manager_mode(self) -> None:
        if self.actor.manager is None:
            return
        self._access.end_session(self.actor.manager)
        self.actor = CASHIER
        self.manager_changed.emit(ManagerChange(None))

    def set_pin(self, name: str, pin: str) -> None:
        """Add a manager or change a PIN (by the signed-in manager; or the very first
        manager of the till, who is then signed in)."""
        access, by = self._access, self.actor.manager

        def work() -> tuple[str, ...]:
            access.set_pin(name, pin, by=by)
            return access.manager_names()

        def done(names: tuple[str, ...]) -> None:
            self._managers_listed(names)
            self.messages.say(f"PIN set for {name.strip()}")
            if self.signed_in is None:
                self.verify_pin(name.strip(), pin)

        self._run(work, done, self._pin_refused)

    def list_managers(self) -> None:
        self._run(self._access.manager_names, self._managers_listed)

    def _managers_listed(self, names: tuple[str, ...]) -> None:
        self.managers = names
        self.managers_listed.emit(ManagerNames(names))

    # ------------------------------------------------------------ what manager mode shows

    def load_execution_order(self) -> None:
        till = self._runtime.till
        self._run(lambda: ExecutionOrder.of(till), self.execution_order_loaded.emit)

    def load_conflicts(self) -> None:
        store = self._runtime.sync_store
        self._run(
            lambda: OpenConflicts(tuple(store.conflicts(open_only=True))),
            self.conflicts_loaded.emit,
        )

    def load_parked(self) -> None:
        store = self._runtime.sync_store
        self._run(
            lambda: ParkedEvents(tuple(describe(e) for e in store.parked_events())),
            self.parked_loaded.emit,
        )

    def send_again(self, idempotency_key: str) -> None:
        """Put a parked event back in the queue (a manager, in manager mode); the next
        sync sends it, and the list redraws."""
        if not self.require_signed_in():
            return
        store = self._runtime.sync_store

        def work() -> ParkedEvents:
            store.requeue_failed(idempotency_key)
            return ParkedEvents(tuple(describe(e) for e in store.parked_events()))

        def done(parked: ParkedEvents) -> None:
            self.parked_loaded.emit(parked)
            self.messages.say("The event is back in the queue; the next sync sends it")

        self._run(work, done)

    # ------------------------------------------------------------ the back office

    def connect_back_office(self, address: str, code: str) -> None:
        """Enroll the till with the back office at ``address`` with a one-time ``code``
        (a signed-in manager only): ``back_office_connected`` or ``back_office_refused``."""
        if self.actor.manager is None:
            self.back_office_refused.emit(
                Problem(
                    TillCode.MANAGER_REQUIRED.value, "Connecting to a back office needs a manager"
                )
            )
            return
        runtime = self._runtime

        def work() -> Enrolled:
            return connect_back_office(
                runtime.data_dir,
                runtime.sync_store,
                address,
                code,
                device_name=socket.gethostname(),
                timeout=CONNECT_TIMEOUT,
            )

        self._run(
            work,
            self.back_office_connected.emit,
            lambda exc: self.back_office_refused.emit(problem_of(exc)),
        )
