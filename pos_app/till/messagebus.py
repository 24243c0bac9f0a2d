"""The till's one door: every command goes to its one handler through a table, after
the actor's permission check (cosmicpython's message bus, chapter 10)."""

from __future__ import annotations

from collections.abc import Mapping

from pos_app.engine import Refusal, RefusalCode
from pos_app.till.commands import TillCommand
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.handlers import HANDLERS, REFUSALS, Handler, RefusalCheck
from pos_app.till.manager import GUARD_OF, Actor
from pos_app.till.services import TillServices
from pos_app.till.shift_commands import RefundSale
from pos_app.till.staff_commands import SignIn
from pos_app.till.ticket_change import TicketChange


class MessageBus:
    """Hands each command to the handler :data:`~pos_app.till.handlers.HANDLERS` names
    for its class, for an actor the till's manager access allows (refused otherwise,
    nothing written); :meth:`refusal_for` asks the same without acting."""

    def __init__(
        self,
        services: TillServices,
        handlers: Mapping[type, Handler] = HANDLERS,
        refusals: Mapping[type, RefusalCheck] = REFUSALS,
    ) -> None:
        self._services = services
        self._handlers = handlers
        self._refusals = refusals

    def handle(self, command: TillCommand, actor: Actor) -> TicketChange:
        refusal = self._sign_in_refusal(command, actor) or self._services.access.refusal_for(
            command, actor
        )
        if refusal is not None:
            raise refusal
        handler = self._handlers.get(type(command))
        if handler is None:
            raise Refusal(RefusalCode.INVALID, f"Unknown action {type(command).__name__}")
        approved = self._approval_of(command, actor)
        change = handler(command, self._services, actor)
        if approved is not None and actor.manager is not None:
            self._services.staff.record_approval(*approved, actor.manager.name)
        return change

    def refusal_if_approved(
        self, command: TillCommand, actor: Actor
    ) -> Refusal | TillRefusal | None:
        """What ``command`` would meet once a manager approved it (a button that may ask
        for a manager's PIN stays on): the sign-in and the command's own check."""
        refusal = self._sign_in_refusal(command, actor)
        if refusal is not None:
            return refusal
        check = self._refusals.get(type(command))
        return check(command, self._services) if check is not None else None

    def _sign_in_refusal(self, command: TillCommand, actor: Actor) -> TillRefusal | None:
        """A till with cashiers takes nothing but a sign-in (or a manager's own action)
        until someone signs in."""
        if isinstance(command, SignIn) or actor.manager is not None:
            return None
        if self._services.staff.sign_in_required():
            return TillRefusal(TillCode.SIGN_IN_REQUIRED, "Sign in first")
        return None

    def _approval_of(self, command: TillCommand, actor: Actor) -> tuple[str, str] | None:
        """(action, subject) a manager's PIN approves in ``command``, or None."""
        if actor.manager is None:
            return None
        if isinstance(command, RefundSale):
            return "return", str(command.number)[:64]
        guard = GUARD_OF.get(type(command))
        return (guard, self._services.ticket.number or "") if guard is not None else None

    def refusal_for(self, command: TillCommand, actor: Actor) -> Refusal | TillRefusal | None:
        """What ``command`` would meet from ``actor`` now (live buttons): a manager
        needed, or the command's own check (the engine's, tried on a copy). None: it
        would be taken."""
        refusal = self._sign_in_refusal(command, actor) or self._services.access.refusal_for(
            command, actor
        )
        if refusal is not None:
            return refusal
        check = self._refusals.get(type(command))
        return check(command, self._services) if check is not None else None
