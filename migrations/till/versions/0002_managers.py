"""Manager mode: manager PINs (salted hashes), the wrong-PIN lockout, cashier permissions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cashier_permissions",
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("manager", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("action", name=op.f("pk_cashier_permissions")),
    )
    op.create_table(
        "manager_accounts",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("pin_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_manager_accounts")),
    )
    op.create_table(
        "pin_guard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.String(length=40), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_pin_guard_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pin_guard")),
    )


def downgrade() -> None:
    op.drop_table("pin_guard")
    op.drop_table("manager_accounts")
    op.drop_table("cashier_permissions")
