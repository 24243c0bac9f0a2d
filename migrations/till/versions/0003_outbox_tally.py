"""Outbox tally: the number of pending events, kept by triggers on outbox_events, so the
till reads it in constant time after every action instead of counting the queue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here (not imported) so the migration never changes with application code.
TRIGGERS = {
    "trg_outbox_tally_insert": """
        CREATE TRIGGER trg_outbox_tally_insert AFTER INSERT ON outbox_events
        WHEN NEW.status = 'pending'
        BEGIN
            UPDATE outbox_tally SET pending = pending + 1 WHERE id = 1;
        END""",
    "trg_outbox_tally_update": """
        CREATE TRIGGER trg_outbox_tally_update AFTER UPDATE OF status ON outbox_events
        WHEN (OLD.status = 'pending') <> (NEW.status = 'pending')
        BEGIN
            UPDATE outbox_tally
            SET pending = pending + (CASE WHEN NEW.status = 'pending' THEN 1 ELSE -1 END)
            WHERE id = 1;
        END""",
    "trg_outbox_tally_delete": """
        CREATE TRIGGER trg_outbox_tally_delete AFTER DELETE ON outbox_events
        WHEN OLD.status = 'pending'
        BEGIN
            UPDATE outbox_tally SET pending = pending - 1 WHERE id = 1;
        END""",
}


def upgrade() -> None:
    op.create_table(
        "outbox_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_outbox_tally_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_tally")),
    )
    op.execute(
        "INSERT INTO outbox_tally (id, pending) "
        "SELECT 1, count(*) FROM outbox_events WHERE status = 'pending'"
    )
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("outbox_tally")
