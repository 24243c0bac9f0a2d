"""Ticket numbers the back office holds (issue 18): the first sale each (store, number)
was received with. A second sale under a number a till already used is stored all the
same and becomes a ``TICKET_NUMBER_REUSED`` conflict.

Sales received before keep their rows: each number goes to the first sale that carried
it (numbers that repeated when tills started them again each day are not claimed twice
and raise no conflict after the fact).

Revision ID: 0009_sale_numbers
Revises: 0008_till_numbers
Create Date: 2026-12-07 16:30:00.000000
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sale_numbers"
down_revision: str | Sequence[str] | None = "0009_mall_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000


def _number_of(body: Any) -> str | None:
    if isinstance(body, str):
        body = json.loads(body)
    payload = body.get("payload") if isinstance(body, dict) else None
    number = payload.get("number") if isinstance(payload, dict) else None
    return number if isinstance(number, str) and 0 < len(number) <= 64 else None


def upgrade() -> None:
    numbers = op.create_table(
        "sale_numbers",
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(length=128), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale_tickets.id"], name=op.f("fk_sale_numbers_sale_id_sale_tickets")
        ),
        sa.PrimaryKeyConstraint("store_id", "number", name=op.f("pk_sale_numbers")),
    )
    assert numbers is not None
    connection = op.get_bind()
    query = sa.text(
        "SELECT s.id, s.store_id, s.ticket_id, s.device_id, s.received_at, e.body"
        " FROM sale_tickets s JOIN received_events e ON e.id = s.event_id ORDER BY s.id"
    ).columns(body=sa.JSON(), received_at=sa.DateTime(timezone=True))
    seen: set[tuple[str, str]] = set()
    rows: list[dict[str, Any]] = []
    for sale_id, store_id, ticket_id, device_id, received_at, body in connection.execute(query):
        number = _number_of(body)
        if number is None or (store_id, number) in seen:
            continue
        seen.add((store_id, number))
        rows.append(
            {
                "store_id": store_id,
                "number": number,
                "sale_id": sale_id,
                "ticket_id": ticket_id,
                "device_id": device_id,
                "received_at": received_at,
            }
        )
        if len(rows) >= BATCH:
            op.bulk_insert(numbers, rows)
            rows = []
    if rows:
        op.bulk_insert(numbers, rows)


def downgrade() -> None:
    op.drop_table("sale_numbers")
