"""The screens' one door to the till: every cashier and manager action as a background
op, every result as a signal the screens redraw from.

Screens never call the :class:`~pos_app.till.till.Till` themselves. They build a command
(the engine's ticket commands, :mod:`pos_app.till.commands`) and hand it to
:meth:`TillController.do`, which returns at once; the till handles it on the op runner
(one op at a time, because the till is not thread-safe) for the cashier or the signed-in
manager; the outcome comes back on the main thread as a signal: ``changed`` with the
till's :class:`~pos_app.till.till.TicketChange`, ``refused`` with the rule's code and
message, and so on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from pos_app.engine import AddItem, Close, PriceBook, PricedLine, Refusal
from pos_app.printing import PrinterConfig, PrinterError, Receipt, StoreHeader, print_rows
from pos_app.printing import kick_drawer as kick_printer_drawer
from pos_app.printing import print_receipt as print_on_printer
from pos_app.store.sync_store import ConflictReport
from pos_app.till.clock import aware
from pos_app.till.commands import (
    OverrideAutoExecute,
    ResolveConflict,
    SetPermission,
    TillCommand,
    VoidTicket,
)
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import CASHIER, Actor, CashierPermissions, ManagerSession
from pos_app.till.members import MemberCard, look_up_members
from pos_app.till.names import Names, names_for
from pos_app.till.receipts import refund_receipt, sale_receipt, store_header, till_label
from pos_app.till.refunds import SaleForReturn
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import CloseShift, ParkTicket, RecallTicket, RefundSale, Scan
from pos_app.till.shift_desk import ParkedSummary, RefundDone
from pos_app.till.shift_report import X_REPORT, ShiftReport
from pos_app.till.ticket_diff import TicketNotice, changed_line, what_changed
from pos_app.till.till import TicketChange
from pos_app.till.wallet import open_wallet
from pos_app.ui.display_settings import (
    DisplaySettings,
    DisplaySettingsError,
    load_display_settings,
    save_display_settings,
)
from pos_app.ui.execution_order import ExecutionOrder
from pos_app.ui.line_actions import ActionStates, action_states
from pos_app.ui.notices import notice_for
from pos_app.ui.ops import OpRunner
from pos_app.ui.printer_settings import (
    PrinterSettingsError,
    load_printer_config,
    save_printer_config,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

INTERNAL = "INTERNAL"
ACTIONS_DELAY_MS = 30
NO_PRINTER = "NO_PRINTER"
NO_LINE = "NO_LINE"


@dataclass(frozen=True)
class Problem:
    """Something the person at the till must read: a stable code and a message."""

    code: str
    message: str


def problem_of(exc: BaseException) -> Problem:
    """The cashier-facing form of an op's exception; anything unexpected is logged."""
    if isinstance(exc, Refusal | TillRefusal):
        return Problem(exc.code.value, exc.message)
    if isinstance(exc, PrinterError):
        return Problem(exc.code, str(exc))
    if isinstance(exc, PrinterSettingsError):
        return Problem("PRINTER_SETTINGS", str(exc))
    log.error("unexpected error in a till op", exc_info=(type(exc), exc, exc.__traceback__))
    return Problem(INTERNAL, f"Something went wrong ({type(exc).__name__}: {exc})")


@dataclass(frozen=True)
class ClosedSale:
    """A sale just closed: what was sold (``change``), its receipt, and the new ticket."""

    change: TicketChange
    receipt: Receipt
    fresh: TicketChange


@dataclass(frozen=True)
class ReturnDone:
    """A return just made: what it gave back and its slip."""

    done: RefundDone
    receipt: Receipt


@dataclass(frozen=True)
class _Outcome:
    """What a command did, worked out on the op thread: the change, and what else the
    screens need after this kind of command."""

    change: TicketChange
    sale: ClosedSale | None = None
    book: PriceBook | None = None
    order: ExecutionOrder | None = None
    conflicts: list[ConflictReport] | None = None
    names: Names | None = None
    notices: tuple[TicketNotice, ...] = ()
    scroll_to: str | None = None
    returned: ReturnDone | None = None
    report: ShiftReport | None = None


# Commands after which the screen shows another ticket: nothing to compare with.
_SWITCHES_TICKET = (Close, ParkTicket, RecallTicket, CloseShift)


