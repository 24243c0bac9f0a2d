"""A store's ticket is one sale: (store_id, ticket_id) unique in sale_tickets.

A ``ticket.closed`` for a ticket already received under another idempotency key is
answered ``duplicate`` (TICKET_ALREADY_RECEIVED) instead of being stored twice; this
constraint makes that hold when two uploads race.

A database that already holds the same ticket twice cannot take the constraint: the
upgrade stops and names the tickets, for an operator to decide which rows to keep.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_duplicate_tickets() -> None:
    repeated = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT store_id, ticket_id, COUNT(*) AS copies FROM sale_tickets"
                " GROUP BY store_id, ticket_id HAVING COUNT(*) > 1"
                " ORDER BY store_id, ticket_id"
            )
        )
        .all()
    )
    if repeated:
        shown = ", ".join(f"{store}/{ticket} x{copies}" for store, ticket, copies in repeated[:20])
        more = f" and {len(repeated) - 20} more" if len(repeated) > 20 else ""
        raise RuntimeError(
            f"sale_tickets: {len(repeated)} ticket(s) are stored more than once"
            f" (store/ticket x copies: {shown}{more}); keep one row of each (and its"
            " sale_lines, redeemed_codes) before upgrading to revision 0002"
        )


def upgrade() -> None:
    _refuse_duplicate_tickets()
    with op.batch_alter_table("sale_tickets", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_sale_tickets_store_id_ticket_id"), ["store_id", "ticket_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sale_tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_sale_tickets_store_id_ticket_id"), type_="unique")
