"""Idempotent token rotation: the new token is derived from the old one and a nonce (a
repeated ping gets the same one), and the old token stays good for a grace window after
the new one is first used.

Revision ID: 0012_token_grace
Revises: 0011_attempt_counters
Create Date: 2026-12-07 16:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_token_grace"
down_revision: str | Sequence[str] | None = "0011_attempt_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rotation_nonce", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("previous_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("previous_token_valid_until", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_devices_previous_token_hash"), ["previous_token_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_devices_previous_token_hash"), type_="unique")
        batch_op.drop_column("previous_token_valid_until")
        batch_op.drop_column("previous_token_hash")
        batch_op.drop_column("rotation_nonce")
