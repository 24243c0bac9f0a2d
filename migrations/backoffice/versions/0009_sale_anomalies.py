"""Sale anomalies: a received sale that does not add up, or names a currency, till, item
or coupon the back office does not know, is kept with its reasons and held out of clean
revenue until an administrator accepts it (issue 18).

Revision ID: 0009_sale_anomalies
Revises: 0008_till_numbers
Create Date: 2026-12-07 16:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sale_anomalies"
down_revision: str | Sequence[str] | None = "0009_sale_numbers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sale_anomalies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("detected_at", WHEN, nullable=False),
        sa.Column("accepted_at", WHEN, nullable=True),
        sa.Column("accepted_by", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sale_tickets.id"], name=op.f("fk_sale_anomalies_sale_id_sale_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_anomalies")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_sale_anomalies_sale_id")),
    )
    with op.batch_alter_table("sale_anomalies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_anomalies_store_id"), ["store_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sale_anomalies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_anomalies_store_id"))
    op.drop_table("sale_anomalies")
