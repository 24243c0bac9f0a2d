"""Entitlement packs: the pack that issued a member's coupon (``pack_id``, ``pack_name``),
so member lookup can show a member's packs. Both nullable: a coupon not from a pack
has neither, and rows synced before this revision get them on their next download.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entitlements") as batch:
        batch.add_column(sa.Column("pack_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pack_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entitlements") as batch:
        batch.drop_column("pack_name")
        batch.drop_column("pack_id")