@dataclass(frozen=True)
class _Startup:
    change: TicketChange
    book: PriceBook
    permissions: CashierPermissions
    store: StoreHeader
    managers: tuple[str, ...]
    conflicts: list[ConflictReport]


class TillController(QObject):
    """Turns screen requests into till ops and their results into signals.

    Thread: lives on the main thread; its methods return at once and must be called
    from the main thread; its signals are emitted there. The till, the manager access
    and the database are used only inside ops (the ``ops`` runner's thread).
    """

    changed = Signal(object)  # TicketChange
    refused = Signal(object)  # Problem
    notice = Signal(str)
    actions_changed = Signal(object)  # ActionStates, gated by permissions
    book_changed = Signal(object)  # PriceBook
    selection_changed = Signal(object)  # str | None
    sale_closed = Signal(object)  # ClosedSale
    printed = Signal(str)
    print_failed = Signal(object)  # Problem
    manager_changed = Signal(object)  # str | None
    permissions_changed = Signal(object)  # CashierPermissions
    managers_listed = Signal(object)  # tuple[str, ...]
    pin_refused = Signal(object)  # Problem
    members_found = Signal(object)  # tuple[MemberCard, ...]
    wallet_loaded = Signal(object)  # Wallet | None (the ticket is for no member)
    conflicts_loaded = Signal(object)  # list[ConflictReport]
    execution_order_loaded = Signal(object)  # ExecutionOrder
    printer_changed = Signal(object)  # PrinterConfig | None
    succeeded = Signal(object)  # the command the till carried out
    ticket_notices = Signal(object)  # tuple[TicketNotice, ...]: what a recalculation changed
    scroll_to = Signal(str)  # the line to bring into view
    parked_listed = Signal(object)  # list[ParkedSummary]
    returned = Signal(object)  # ReturnDone
    report_ready = Signal(object)  # ShiftReport
    sale_found = Signal(object)  # SaleForReturn
    kiosk_changed = Signal(bool)

    def __init__(
        self,
        runtime: TillRuntime,
        ops: OpRunner,
        print_ops: OpRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._till = runtime.till
        self._access = runtime.access
        self.ops = ops
        self.print_ops = print_ops
        self.change: TicketChange | None = None
        self.book: PriceBook | None = None
        self.selected: str | None = None
        self.actor: Actor = CASHIER
        self.permissions = CashierPermissions()
        self.store = StoreHeader("")
        self.managers: tuple[str, ...] = ()
        self.last_receipt: Receipt | None = None
        self.actions = ActionStates()
        self.names = Names()
        self._actions_dirty = False
        self.printer: PrinterConfig | None = None
        self.printer_problem: str = ""
        try:
            self.printer = load_printer_config(runtime.data_dir)
        except PrinterSettingsError as exc:
            self.printer_problem = str(exc)
        ops.when_drained(self._refresh_actions_if_dirty)

    @property
    def data_dir(self) -> Path:
        return self._runtime.data_dir

    @property
    def manager(self) -> str | None:
        """The signed-in manager's name, or None."""
        return self.actor.manager.name if self.actor.manager is not None else None

    # ------------------------------------------------------------ plumbing

    def _run(
        self,
        work: Callable[[], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.ops.run(work, success=success, failure=failure or self._refuse)

    def _refuse(self, exc: BaseException) -> None:
        self.refused.emit(problem_of(exc))

    def _problem(self, code: str, message: str) -> None:
        self.refused.emit(Problem(code, message))

    def _apply(self, change: TicketChange) -> None:
        self.change = change
        if self.selected is not None and change.priced.line(self.selected) is None:
            self.selected = None
            self.selection_changed.emit(None)
        self._actions_dirty = True
        self.changed.emit(change)

    def _refresh_actions_if_dirty(self) -> None:
        """Ask the engine about the buttons once the queue is drained, a moment later:
        the ticket repaints first (the engine's trial runs would compete with the paint
        for the GIL), and a burst of taps costs one refresh."""
        if not self._actions_dirty:
            return
        self._actions_dirty = False
        till, line_id, actor = self._till, self.selected, self.actor
        self.ops.run_after(
            ACTIONS_DELAY_MS,
            lambda: action_states(till, line_id, actor),
            success=self._set_actions,
            failure=self._refuse,
        )

    def _set_actions(self, states: ActionStates) -> None:
        if states.line_id != self.selected and self.selected is not None:
            self._actions_dirty = True  # the selection moved meanwhile: ask again
        self.actions = states
        self.actions_changed.emit(states)

    def _actions_again(self) -> None:
        """Who may do what changed (a manager signed in or out, a permission)."""
        self._actions_dirty = True
        if not self.ops.busy:
            self._refresh_actions_if_dirty()

    def selected_line(self) -> PricedLine | None:
        if self.change is None or self.selected is None:
            return None
        return self.change.priced.line(self.selected)

    def _require_manager(self) -> str | None:
        if self.manager is None:
            self._problem(TillCode.MANAGER_REQUIRED.value, "Enter manager mode first")
        return self.manager

    # ------------------------------------------------------------ the one door

    def do(self, command: TillCommand) -> None:
        """Have the till carry out ``command`` for the cashier (or the signed-in manager):
        ``changed`` and a notice on success, ``refused`` with the reason otherwise. A new
        line is selected; a closed sale comes with its receipt (``sale_closed``)."""
        till, actor, clock, store = self._till, self.actor, self._runtime.clock, self.store
        sync_store, sessions = self._runtime.sync_store, self._runtime.database

        def work() -> _Outcome:
            before = till.priced
            change = till.handle(command, actor)
            names = names_for(till.book, till.state)
            if isinstance(command, Close):
                receipt = sale_receipt(
                    change,
                    store=store,
                    device_id=till.configuration.device_id or "",
                    closed_at=aware(clock()),
                    book=till.book,
                    till=till_label(sessions),
                )
                fresh = till.current()
                return _Outcome(fresh, sale=ClosedSale(change, receipt, fresh), names=names)
            if isinstance(command, RefundSale) and isinstance(change.outcome, RefundDone):
                done = change.outcome
                slip = refund_receipt(sessions, done.plan, done.number, aware(clock()))
                return _Outcome(change, names=names, returned=ReturnDone(done, slip))
            if isinstance(command, CloseShift) and isinstance(change.outcome, ShiftReport):
                return _Outcome(change, names=names, report=change.outcome)
            if isinstance(command, _SWITCHES_TICKET):
                return _Outcome(change, names=names)
            if not isinstance(command, OverrideAutoExecute | ResolveConflict):
                return _Outcome(
                    change,
                    names=names,
                    notices=tuple(what_changed(before, change.priced, names, command)),
                    scroll_to=changed_line(before, change.priced),
                )
            if isinstance(command, OverrideAutoExecute):
                return _Outcome(change, book=till.book, order=ExecutionOrder.of(till))
            if isinstance(command, ResolveConflict):
                return _Outcome(change, conflicts=sync_store.conflicts(open_only=True))
            return _Outcome(change)

        self._run(work, lambda outcome: self._done(command, outcome))

    def do_on_line(self, make: Callable[[str], TillCommand]) -> None:
        """``do`` the command ``make`` builds for the selected line (none: say so)."""
        if self.selected is None or self.selected_line() is None:
            self._problem(NO_LINE, "Select a line on the ticket first")
            return
        self.do(make(self.selected))

    def _done(self, command: TillCommand, outcome: _Outcome) -> None:
        change = outcome.change
        if outcome.names is not None:
            self.names = outcome.names
        self.succeeded.emit(command)
        if outcome.returned is not None:
            self.last_receipt = outcome.returned.receipt
            self.returned.emit(outcome.returned)
        if outcome.report is not None:
            self.report_ready.emit(outcome.report)
        if outcome.sale is not None:
            self.last_receipt = outcome.sale.receipt
            self.selected = None
            self._apply(outcome.sale.fresh)
            self.selection_changed.emit(None)
            self.sale_closed.emit(outcome.sale)
            if self.printer is not None:
                self.print_receipt(outcome.sale.receipt)
            return
        if isinstance(command, VoidTicket | ParkTicket | RecallTicket):
            self.selected = None
        if isinstance(command, AddItem | Scan) and change.line_id is not None:
            self.selected = change.line_id
        if outcome.book is not None:
            self.book = outcome.book
            self.book_changed.emit(outcome.book)
        self._apply(change)
        if isinstance(command, AddItem | Scan):
            self.selection_changed.emit(self.selected)
        if outcome.order is not None:
            self.execution_order_loaded.emit(outcome.order)
        if outcome.conflicts is not None:
            self.conflicts_loaded.emit(outcome.conflicts)
        if isinstance(command, SetPermission):
            self.permissions = self._till.permissions
            self.permissions_changed.emit(self.permissions)
            self._actions_again()
        text = notice_for(command, change, self.book, self.names)
        if text:
            self.notice.emit(text)
        if outcome.notices:
            self.ticket_notices.emit(outcome.notices)
        line = next((n.line_id for n in outcome.notices if n.line_id), outcome.scroll_to)
        if line is not None:
            self.scroll_to.emit(line)

    # ------------------------------------------------------------ start

    def start(self) -> None:
        """Load the open ticket, the price book, permissions and the store header."""
        till, access, sessions = self._till, self._access, self._runtime.database
        sync_store = self._runtime.sync_store

        def work() -> _Startup:
            return _Startup(
                change=till.current(),
                book=till.book,
                permissions=till.permissions,
                store=store_header(sessions),
                managers=access.manager_names(),
                conflicts=sync_store.conflicts(open_only=True),
            )

        def done(startup: _Startup) -> None:
            self.book = startup.book
            self.permissions = startup.permissions
            self.store = startup.store
            self.managers = startup.managers
            self.book_changed.emit(startup.book)
            self.permissions_changed.emit(startup.permissions)
            self.managers_listed.emit(startup.managers)
            self.conflicts_loaded.emit(startup.conflicts)
            self._apply(startup.change)

        self._run(work, done)

    def select(self, line_id: str | None) -> None:
        """The cashier picked a line (None: no line); the buttons follow."""
        if line_id == self.selected:
            return
        self.selected = line_id
        self.selection_changed.emit(line_id)
        self._actions_dirty = True
        if not self.ops.busy:
            self._refresh_actions_if_dirty()

    # ------------------------------------------------------------ members

    def look_up_member(self, phone: str) -> None:
        """Find members by phone; ``members_found`` carries the cards (maybe none)."""
        sessions, till = self._runtime.database, self._till
        self._run(
            lambda: look_up_members(sessions, till.book, phone, till.pricing_time()),
            self._members_found,
        )

    def _members_found(self, cards: tuple[MemberCard, ...]) -> None:
        self.members_found.emit(cards)

    def load_wallet(self) -> None:
        """The wallet of the ticket's member (``wallet_loaded``; None: no member)."""
        till, sessions = self._till, self._runtime.database
        self._run(lambda: open_wallet(till, sessions), self.wallet_loaded.emit)

    # ------------------------------------------------------------ printing

    def print_receipt(self, receipt: Receipt | None = None, *, reprint: bool = False) -> None:
        """Print ``receipt`` (default: the last sale's) on the configured printer."""
        receipt = receipt or self.last_receipt
        config = self.printer
        if receipt is None:
            self.print_failed.emit(Problem(NO_PRINTER, "No receipt to print yet"))
            return
        if config is None:
            self.print_failed.emit(
                Problem(NO_PRINTER, self.printer_problem or "No printer is set up: preview only")
            )
            return
        chosen = receipt
        self.print_ops.run(
            lambda: print_on_printer(config, chosen, reprint=reprint),
            success=lambda _: self.printed.emit(
                f"{'Reprinted' if reprint else 'Printed'} on {config.address}"
            ),
            failure=lambda exc: self.print_failed.emit(problem_of(exc)),
        )

    def kick_drawer(self) -> None:
        """Open the cash drawer (a manager action)."""
        config = self.printer
        if self._require_manager() is None:
            return
        if config is None:
            self.print_failed.emit(Problem(NO_PRINTER, "No printer is set up for the drawer"))
            return
        self.print_ops.run(
            lambda: kick_printer_drawer(config),
            success=lambda _: self.printed.emit("Drawer opened"),
            failure=lambda exc: self.print_failed.emit(problem_of(exc)),
        )

    def save_printer(self, config: PrinterConfig | None) -> None:
        """Keep the printer settings in the data directory (a manager action)."""
        if self._require_manager() is None:
            return
        data_dir = self.data_dir

        def done(_: Any) -> None:
            self.printer = config
            self.printer_problem = ""
            self.printer_changed.emit(config)
            self.notice.emit(f"Printer: {config.address if config else 'none (preview only)'}")

        self.print_ops.run(
            lambda: save_printer_config(data_dir, config), success=done, failure=self._refuse
        )

    def save_kiosk(self, on: bool) -> None:
        """Keep the kiosk setting in the data directory (a manager action; it takes
        effect at the next start)."""
        if self._require_manager() is None:
            return
        data_dir = self.data_dir

        def done(_: Any) -> None:
            self.kiosk_changed.emit(on)
            state = "full screen" if on else "a window"
            self.notice.emit(f"Kiosk mode: the till opens as {state} at its next start")

        self.print_ops.run(
            lambda: save_display_settings(data_dir, DisplaySettings(kiosk=on)),
            success=done,
            failure=self._refuse,
        )

    def kiosk_setting(self) -> bool:
        try:
            return load_display_settings(self.data_dir).kiosk
        except DisplaySettingsError:
            return False

    # ------------------------------------------------------------ manager mode

    def verify_pin(self, name: str, pin: str) -> None:
        """Enter manager mode as ``name``; ``manager_changed`` or ``pin_refused``."""
        access = self._access
        self._run(
            lambda: access.verify_pin(name, pin),
            self._signed_in,
            lambda exc: self.pin_refused.emit(problem_of(exc)),
        )

    def _signed_in(self, session: ManagerSession) -> None:
        self.actor = Actor(manager=session)
        self.manager_changed.emit(session.name)
        self._actions_again()

    def exit_manager_mode(self) -> None:
        if self.actor.manager is None:
            return
        self._access.end_session(self.actor.manager)
        self.actor = CASHIER
        self.manager_changed.emit(None)
        self._actions_again()

    def set_pin(self, name: str, pin: str) -> None:
        """Add a manager or change a PIN (by the signed-in manager; or the very first
        manager of the till, who is then signed in)."""
        access, by = self._access, self.actor.manager

        def work() -> tuple[str, ...]:
            access.set_pin(name, pin, by=by)
            return access.manager_names()

        def done(names: tuple[str, ...]) -> None:
            self.managers = names
            self.managers_listed.emit(names)
            self.notice.emit(f"PIN set for {name.strip()}")
            if self.manager is None:
                self.verify_pin(name.strip(), pin)

        self._run(work, done, lambda exc: self.pin_refused.emit(problem_of(exc)))

    def list_managers(self) -> None:
        access = self._access

        def done(names: tuple[str, ...]) -> None:
            self.managers = names
            self.managers_listed.emit(names)

        self._run(access.manager_names, done)

    def load_execution_order(self) -> None:
        till = self._till
        self._run(lambda: ExecutionOrder.of(till), self.execution_order_loaded.emit)

    def load_conflicts(self) -> None:
        store = self._runtime.sync_store
        self._run(lambda: store.conflicts(open_only=True), self.conflicts_loaded.emit)

    # ------------------------------------------------------------ the shift

    def load_parked(self) -> None:
        """List the held tickets (``parked_listed``)."""
        desk = self._till.desk
        self._run(desk.parked, self._parked_listed)

    def _parked_listed(self, tickets: list[ParkedSummary]) -> None:
        self.parked_listed.emit(tickets)

    def load_report(self) -> None:
        """The X report of the day so far (``report_ready``); nothing is written."""
        desk = self._till.desk
        self._run(lambda: desk.report(X_REPORT), self.report_ready.emit)

    def find_sale(self, number: str) -> None:
        """A closed sale for a return (``sale_found``), or ``refused`` naming the number."""
        desk = self._till.desk
        self._run(lambda: desk.find_sale(number), self._sale_found)

    def _sale_found(self, sale: SaleForReturn) -> None:
        self.sale_found.emit(sale)

    def print_report(self, rows: list[str]) -> None:
        """Print report rows on the configured printer."""
        config = self.printer
        if config is None:
            self.print_failed.emit(
                Problem(NO_PRINTER, self.printer_problem or "No printer is set up")
            )
            return
        self.print_ops.run(
            lambda: print_rows(config, rows),
            success=lambda _: self.printed.emit(f"Report printed on {config.address}"),
            failure=lambda exc: self.print_failed.emit(problem_of(exc)),
        )

    def reload_configuration(self) -> None:
        """Re-read the configuration (after sync applied changes) and re-price."""
        till = self._till

        def done(result: tuple[TicketChange, PriceBook]) -> None:
            change, book = result
            self.book = book
            self.book_changed.emit(book)
            self._apply(change)

        self._run(lambda: (till.reload_configuration(), till.book), done)
