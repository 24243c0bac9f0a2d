"""Members in the back office: the stores a store manager looks after, and the audit of
member edits (who, when, before and after).

Revision ID: 0009_members
Revises: 0008_till_numbers
Create Date: 2026-12-07 16:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_members"
down_revision: str | Sequence[str] | None = "0010_till_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("admin_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("store_ids", sa.JSON(), nullable=True))
    op.create_table(
        "member_edits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=254), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_edits")),
    )
    with op.batch_alter_table("member_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_edits_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("member_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_edits_member_id"))
    op.drop_table("member_edits")
    with op.batch_alter_table("admin_users", schema=None) as batch_op:
        batch_op.drop_column("store_ids")
