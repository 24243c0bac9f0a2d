"""Coupon packs (K1-K11): packs, distributions, gifts, purchases, refunds, grants, issued coupons.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:34:52.388617
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coupon_packs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("subsequent_content", sa.JSON(), nullable=True),
        sa.Column("distribution_method", sa.String(length=16), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("cycles", sa.Integer(), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("sales_first_day", sa.Date(), nullable=True),
        sa.Column("sales_last_day", sa.Date(), nullable=True),
        sa.Column("price", sa.String(length=40), nullable=True),
        sa.Column("inventory_limit", sa.Integer(), nullable=True),
        sa.Column("sold_count", sa.Integer(), nullable=False),
        sa.Column("store_ids", sa.JSON(), nullable=False),
        sa.Column("redirect_url", sa.Text(), nullable=True),
        sa.Column("auto_refund", sa.Boolean(), nullable=False),
        sa.Column("limit_total", sa.Integer(), nullable=True),
        sa.Column("limit_daily", sa.Integer(), nullable=True),
        sa.Column("copied_from", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coupon_packs")),
    )
    with op.batch_alter_table("coupon_packs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coupon_packs_pack_type"), ["pack_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_coupon_packs_status"), ["status"], unique=False)

    op.create_table(
        "pack_distributions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=128), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["coupon_packs.id"],
            name=op.f("fk_pack_distributions_pack_id_coupon_packs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_distributions")),
        sa.UniqueConstraint(
            "pack_id", "request_key", name=op.f("uq_pack_distributions_pack_id_request_key")
        ),
    )
    with op.batch_alter_table("pack_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pack_distributions_pack_id"), ["pack_id"], unique=False
        )

    op.create_table(
        "pack_gifts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("gifted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gifted_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_gifts_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_gifts")),
    )
    with op.batch_alter_table("pack_gifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_gifts_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_gifts_pack_id"), ["pack_id"], unique=False)

    op.create_table(
        "pack_purchases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("order_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("price", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("auto_refund", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_purchases_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_purchases")),
        sa.UniqueConstraint("order_id", name=op.f("uq_pack_purchases_order_id")),
    )
    with op.batch_alter_table("pack_purchases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_purchases_pack_id"), ["pack_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pack_purchases_pack_id_member_id_local_date"),
            ["pack_id", "member_id", "local_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_pack_purchases_status"), ["status"], unique=False)

    op.create_table(
        "pack_grants",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("distribution_id", sa.Integer(), nullable=True),
        sa.Column("gift_id", sa.Integer(), nullable=True),
        sa.Column("purchase_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cycles", sa.Integer(), nullable=False),
        sa.Column("next_cycle", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["distribution_id"],
            ["pack_distributions.id"],
            name=op.f("fk_pack_grants_distribution_id_pack_distributions"),
        ),
        sa.ForeignKeyConstraint(
            ["gift_id"], ["pack_gifts.id"], name=op.f("fk_pack_grants_gift_id_pack_gifts")
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_grants_pack_id_coupon_packs")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["pack_purchases.id"],
            name=op.f("fk_pack_grants_purchase_id_pack_purchases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_grants")),
        sa.UniqueConstraint(
            "distribution_id", "member_id", name=op.f("uq_pack_grants_distribution_id_member_id")
        ),
        sa.UniqueConstraint("purchase_id", name=op.f("uq_pack_grants_purchase_id")),
    )
    with op.batch_alter_table("pack_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_grants_gift_id"), ["gift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_grants_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pack_grants_next_due_at"), ["next_due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pack_grants_pack_id"), ["pack_id"], unique=False)

    op.create_table(
        "pack_refunds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("purchase_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["pack_purchases.id"],
            name=op.f("fk_pack_refunds_purchase_id_pack_purchases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_refunds")),
        sa.UniqueConstraint("purchase_id", name=op.f("uq_pack_refunds_purchase_id")),
    )
    op.create_table(
        "pack_issuances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["pack_grants.id"], name=op.f("fk_pack_issuances_grant_id_pack_grants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_issuances")),
        sa.UniqueConstraint("grant_id", "cycle", name=op.f("uq_pack_issuances_grant_id_cycle")),
    )
    op.create_table(
        "pack_coupons",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("issuance_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=128), nullable=False),
        sa.Column("coupon_code", sa.String(length=128), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["pack_grants.id"], name=op.f("fk_pack_coupons_grant_id_pack_grants")
        ),
        sa.ForeignKeyConstraint(
            ["issuance_id"],
            ["pack_issuances.id"],
            name=op.f("fk_pack_coupons_issuance_id_pack_issuances"),
        ),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["coupon_packs.id"], name=op.f("fk_pack_coupons_pack_id_coupon_packs")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_pack_coupons")),
    )
    with op.batch_alter_table("pack_coupons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_coupons_grant_id"), ["grant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_coupons_pack_id"), ["pack_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pack_coupons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_coupons_pack_id"))
        batch_op.drop_index(batch_op.f("ix_pack_coupons_grant_id"))

    op.drop_table("pack_coupons")
    op.drop_table("pack_issuances")
    op.drop_table("pack_refunds")
    with op.batch_alter_table("pack_grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_grants_pack_id"))
        batch_op.drop_index(batch_op.f("ix_pack_grants_next_due_at"))
        batch_op.drop_index(batch_op.f("ix_pack_grants_member_id"))
        batch_op.drop_index(batch_op.f("ix_pack_grants_gift_id"))

    op.drop_table("pack_grants")
    with op.batch_alter_table("pack_purchases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_purchases_status"))
        batch_op.drop_index(batch_op.f("ix_pack_purchases_pack_id_member_id_local_date"))
        batch_op.drop_index(batch_op.f("ix_pack_purchases_pack_id"))

    op.drop_table("pack_purchases")
    with op.batch_alter_table("pack_gifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_gifts_pack_id"))
        batch_op.drop_index(batch_op.f("ix_pack_gifts_member_id"))

    op.drop_table("pack_gifts")
    with op.batch_alter_table("pack_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_distributions_pack_id"))

    op.drop_table("pack_distributions")
    with op.batch_alter_table("coupon_packs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coupon_packs_status"))
        batch_op.drop_index(batch_op.f("ix_coupon_packs_pack_type"))

    op.drop_table("coupon_packs")
