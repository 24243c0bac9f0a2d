"""Pack sales at the tills (COUPON-PACK-RULES K12-K15): each till's units of limited
packs, its blocks of coupon codes, online reservations, and every pack sale uploaded.

Revision ID: 0007_pack_sales
Revises: 0006_chain_scale
Create Date: 2026-11-30 10:35:01.684210
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pack_sales"
down_revision: str | Sequence[str] | None = "0006_chain_scale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pack_code_blocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_code_blocks")),
    )
    with op.batch_alter_table("pack_code_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pack_code_blocks_device_id"), ["device_id"], unique=False
        )

    op.create_table(
        "pack_allotments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_allotments_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_allotments")),
        sa.UniqueConstraint(
            "pack_id", "device_id", name=op.f("uq_pack_allotments_pack_id_device_id")
        ),
    )
    with op.batch_alter_table("pack_allotments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_allotments_pack_id"), ["pack_id"], unique=False)

    op.create_table(
        "pack_reservations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reservation_key", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("granted", sa.Integer(), nullable=True),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_reservations_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_reservations")),
        sa.UniqueConstraint("reservation_key", name=op.f("uq_pack_reservations_reservation_key")),
    )
    with op.batch_alter_table("pack_reservations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_reservations_pack_id"), ["pack_id"], unique=False)

    op.create_table(
        "till_pack_sales",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("pack_name", sa.String(length=256), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("price", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("sold_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("reservation_key", sa.String(length=36), nullable=True),
        sa.Column("coupons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("conflict_key", sa.String(length=64), nullable=True),
        sa.Column("purchase_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refund_amount", sa.String(length=40), nullable=True),
        sa.Column("refund_method", sa.String(length=16), nullable=True),
        sa.Column("refunded_by", sa.String(length=128), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refund_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["received_events.id"],
            name=op.f("fk_till_pack_sales_event_id_received_events"),
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_till_pack_sales_pack_id_coupon_packs")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["pack_purchases.id"],
            name=op.f("fk_till_pack_sales_purchase_id_pack_purchases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_pack_sales")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_till_pack_sales_sale_id")),
    )
    with op.batch_alter_table("till_pack_sales", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_till_pack_sales_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_till_pack_sales_pack_id"), ["pack_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_till_pack_sales_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_till_pack_sales_store_id"), ["store_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("till_pack_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_till_pack_sales_store_id"))
        batch_op.drop_index(batch_op.f("ix_till_pack_sales_status"))
        batch_op.drop_index(batch_op.f("ix_till_pack_sales_pack_id"))
        batch_op.drop_index(batch_op.f("ix_till_pack_sales_member_id"))

    op.drop_table("till_pack_sales")
    with op.batch_alter_table("pack_reservations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_reservations_pack_id"))

    op.drop_table("pack_reservations")
    with op.batch_alter_table("pack_allotments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_allotments_pack_id"))

    op.drop_table("pack_allotments")
    with op.batch_alter_table("pack_code_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_code_blocks_device_id"))

    op.drop_table("pack_code_blocks")
