"""People at the till: staff (cashiers and managers, from the back office or added at
the till; the managers of ``manager_accounts`` move in), sign-ins, the drawer's cash
moves, approvals, who closed each ticket, a return's reason and approver, and the
store's return limit.

Revision ID: 0008_staff
Revises: 0008_lifetime_numbers
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_staff"
down_revision: str | None = "0008_lifetime_numbers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.String(length=32)
INSTANT = sa.String(length=40)


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("staff_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("failed_pins", sa.Integer(), nullable=False),
        sa.Column("locked_until", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_members")),
    )
    op.create_index(op.f("ix_staff_members_name"), "staff_members", ["name"], unique=False)
    op.execute(
        "INSERT INTO staff_members (staff_id, name, role, pin_hash, source, failed_pins)"
        " SELECT 'local:' || name, name, 'manager', pin_hash, 'local', 0 FROM manager_accounts"
    )
    op.drop_table("manager_accounts")
    op.create_table(
        "staff_sign_ins",
        sa.Column("sign_in_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("staff_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("signed_in_at", INSTANT, nullable=False),
        sa.Column("signed_out_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("sign_in_id", name=op.f("pk_staff_sign_ins")),
    )
    op.create_table(
        "cash_moves",
        sa.Column("move_id", sa.String(length=36), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("cashier", sa.String(length=100), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("moved_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.shift_id"], name=op.f("fk_cash_moves_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("move_id", name=op.f("pk_cash_moves")),
    )
    op.create_index(op.f("ix_cash_moves_shift_id"), "cash_moves", ["shift_id"], unique=False)
    op.create_table(
        "approvals",
        sa.Column("approval_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("cashier", sa.String(length=100), nullable=False),
        sa.Column("manager", sa.String(length=100), nullable=False),
        sa.Column("approved_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("approval_id", name=op.f("pk_approvals")),
    )
    # Plain ADD COLUMN (no table copied): ticket_headers keeps the partial unique index
    # of numbers for life (0008_lifetime_numbers) and every foreign key as it is.
    op.add_column("ticket_headers", sa.Column("cashier", sa.String(length=100), nullable=True))
    op.add_column(
        "refunds", sa.Column("reason", sa.String(length=64), nullable=False, server_default="")
    )
    op.add_column("refunds", sa.Column("approved_by", sa.String(length=100), nullable=True))
    op.add_column("stores", sa.Column("return_approval_limit", MONEY, nullable=True))


def downgrade() -> None:
    # SQLite drops plain columns in place (3.35+), as 0008_lifetime_numbers does.
    for table, column in (
        ("stores", "return_approval_limit"),
        ("refunds", "approved_by"),
        ("refunds", "reason"),
        ("ticket_headers", "cashier"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("approvals")
    op.drop_index(op.f("ix_cash_moves_shift_id"), table_name="cash_moves")
    op.drop_table("cash_moves")
    op.drop_table("staff_sign_ins")
    op.create_table(
        "manager_accounts",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("pin_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("updated_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_manager_accounts")),
    )
    op.execute(
        "INSERT INTO manager_accounts (name, pin_hash, created_at, updated_at)"
        " SELECT name, MIN(pin_hash), '1970-01-01T00:00:00+00:00', '1970-01-01T00:00:00+00:00'"
        " FROM staff_members WHERE role = 'manager' GROUP BY name"
    )
    op.drop_index(op.f("ix_staff_members_name"), table_name="staff_members")
    op.drop_table("staff_members")
