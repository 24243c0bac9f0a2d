"""Snapshot downloads (issue 10, S16): the records a snapshot under way has sent, so its
last page can remove what the back office no longer holds.

Revision ID: 0006_chain_scale
Revises: 0005_shift
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_chain_scale"
down_revision: str | None = "0005_shift"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "snapshot_keys",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", name=op.f("pk_snapshot_keys")),
    )


def downgrade() -> None:
    op.drop_table("snapshot_keys")
