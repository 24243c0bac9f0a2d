"""Refunds of whole packs asked for by a person: who refunded and why.

Revision ID: 0010_pack_refunds
Revises: 0009_members
Create Date: 2026-12-07 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_pack_refunds"
down_revision: str | Sequence[str] | None = "0009_members"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pack_refunds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "refunded_by", sa.String(length=254), server_default="scheduler", nullable=False
            )
        )
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pack_refunds", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("refunded_by")
