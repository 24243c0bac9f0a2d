"""Ticket numbers for the till's whole life (issue 18): the sequence moves from the day
(``shifts.last_seq``, which started again after each Z report) to the device row and
never starts again; Z reports get a sequence of their own.

Every number already printed stays as it is. The sequence continues after the highest
one this till gave. Tickets from before, whose number another day gave too, are marked
``number_reused`` (found by number and business day); every other number is unique.

Revision ID: 0008_lifetime_numbers
Revises: 0007_pack_sales
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_lifetime_numbers"
down_revision: str | None = "0007_pack_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sequence_of(number: str) -> int:
    """The sequence part of ``STORE-TILL-SEQUENCE`` (0 when there is none)."""
    tail = number.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def upgrade() -> None:
    connection = op.get_bind()
    op.add_column(
        "device", sa.Column("last_ticket_number", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "device", sa.Column("last_z_number", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("shifts", sa.Column("z_number", sa.Integer(), nullable=True))
    op.add_column(
        "ticket_headers",
        sa.Column("number_reused", sa.Boolean(), server_default="0", nullable=False),
    )
    numbers = [row[0] for row in connection.execute(sa.text("SELECT number FROM ticket_headers"))]
    numbers += [row[0] for row in connection.execute(sa.text("SELECT number FROM refunds"))]
    highest = max((_sequence_of(str(n)) for n in numbers), default=0)
    closed = [
        row[0]
        for row in connection.execute(
            sa.text("SELECT shift_id FROM shifts WHERE closed_at IS NOT NULL ORDER BY shift_id")
        )
    ]
    for z_number, shift_id in enumerate(closed, start=1):
        connection.execute(
            sa.text("UPDATE shifts SET z_number = :z WHERE shift_id = :id"),
            {"z": z_number, "id": shift_id},
        )
    connection.execute(
        sa.text("UPDATE device SET last_ticket_number = :t, last_z_number = :z"),
        {"t": highest, "z": len(closed)},
    )
    connection.execute(
        sa.text(
            "UPDATE ticket_headers SET number_reused = 1 WHERE number IN"
            " (SELECT number FROM ticket_headers GROUP BY number HAVING COUNT(*) > 1)"
        )
    )
    op.create_index(
        "uq_ticket_headers_number_for_life",
        "ticket_headers",
        ["number"],
        unique=True,
        sqlite_where=sa.text("number_reused = 0"),
    )


def downgrade() -> None:
    # SQLite drops plain columns in place (3.35+): no table is copied, so the rows that
    # refer to shifts keep their foreign keys. Numbers given stay as they are.
    op.drop_index("uq_ticket_headers_number_for_life", table_name="ticket_headers")
    for table, column in (
        ("ticket_headers", "number_reused"),
        ("shifts", "z_number"),
        ("device", "last_z_number"),
        ("device", "last_ticket_number"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
