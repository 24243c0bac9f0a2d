"""Returns and closed business days from the tills: ``ticket.refunded`` and
``shift.closed``, each stored once per store.

Revision ID: 0005_shift
Revises: 0004_admin_pages
Create Date: 2026-11-30 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_shift"
down_revision: str | Sequence[str] | None = "0004_admin_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.String(length=40)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sale_refunds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.String(length=128), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("refund_of", sa.String(length=128), nullable=False),
        sa.Column("refund_of_number", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("restored_codes", sa.JSON(), nullable=False),
        sa.Column("refunded_at", WHEN, nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["received_events.id"],
            name=op.f("fk_sale_refunds_event_id_received_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_refunds")),
        sa.UniqueConstraint("event_id", name=op.f("uq_sale_refunds_event_id")),
        sa.UniqueConstraint(
            "store_id", "refund_id", name=op.f("uq_sale_refunds_store_id_refund_id")
        ),
    )
    with op.batch_alter_table("sale_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_refunds_refund_of"), ["refund_of"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_refunds_store_id"), ["store_id"], unique=False)
    op.create_table(
        "shift_closings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.String(length=128), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("sales", MONEY, nullable=False),
        sa.Column("returns", MONEY, nullable=False),
        sa.Column("net", MONEY, nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("opened_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["received_events.id"],
            name=op.f("fk_shift_closings_event_id_received_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_closings")),
        sa.UniqueConstraint("event_id", name=op.f("uq_shift_closings_event_id")),
        sa.UniqueConstraint(
            "store_id", "shift_id", name=op.f("uq_shift_closings_store_id_shift_id")
        ),
    )
    with op.batch_alter_table("shift_closings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_closings_store_id"), ["store_id"], unique=False)


def downgrade() -> None:
    op.drop_table("shift_closings")
    op.drop_table("sale_refunds")
