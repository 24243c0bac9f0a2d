"""Ticket numbers a run of sales carries (issue 18): each (store, number) claimed once,
a second sale under a number already held made a ``TICKET_NUMBER_REUSED`` conflict.

A till gives each number once in its life (``D1-02-000147``: till 02 of store D1), so
two different sales under one number mean a till that forgot its numbers (a database
restored from an old copy, or started fresh). The second sale is stored all the same
(nothing is dropped), listed with the other conflicts for a person to follow up, and
its event answers ``conflict``. The claim is ``sale_numbers``' primary key, so two
uploads racing cannot both win. A sale that already is a conflict for another reason
keeps that reason; the number clash is added to its detail and its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, tuple_, update
from sqlalchemy.sql.schema import Table

from backoffice.clock import iso_time
from backoffice.models.conflicts import Conflict
from backoffice.models.sales import SaleNumber
from backoffice.sync.intake.bulk_insert import insert_rows
from backoffice.sync.intake.redeemed_codes import StoredSale
from backoffice.sync.intake.verdict import Verdict
from backoffice.trust.device_tokens import DeviceIdentity
from pos_app.protocol.outcomes import ConflictReason, Outcome

NUMBERS: Table = SaleNumber.__table__  # type: ignore[assignment]
CONFLICTS: Table = Conflict.__table__  # type: ignore[assignment]


def claim_numbers(
    connection: Connection, device: DeviceIdentity, stored: Sequence[StoredSale], now: datetime
) -> dict[str, dict[str, Any]]:
    """Claim each stored sale's number for the store; the clashes by event key (the
    sale that held the number first)."""
    rows: dict[str, dict[str, Any]] = {}
    for item in stored:
        number = item.ticket.number
        if number is None:
            continue
        rows.setdefault(
            number,
            {
                "store_id": device.store_id,
                "number": number,
                "sale_id": item.sale_id,
                "ticket_id": item.ticket.ticket_id,
                "device_id": device.device_id,
                "received_at": now,
            },
        )
    if not rows:
        return {}
    claimed = insert_rows(
        connection,
        NUMBERS,
        [rows[number] for number in sorted(rows)],
        ignore_conflicts=True,
        returning=(NUMBERS.c.number,),
    )
    won = {number for (number,) in claimed}
    lost = sorted(set(rows) - won)
    holders: dict[str, Any] = {}
    if lost:
        query = select(NUMBERS).where(
            tuple_(NUMBERS.c.store_id, NUMBERS.c.number).in_(
                [(device.store_id, number) for number in lost]
            )
        )
        holders = {row.number: row for row in connection.execute(query)}
    clashes: dict[str, dict[str, Any]] = {}
    for item in stored:
        number = item.ticket.number
        if number is None:
            continue
        claim = rows[number]
        if number in won and claim["sale_id"] == item.sale_id:
            continue
        first = holders.get(number)
        first_ticket = first.ticket_id if first is not None else claim["ticket_id"]
        first_at = first.received_at if first is not None else now
        clashes[item.key] = {
            "number": number,
            "first_ticket_id": first_ticket,
            "first_device_id": first.device_id if first is not None else device.device_id,
            "first_received_at": iso_time(first_at),
        }
    return clashes


def number_sentence(clash: dict[str, Any]) -> str:
    """The clash as a store manager reads it (the ids stay in the conflict's detail)."""
    when = str(clash["first_received_at"])[:16].replace("T", " ")
    return (
        f"ticket number {clash['number']} was already used by another sale of this till,"
        f" received on {when} UTC; both sales are kept"
    )


def record_number_clashes(
    connection: Connection,
    device: DeviceIdentity,
    stored: Sequence[StoredSale],
    clashes: dict[str, dict[str, Any]],
    now: datetime,
    verdicts: dict[str, Verdict],
) -> None:
    """A ``TICKET_NUMBER_REUSED`` conflict for each sale whose number clashed; a sale
    already in conflict gets the clash added to its conflict."""
    rows = []
    for item in stored:
        clash = clashes.get(item.key)
        if clash is None:
            continue
        sentence = number_sentence(clash)
        earlier = verdicts.get(item.key)
        if earlier is not None and earlier.outcome is Outcome.CONFLICT:
            _add_to_conflict(connection, item.key, clash)
            detail = f"{earlier.detail}; {sentence}" if earlier.detail else sentence
            verdicts[item.key] = Verdict(earlier.outcome, earlier.reason, detail)
            continue
        rows.append(
            {
                "conflict_key": item.key,
                "reason": ConflictReason.TICKET_NUMBER_REUSED.value,
                "event_id": item.event_id,
                "store_id": device.store_id,
                "device_id": device.device_id,
                "detail": {"ticket_id": item.ticket.ticket_id, "number_reused": clash},
                "detected_at": now,
                "resolved_at": None,
                "resolution": None,
                "resolution_note": None,
                "resolved_by": None,
            }
        )
        verdicts[item.key] = Verdict(
            Outcome.CONFLICT,
            ConflictReason.TICKET_NUMBER_REUSED,
            sentence[0].upper() + sentence[1:],
        )
    insert_rows(connection, CONFLICTS, rows)


def _add_to_conflict(connection: Connection, key: str, clash: dict[str, Any]) -> None:
    detail = connection.execute(
        select(CONFLICTS.c.detail).where(CONFLICTS.c.conflict_key == key)
    ).scalar_one()
    connection.execute(
        update(CONFLICTS)
        .where(CONFLICTS.c.conflict_key == key)
        .values(detail={**detail, "number_reused": clash})
    )
