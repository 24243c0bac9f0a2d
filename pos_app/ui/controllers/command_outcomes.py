"""What a command did, worked out on the op thread right after the till handled it:
the ticket to show, and whatever else the screens need after that kind of command (a
closed sale's receipt, a return's slip, the day's report, the new execution order, ...).

One table (:data:`FOLLOW_UPS`) maps a command class to its follow-up; a command not in
it gets :func:`ticket_recalculated` (what the recalculation changed, the line to bring
into view). A new command needs an entry only when it brings something new to show.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pos_app.engine import AddItem, Close, PriceBook, PricedTicket
from pos_app.printing import StoreHeader
from pos_app.store.sync_store import ConflictReport, SyncStore
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, aware
from pos_app.till.commands import (
    OverrideAutoExecute,
    ResolveConflict,
    SetPermission,
    TillCommand,
    VoidTicket,
)
from pos_app.till.manager import Actor, CashierPermissions
from pos_app.till.names import Names, names_for
from pos_app.till.receipts import refund_receipt, sale_receipt, till_label
from pos_app.till.shift_commands import (
    CloseShift,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
    TapItem,
)
from pos_app.till.shift_desk import RefundDone
from pos_app.till.shift_report import ShiftReport
from pos_app.till.ticket_diff import TicketNotice, changed_line, what_changed
from pos_app.till.till import TicketChange, Till
from pos_app.ui.controllers.payloads import ClosedSale, ReturnDone
from pos_app.ui.execution_order import ExecutionOrder


class LineChoice(enum.Enum):
    """What becomes of the selected line after a command."""

    KEEP = "keep"  # as it was (unless the line is gone)
    CLEAR = "clear"  # none: the screen shows another ticket, or none of its lines
    NEW_LINE = "new_line"  # the line the command just rang up, if it rang one up


@dataclass(frozen=True)
class CommandScene:
    """What a command's follow-up may use on the op thread: the till and its store."""

    till: Till
    actor: Actor
    store: StoreHeader  # the receipt's header, as the screen had it when asked
    clock: Clock
    database: TillDatabase
    sync_store: SyncStore


@dataclass(frozen=True)
class CommandOutcome:
    """What ``command`` did: ``change`` is the ticket the screen shows now; the other
    fields are set for the commands that bring them (None or empty otherwise)."""

    command: TillCommand
    change: TicketChange
    names: Names | None = None  # the names of the ticket's coupons and discounts
    selection: LineChoice = LineChoice.KEEP
    notices: tuple[TicketNotice, ...] = ()  # what the recalculation changed
    scroll_to: str | None = None
    book: PriceBook | None = None  # the price book, when the command changed it
    sale: ClosedSale | None = None
    returned: ReturnDone | None = None
    report: ShiftReport | None = None
    order: ExecutionOrder | None = None
    conflicts: tuple[ConflictReport, ...] | None = None  # the open ones, after a follow-up
    permissions: CashierPermissions | None = None


@dataclass(frozen=True)
class Handled:
    """A command the till has just handled, for its follow-up."""

    command: Any  # the class FOLLOW_UPS chose the follow-up by
    scene: CommandScene
    before: PricedTicket  # the ticket before the command
    change: TicketChange
    names: Names  # the names after the command


FollowUp = Callable[[Handled], CommandOutcome]


def carry_out(command: TillCommand, scene: CommandScene) -> CommandOutcome:
    """Have the till handle ``command`` for ``scene.actor``, then its follow-up. Runs on
    the op thread (a refusal propagates to the op's failure callback)."""
    till = scene.till
    before = till.priced
    change = till.handle(command, scene.actor)
    handled = Handled(command, scene, before, change, names_for(till.book, till.state))
    follow_up = FOLLOW_UPS.get(type(command), ticket_recalculated)
    return follow_up(handled)


def ticket_recalculated(h: Handled) -> CommandOutcome:
    """Any command: what the recalculation changed beyond what was asked, and the line
    to bring into view."""
    return CommandOutcome(
        h.command,
        h.change,
        names=h.names,
        notices=tuple(what_changed(h.before, h.change.priced, h.names, h.command)),
        scroll_to=changed_line(h.before, h.change.priced),
    )


def _line_added(h: Handled) -> CommandOutcome:
    """AddItem, TapItem, Scan: as any command, and the new line (if any) is selected."""
    return replace(ticket_recalculated(h), selection=LineChoice.NEW_LINE)


def _ticket_voided(h: Handled) -> CommandOutcome:
    """VoidTicket: as any command, and no line stays selected."""
    return replace(ticket_recalculated(h), selection=LineChoice.CLEAR)


def _permission_set(h: Handled) -> CommandOutcome:
    """SetPermission: as any command, and what cashiers may do now."""
    return replace(ticket_recalculated(h), permissions=h.scene.till.permissions)


def _ticket_switched(h: Handled) -> CommandOutcome:
    """ParkTicket, RecallTicket: another ticket on screen, nothing to compare with."""
    return CommandOutcome(h.command, h.change, names=h.names, selection=LineChoice.CLEAR)


def _sale_closed(h: Handled) -> CommandOutcome:
    """Close: the sale's receipt, and the new (empty) ticket to show."""
    s = h.scene
    receipt = sale_receipt(
        h.change,
        store=s.store,
        device_id=s.till.configuration.device_id or "",
        closed_at=aware(s.clock()),
        book=s.till.book,
        till=till_label(s.database),
    )
    fresh = s.till.current()
    return CommandOutcome(
        h.command,
        fresh,
        names=h.names,
        selection=LineChoice.CLEAR,
        sale=ClosedSale(h.change, receipt, fresh),
    )


def _return_made(h: Handled) -> CommandOutcome:
    """RefundSale: the return's slip."""
    done = h.change.outcome
    if not isinstance(done, RefundDone):
        return ticket_recalculated(h)
    slip = refund_receipt(h.scene.database, done.plan, done.number, aware(h.scene.clock()))
    return CommandOutcome(h.command, h.change, names=h.names, returned=ReturnDone(done, slip))


def _day_closed(h: Handled) -> CommandOutcome:
    """CloseShift: the Z report."""
    report = h.change.outcome
    if not isinstance(report, ShiftReport):
        return _ticket_switched(h)
    return CommandOutcome(h.command, h.change, names=h.names, report=report)


def _auto_execute_switched(h: Handled) -> CommandOutcome:
    """OverrideAutoExecute: the price book and the execution order as they are now."""
    till = h.scene.till
    return CommandOutcome(h.command, h.change, book=till.book, order=ExecutionOrder.of(till))


def _conflict_resolved(h: Handled) -> CommandOutcome:
    """ResolveConflict: the conflicts still open."""
    conflicts = tuple(h.scene.sync_store.conflicts(open_only=True))
    return CommandOutcome(h.command, h.change, conflicts=conflicts)


FOLLOW_UPS: dict[type, FollowUp] = {
    AddItem: _line_added,
    TapItem: _line_added,
    Scan: _line_added,
    VoidTicket: _ticket_voided,
    SetPermission: _permission_set,
    ParkTicket: _ticket_switched,
    RecallTicket: _ticket_switched,
    Close: _sale_closed,
    RefundSale: _return_made,
    CloseShift: _day_closed,
    OverrideAutoExecute: _auto_execute_switched,
    ResolveConflict: _conflict_resolved,
}
