"""What a store manager does at the till beyond the ticket's own guarded actions:
voiding the open ticket, a local auto-execute override (R12) and the follow-up of a
sync conflict (S6); each audited and, when the back office must know, reported, in
one transaction."""

from __future__ import annotations

import json

from pos_app.engine import Refusal, RefusalCode
from pos_app.protocol.payloads import OverrideChanged, wire_instant
from pos_app.store.ticket_state_codec import dump_ticket_state
from pos_app.till.clock import aware
from pos_app.till.conflict_follow_up import record_follow_up
from pos_app.till.services import TillServices
from pos_app.till.ticket_change import TicketChange

# Audit-log actions (the events these go out as are the protocol's EventType).
OVERRIDE_CHANGED = "override.changed"
TICKET_VOIDED = "ticket.voided"


def void_ticket(services: TillServices, manager: str, reason: str) -> TicketChange:
    """Discard the open ticket (audited; nothing is sold) and start a new one."""
    ticket = services.ticket
    now = aware(services.clock())
    cashier = services.staff.cashier_name  # read before the unit of work begins
    with services.database.unit_of_work() as uow:
        uow.audit.record(
            now,
            manager,
            TICKET_VOIDED,
            ticket.ticket_id,
            {
                "reason": reason,
                "total": str(ticket.priced.total),
                "state": json.loads(dump_ticket_state(ticket.state)),
                "payments": json.loads(ticket.stored(now).payments),
            },
        )
        uow.open_tickets.remove(ticket.ticket_id)
        uow.shifts.void(ticket.ticket_id, ticket.total_due, cashier)
        pending = uow.outbox.pending_count()
        uow.commit()
    ticket.start_new()
    return ticket.change(pending)


def override_auto_execute(
    services: TillServices, promotion_id: str, auto_execute: bool, manager: str
) -> None:
    """A store manager's local auto-execute override (R12): stored, audited and
    reported (``override.changed``) in one transaction; the caller re-prices."""
    configuration = services.configuration
    synced = configuration.current.synced_auto_execute
    if promotion_id not in synced:
        raise Refusal(RefusalCode.UNKNOWN, f"Unknown promotion {promotion_id}")
    store_id, _ = configuration.identity()
    now = aware(services.clock())
    with services.database.unit_of_work() as uow:
        previous = uow.configuration.set_override(promotion_id, auto_execute, manager, now)
        uow.audit.record(
            now,
            manager,
            OVERRIDE_CHANGED,
            promotion_id,
            {
                "auto_execute": auto_execute,
                "previous_override": previous,
                "synced": synced[promotion_id],
            },
        )
        uow.outbox.add(
            OverrideChanged(
                store_id=store_id,
                promotion_id=promotion_id,
                auto_execute=auto_execute,
                manager=manager,
                changed_at=wire_instant(now),
            ),
            now,
        )
        uow.commit()


def resolve_conflict(
    services: TillServices, conflict_key: str, resolution: str, note: str, manager: str
) -> TicketChange:
    """Record the follow-up of a conflict (S6): resolved, audited and reported
    (``conflict.resolved``) in one transaction."""
    store_id, _ = services.configuration.identity()
    now = aware(services.clock())
    with services.database.unit_of_work() as uow:
        record_follow_up(
            uow, conflict_key, resolution, note, manager=manager, store_id=store_id, now=now
        )
        pending = uow.outbox.pending_count()
        uow.commit()
    return services.ticket.change(pending)
