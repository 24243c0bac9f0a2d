"""The till through a whole shift: shifts and short ticket numbers, parked tickets,
taxes (a rate per item, inclusive or exclusive stores), barcodes, returns and the
coupons they give back, and the till's number in its store.

Revision ID: 0005_shift
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_shift"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.String(length=32)
INSTANT = sa.String(length=40)


def upgrade() -> None:
    with op.batch_alter_table("catalog_items") as batch:
        batch.add_column(
            sa.Column("tax_rate", sa.String(length=16), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("barcode", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_catalog_items_barcode"), ["barcode"], unique=False)
    with op.batch_alter_table("stores") as batch:
        batch.add_column(
            sa.Column("tax_inclusive", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("till_number", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "shifts",
        sa.Column("shift_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("closed_at", INSTANT, nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("counted_cash", MONEY, nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("shift_id", name=op.f("pk_shifts")),
    )
    op.create_table(
        "ticket_headers",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=True),
        sa.Column("member_name", sa.String(length=200), nullable=True),
        sa.Column("tax_inclusive", sa.Boolean(), nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.shift_id"],
            name=op.f("fk_ticket_headers_shift_id_shifts"),
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_headers")),
        sa.UniqueConstraint("shift_id", "number", name=op.f("uq_ticket_headers_shift_id")),
    )
    with op.batch_alter_table("ticket_headers") as batch:
        batch.create_index(batch.f("ix_ticket_headers_number"), ["number"], unique=False)
        batch.create_index(batch.f("ix_ticket_headers_shift_id"), ["shift_id"], unique=False)
    op.create_table(
        "parked_tickets",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("opened_at", INSTANT, nullable=False),
        sa.Column("parked_at", INSTANT, nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("payments", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_parked_tickets")),
    )
    op.create_table(
        "line_taxes",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("rate", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "line_id", name=op.f("pk_line_taxes")),
    )
    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.Column("refunded_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["shifts.shift_id"], name=op.f("fk_refunds_shift_id_shifts")
        ),
        sa.PrimaryKeyConstraint("refund_id", name=op.f("pk_refunds")),
    )
    with op.batch_alter_table("refunds") as batch:
        batch.create_index(batch.f("ix_refunds_shift_id"), ["shift_id"], unique=False)
        batch.create_index(batch.f("ix_refunds_ticket_id"), ["ticket_id"], unique=False)
    op.create_table(
        "refund_lines",
        sa.Column("refund_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("tax", MONEY, nullable=False),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refunds.refund_id"],
            name=op.f("fk_refund_lines_refund_id_refunds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("refund_id", "line_id", name=op.f("pk_refund_lines")),
    )
    op.create_table(
        "coupon_reversals",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("refund_id", sa.String(length=36), nullable=False),
        sa.Column("reversed_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["refund_id"],
            ["refunds.refund_id"],
            name=op.f("fk_coupon_reversals_refund_id_refunds"),
        ),
        sa.PrimaryKeyConstraint("ticket_id", "code", name=op.f("pk_coupon_reversals")),
    )


def downgrade() -> None:
    op.drop_table("coupon_reversals")
    op.drop_table("refund_lines")
    op.drop_table("refunds")
    op.drop_table("line_taxes")
    op.drop_table("parked_tickets")
    op.drop_table("ticket_headers")
    op.drop_table("shifts")
    with op.batch_alter_table("device") as batch:
        batch.drop_column("till_number")
    with op.batch_alter_table("stores") as batch:
        batch.drop_column("tax_inclusive")
    with op.batch_alter_table("catalog_items") as batch:
        batch.drop_index(batch.f("ix_catalog_items_barcode"))
        batch.drop_column("barcode")
        batch.drop_column("tax_rate")
