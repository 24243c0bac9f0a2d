"""Archived records: a coupon, promotion, store or item that packs, entitlements, sales
or tills use is archived rather than deleted (kept on the tills, marked here).

Revision ID: 0009_record_archive
Revises: 0010_pack_refunds
Create Date: 2026-12-07 16:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_record_archive"
down_revision: str | Sequence[str] | None = "0010_pack_refunds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_by", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("archived_by")
        batch_op.drop_column("archived_at")
