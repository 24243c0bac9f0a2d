"""The handlers of the people's and the drawer's commands (signing in and out, a person
added here, the float, cash in and out); :data:`pos_app.till.handlers.HANDLERS` lists
them with the rest."""

from __future__ import annotations

from dataclasses import replace

from pos_app.till.drawer import CASH_IN, CASH_OUT, FLOAT
from pos_app.till.manager import Actor
from pos_app.till.services import TillServices
from pos_app.till.staff import SignInDone
from pos_app.till.staff_commands import AddStaff, CashIn, CashOut, SetFloat, SignIn, SignOut
from pos_app.till.ticket_change import TicketChange


def _manager(actor: Actor) -> str | None:
    return actor.manager.name if actor.manager is not None else None


def sign_in(command: SignIn, s: TillServices, actor: Actor) -> TicketChange:
    """The outcome is the :class:`SignInDone` (whether the day still needs its float)."""
    who = s.staff.sign_in(command.staff_id, command.pin)
    done = SignInDone(who.name, who.role, s.drawer.needs_float())
    return replace(s.ticket.current(), outcome=done)


def sign_out(command: SignOut, s: TillServices, actor: Actor) -> TicketChange:
    s.staff.sign_out()
    return s.ticket.current()


def add_staff(command: AddStaff, s: TillServices, actor: Actor) -> TicketChange:
    """The outcome is the person added (the bus let only a manager through)."""
    person = s.staff.add_local(command.name, command.role, command.pin, _manager(actor) or "")
    return replace(s.ticket.current(), outcome=person)


def set_float(command: SetFloat, s: TillServices, actor: Actor) -> TicketChange:
    moved = s.drawer.move(FLOAT, command.amount, "Opening float", cashier=s.staff.cashier_name)
    return replace(s.ticket.current(), outcome=moved)


def cash_in(command: CashIn, s: TillServices, actor: Actor) -> TicketChange:
    moved = s.drawer.move(
        CASH_IN,
        command.amount,
        command.reason,
        cashier=s.staff.cashier_name,
        approved_by=_manager(actor),
    )
    return replace(s.ticket.current(), outcome=moved)


def cash_out(command: CashOut, s: TillServices, actor: Actor) -> TicketChange:
    moved = s.drawer.move(
        CASH_OUT,
        command.amount,
        command.reason,
        cashier=s.staff.cashier_name,
        approved_by=_manager(actor),
    )
    return replace(s.ticket.current(), outcome=moved)
