"""Coupon packs at the till (COUPON-PACK-RULES K12-K15): the packs the back office sells
with an order, the purchases it confirmed, this till's quotas and code blocks, and the
packs this till sold and refunded; the member a ticket is for.

Revision ID: 0007_pack_sales
Revises: 0006_chain_scale
Create Date: 2026-11-30 10:59:12.257607
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pack_sales"
down_revision: str | None = "0006_chain_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pack_allotments",
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("pack_id", name=op.f("pk_pack_allotments")),
    )
    op.create_table(
        "pack_code_blocks",
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("next_index", sa.Integer(), nullable=False),
        sa.Column("reserved_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_pack_code_blocks")),
    )
    op.create_table(
        "pack_purchases",
        sa.Column("purchase_id", sa.String(length=128), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_pack_purchases")),
    )
    with op.batch_alter_table("pack_purchases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pack_purchases_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "pack_sales",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("pack_name", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("price", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("sold_at", sa.String(length=40), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("event_key", sa.String(length=36), nullable=False),
        sa.Column("coupons", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_pack_sales")),
        sa.UniqueConstraint("event_key", name=op.f("uq_pack_sales_event_key")),
    )
    with op.batch_alter_table("pack_sales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_sales_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_sales_pack_id"), ["pack_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_sales_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "packs",
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price", sa.String(length=32), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pack_id", name=op.f("pk_packs")),
    )
    op.create_table(
        "pack_refunds",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("manager", sa.String(length=100), nullable=False),
        sa.Column("refunded_at", sa.String(length=40), nullable=False),
        sa.Column("conflict_key", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["pack_sales.sale_id"], name=op.f("fk_pack_refunds_sale_id_pack_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_pack_refunds")),
    )


def downgrade() -> None:
    op.drop_table("pack_refunds")
    op.drop_table("packs")
    with op.batch_alter_table("pack_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_sales_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_pack_sales_pack_id"))
        batch_op.drop_index(batch_op.f("ix_pack_sales_member_id"))

    op.drop_table("pack_sales")
    with op.batch_alter_table("pack_purchases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_purchases_member_id"))

    op.drop_table("pack_purchases")
    op.drop_table("pack_code_blocks")
    op.drop_table("pack_allotments")
