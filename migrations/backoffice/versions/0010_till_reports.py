"""Till reports: what each till said at its last ping (software version, outbox depth,
parked events, when), for the operators' fleet page (issue 18). Tills that never
reported keep NULLs.

Revision ID: 0010_till_reports
Revises: 0009_sale_anomalies
Create Date: 2026-12-07 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_till_reports"
down_revision: str | Sequence[str] | None = "0009_sale_anomalies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("software_version", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("outbox_depth", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("parked_events", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("reported_at")
        batch_op.drop_column("parked_events")
        batch_op.drop_column("outbox_depth")
        batch_op.drop_column("software_version")
