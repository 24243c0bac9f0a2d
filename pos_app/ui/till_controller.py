"""The screens' one door to the till: every cashier and manager action as a background
op, every result as a signal the screens redraw from.

Screens never call the :class:`~pos_app.till.till.Till` themselves. They call a method
here, which returns at once; the work runs on the till's op runner (one op at a time,
because the till is not thread-safe); the outcome comes back on the main thread as a
signal: ``changed`` with the till's :class:`~pos_app.till.till.TicketChange`,
``refused`` with the rule's code and message, and so on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from pos_app.engine import PriceBook, PricedLine, Refusal
from pos_app.engine.bounds import typed_quantity
from pos_app.printing import PrinterConfig, PrinterError, Receipt, StoreHeader
from pos_app.printing import kick_drawer as kick_printer_drawer
from pos_app.printing import print_receipt as print_on_printer
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import CashierPermissions, ManagerAccess
from pos_app.till.members import MemberCard, look_up_members
from pos_app.till.receipts import sale_receipt, store_header
from pos_app.till.till import TicketChange, Till, aware
from pos_app.ui.execution_order import ExecutionOrder
from pos_app.ui.line_actions import NEEDS_MANAGER, ActionStates, action_states, gate
from pos_app.ui.line_ids import TicketIds
from pos_app.ui.ops import OpRunner
from pos_app.ui.printer_settings import (
    PrinterSettingsError,
    load_printer_config,
    save_printer_config,
)
from pos_app.wiring import TillRuntime

if TYPE_CHECKING:
    from pos_app.store.sync_store import ConflictReport

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
    conflicts_loaded = Signal(object)  # list[ConflictReport]
    execution_order_loaded = Signal(object)  # ExecutionOrder
    printer_changed = Signal(object)  # PrinterConfig | None

    def __init__(
        self,
        runtime: TillRuntime,
        access: ManagerAccess,
        ops: OpRunner,
        print_ops: OpRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._till: Till = runtime.till
        self._access = access
        self.ops = ops
        self.print_ops = print_ops
        self._ids = TicketIds()
        self.change: TicketChange | None = None
        self.book: PriceBook | None = None
        self.selected: str | None = None
        self.manager: str | None = None
        self.permissions = CashierPermissions()
        self.store = StoreHeader("")
        self.managers: tuple[str, ...] = ()
        self.last_receipt: Receipt | None = None
        self._raw_actions = ActionStates()
        self.actions = ActionStates()
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

    def _change_action(
        self,
        work: Callable[[Till], TicketChange],
        notice: str | None = None,
        after: Callable[[TicketChange], None] | None = None,
    ) -> None:
        till = self._till

        def done(change: TicketChange) -> None:
            self._apply(change)
            if after is not None:
                after(change)
            if notice:
                self.notice.emit(notice)

        self._run(lambda: work(till), done)

    def _refresh_actions_if_dirty(self) -> None:
        """Ask the engine about the buttons once the queue is drained, a moment later:
        the ticket repaints first (the engine's trial runs would compete with the paint
        for the GIL), and a burst of taps costs one refresh."""
        if not self._actions_dirty:
            return
        self._actions_dirty = False
        till, line_id = self._till, self.selected
        self.ops.run_after(
            ACTIONS_DELAY_MS,
            lambda: action_states(till, line_id),
            success=self._set_actions,
            failure=self._refuse,
        )

    def _set_actions(self, states: ActionStates) -> None:
        if states.line_id != self.selected and self.selected is not None:
            self._actions_dirty = True  # the selection moved meanwhile: ask again
        self._raw_actions = states
        self._emit_actions()

    def _emit_actions(self) -> None:
        self.actions = gate(self._raw_actions, self.permissions, self.manager)
        self.actions_changed.emit(self.actions)

    def selected_line(self) -> PricedLine | None:
        if self.change is None or self.selected is None:
            return None
        return self.change.priced.line(self.selected)

    def _require_line(self) -> str | None:
        if self.selected is None or self.selected_line() is None:
            self._problem(NO_LINE, "Select a line on the ticket first")
            return None
        return self.selected

    def _permitted(self, action: str) -> bool:
        if self.manager is not None or self.permissions.allows(action):
            return True
        self._problem(TillCode.MANAGER_REQUIRED.value, NEEDS_MANAGER[action])
        return False

    def _require_manager(self) -> str | None:
        if self.manager is None:
            self._problem(TillCode.MANAGER_REQUIRED.value, "Enter manager mode first")
        return self.manager

    # ------------------------------------------------------------ start

    def start(self) -> None:
        """Load the open ticket, the price book, permissions and the store header."""
        till, access, sessions = self._till, self._access, self._runtime.sessions
        sync_store = self._runtime.sync_store

        def work() -> _Startup:
            return _Startup(
                change=till.current(),
                book=till.book,
                permissions=access.permissions(),
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

    # ------------------------------------------------------------ lines

    def add_item(self, sku: str, qty: int = 1) -> None:
        """Ring up ``qty`` of ``sku`` as a new line, and select it."""
        till, ids = self._till, self._ids

        def work() -> tuple[TicketChange, str]:
            line_id = ids.next_line_id(till.ticket_id, till.state)
            return till.add_item(line_id, sku, qty), line_id

        def done(result: tuple[TicketChange, str]) -> None:
            change, line_id = result
            self.selected = line_id
            self._apply(change)
            self.selection_changed.emit(line_id)

        self._run(work, done)

    def set_quantity(self, text: str) -> None:
        line_id = self._require_line()
        if line_id is None:
            return
        qty = typed_quantity(text)  # the engine's bounds refuse it as they refuse a scenario's
        self._change_action(lambda t: t.set_quantity(line_id, qty))

    def void_line(self) -> None:
        line_id = self._require_line()
        if line_id is not None:
            self._change_action(lambda t: t.remove_line(line_id), f"Line {line_id} voided")

    def toggle_present(self) -> None:
        """Present the selected line, or take the present back if it is presented."""
        line_id = self._require_line()
        line = self.selected_line()
        if line_id is None or line is None or not self._permitted("present"):
            return
        if line.presented:
            self._change_action(lambda t: t.unpresent(line_id))
        else:
            self._change_action(lambda t: t.present(line_id))

    def adjust_price(self, price: str) -> None:
        line_id = self._require_line()
        if line_id is None or not self._permitted("adjust_price"):
            return
        self._change_action(lambda t: t.adjust_price(line_id, price.strip()))

    def unadjust(self) -> None:
        line_id = self._require_line()
        if line_id is None or not self._permitted("adjust_price"):
            return
        self._change_action(lambda t: t.unadjust(line_id))

    def apply_discount(
        self, *, percent: str | None = None, amount: str | None = None, whole_order: bool = False
    ) -> None:
        """A store discount on the selected line, or on the whole order."""
        line_id = None if whole_order else self._require_line()
        if (not whole_order and line_id is None) or not self._permitted("discount"):
            return
        till, ids = self._till, self._ids

        def work(t: Till) -> TicketChange:
            discount_id = ids.next_discount_id(till.ticket_id, till.state)
            return t.apply_discount(discount_id, percent=percent, amount=amount, line_id=line_id)

        self._change_action(work)

    def remove_discount(self, discount_id: str) -> None:
        self._change_action(lambda t: t.remove_discount(discount_id))

    def trigger_promotion(self, promotion_id: str) -> None:
        self._change_action(
            lambda t: t.trigger_promotion(promotion_id), f"Promotion {promotion_id} applied"
        )

    def cancel_promotion(self, promotion_id: str) -> None:
        self._change_action(
            lambda t: t.cancel_promotion(promotion_id), f"Promotion {promotion_id} cancelled"
        )

    # ------------------------------------------------------------ coupons and members

    def redeem_coupon(self, code: str) -> None:
        code = code.strip()
        if not code:
            self._problem("INVALID", "Type or scan a coupon code")
            return
        self._change_action(lambda t: t.redeem_coupon(code), f"Coupon {code} redeemed")

    def remove_coupon(self, code: str) -> None:
        self._change_action(lambda t: t.remove_coupon(code), f"Coupon {code} removed")

    def look_up_member(self, phone: str) -> None:
        """Find members by phone; ``members_found`` carries the cards (maybe none)."""
        sessions, till = self._runtime.sessions, self._till
        self._run(
            lambda: look_up_members(sessions, till.book, phone),
            self._members_found,
        )

    def _members_found(self, cards: tuple[MemberCard, ...]) -> None:
        self.members_found.emit(cards)

    # ------------------------------------------------------------ payments and closing

    def pay_cash(self, tendered: str) -> None:
        self._change_action(lambda t: t.pay_cash(tendered.strip()))

    def pay_card(self, amount: str) -> None:
        self._change_action(lambda t: t.pay_card(amount.strip()))

    def clear_payments(self) -> None:
        self._change_action(lambda t: t.clear_payments())

    def close_ticket(self) -> None:
        """Close the sale; on success ``sale_closed`` carries its receipt, which is then
        printed when a printer is set up."""
        till, clock, store = self._till, self._runtime.clock, self.store

        def work() -> ClosedSale:
            change = till.close()
            receipt = sale_receipt(
                change,
                store=store,
                device_id=till.configuration.device_id or "",
                closed_at=aware(clock()),
            )
            return ClosedSale(change, receipt, till.current())

        def done(sale: ClosedSale) -> None:
            self.last_receipt = sale.receipt
            self.selected = None
            self._apply(sale.fresh)
            self.selection_changed.emit(None)
            self.sale_closed.emit(sale)
            if self.printer is not None:
                self.print_receipt(sale.receipt)

        self._run(work, done)

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

    # ------------------------------------------------------------ manager mode

    def verify_pin(self, name: str, pin: str) -> None:
        """Enter manager mode as ``name``; ``manager_changed`` or ``pin_refused``."""
        access = self._access
        self._run(
            lambda: access.verify_pin(name, pin),
            self._signed_in,
            lambda exc: self.pin_refused.emit(problem_of(exc)),
        )

    def _signed_in(self, name: str) -> None:
        self.manager = name
        self.manager_changed.emit(name)
        self._emit_actions()

    def exit_manager_mode(self) -> None:
        if self.manager is None:
            return
        self.manager = None
        self.manager_changed.emit(None)
        self._emit_actions()

    def set_pin(self, name: str, pin: str) -> None:
        """Add a manager or change a PIN (by the signed-in manager; or the very first
        manager of the till, who is then signed in)."""
        access, by = self._access, self.manager

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

    def set_permission(self, action: str, allowed: bool) -> None:
        manager = self._require_manager()
        if manager is None:
            return
        access = self._access

        def done(permissions: CashierPermissions) -> None:
            self.permissions = permissions
            self.permissions_changed.emit(permissions)
            self._emit_actions()

        self._run(lambda: access.set_permission(action, allowed, manager), done)

    def load_execution_order(self) -> None:
        till = self._till
        self._run(lambda: ExecutionOrder.of(till), self.execution_order_loaded.emit)

    def override_auto_execute(self, promotion_id: str, auto_execute: bool) -> None:
        """A manager's local auto-execute switch (R12): audited, queued for the back
        office, and the open ticket re-priced."""
        manager = self._require_manager()
        if manager is None:
            return
        till = self._till

        def work() -> tuple[TicketChange, PriceBook, ExecutionOrder]:
            change = till.override_auto_execute(promotion_id, auto_execute, manager)
            return change, till.book, ExecutionOrder.of(till)

        def done(result: tuple[TicketChange, PriceBook, ExecutionOrder]) -> None:
            change, book, order = result
            self.book = book
            self.book_changed.emit(book)
            self._apply(change)
            self.execution_order_loaded.emit(order)
            state = "on" if auto_execute else "off"
            self.notice.emit(f"Auto-execute of {promotion_id} is {state} at this till")

        self._run(work, done)

    def load_conflicts(self) -> None:
        store = self._runtime.sync_store
        self._run(lambda: store.conflicts(open_only=True), self.conflicts_loaded.emit)

    def resolve_conflict(self, conflict_key: str, resolution: str, note: str) -> None:
        manager = self._require_manager()
        if manager is None:
            return
        self._change_action(
            lambda t: t.resolve_conflict(conflict_key, resolution, note, manager),
            "Conflict resolved",
            after=lambda _: self.load_conflicts(),
        )

    def void_ticket(self, reason: str) -> None:
        manager = self._require_manager()
        if manager is None:
            return
        self.selected = None
        self._change_action(lambda t: t.void_ticket(manager, reason), "Ticket voided")

    def reload_configuration(self) -> None:
        """Re-read the configuration (after sync applied changes) and re-price."""
        till = self._till

        def done(result: tuple[TicketChange, PriceBook]) -> None:
            change, book = result
            self.book = book
            self.book_changed.emit(book)
            self._apply(change)

        self._run(lambda: (till.reload_configuration(), till.book), done)
