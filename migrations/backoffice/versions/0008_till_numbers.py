"""Till numbers: each enrolled till gets a number within its store (1, 2, ...), the
middle part of its short ticket numbers ("D1-02-000147"); devices enrolled before are
numbered in the order they enrolled.

Revision ID: 0008_till_numbers
Revises: 0007_pack_sales
Create Date: 2026-12-06 15:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_till_numbers"
down_revision: str | Sequence[str] | None = "0007_pack_sales"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("till_number", sa.Integer(), nullable=True))
    connection = op.get_bind()
    devices = sa.table(
        "devices",
        sa.column("device_id", sa.String()),
        sa.column("store_id", sa.String()),
        sa.column("enrolled_at", sa.DateTime()),
        sa.column("till_number", sa.Integer()),
    )
    rows = connection.execute(
        sa.select(devices.c.device_id, devices.c.store_id).order_by(
            devices.c.store_id, devices.c.enrolled_at, devices.c.device_id
        )
    ).all()
    numbers: dict[str, int] = {}
    for device_id, store_id in rows:
        numbers[store_id] = numbers.get(store_id, 0) + 1
        connection.execute(
            sa.update(devices)
            .where(devices.c.device_id == device_id)
            .values(till_number=numbers[store_id])
        )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_devices_store_id_till_number"), ["store_id", "till_number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_devices_store_id_till_number"), type_="unique")
        batch_op.drop_column("till_number")
