"""Share-page purchases: the one-time codes a buyer proves their phone with (mall_codes).

Revision ID: 0009_mall_codes
Revises: 0008_till_numbers
Create Date: 2026-12-07 16:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_mall_codes"
down_revision: str | Sequence[str] | None = "0008_till_numbers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mall_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=96), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_mall_codes_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mall_codes")),
    )
    op.create_index("ix_mall_codes_phone_sent", "mall_codes", ["phone", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_mall_codes_phone_sent", table_name="mall_codes")
    op.drop_table("mall_codes")
