"""Chain scale (issue 10): 64-bit device sequence numbers, per-store change-log reads,
the compaction horizon, device token expiry and rotation, deferred redemption publishing.

Revision ID: 0006_chain_scale
Revises: 0005_shift
Create Date: 2026-11-30 10:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_chain_scale"
down_revision: str | Sequence[str] | None = "0005_shift"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log_horizon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compacted_through", sa.BigInteger(), nullable=False),
        sa.Column("compacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log_horizon")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_store_id"))
        batch_op.create_index(
            batch_op.f("ix_change_log_store_id_seq"), ["store_id", "seq"], unique=False
        )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_store_id"))
        batch_op.create_index(
            batch_op.f("ix_records_store_id_last_seq"), ["store_id", "last_seq"], unique=False
        )
    with op.batch_alter_table("sale_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sale_tickets_store_id"))
        batch_op.drop_index(batch_op.f("ix_sale_tickets_ticket_id"))
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.alter_column(
            "device_seq", existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True
        )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.alter_column(
            "resolved_by",
            existing_type=sa.String(length=128),
            type_=sa.String(length=256),
            existing_nullable=True,
        )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_issued_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("token_expires_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("next_token_hash", sa.String(length=64)))
        batch_op.add_column(sa.Column("next_token_expires_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True)))
        batch_op.create_unique_constraint(
            batch_op.f("uq_devices_next_token_hash"), ["next_token_hash"]
        )
    with op.batch_alter_table("redeemed_codes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_redeemed_codes_published"), ["published"])


def downgrade() -> None:
    with op.batch_alter_table("redeemed_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redeemed_codes_published"))
        batch_op.drop_column("published")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_devices_next_token_hash"), type_="unique")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("next_token_expires_at")
        batch_op.drop_column("next_token_hash")
        batch_op.drop_column("token_expires_at")
        batch_op.drop_column("token_issued_at")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.alter_column(
            "resolved_by",
            existing_type=sa.String(length=256),
            type_=sa.String(length=128),
            existing_nullable=True,
        )
    with op.batch_alter_table("received_events", schema=None) as batch_op:
        batch_op.alter_column(
            "device_seq", existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True
        )
    with op.batch_alter_table("sale_tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sale_tickets_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sale_tickets_store_id"), ["store_id"], unique=False)
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_store_id_last_seq"))
        batch_op.create_index(batch_op.f("ix_records_store_id"), ["store_id"], unique=False)
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_store_id_seq"))
        batch_op.create_index(batch_op.f("ix_change_log_store_id"), ["store_id"], unique=False)
    op.drop_table("change_log_horizon")
