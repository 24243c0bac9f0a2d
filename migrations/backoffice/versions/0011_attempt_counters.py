"""Rate limits at sign-in and enrollment: failures per account, code and client address,
and the lockouts an administrator sees and lifts.

Revision ID: 0011_attempt_counters
Revises: 0010_form_submissions
Create Date: 2026-12-07 16:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_attempt_counters"
down_revision: str | Sequence[str] | None = "0010_form_submissions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attempt_counters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("door", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=256), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_counters")),
        sa.UniqueConstraint(
            "door", "subject", "key", name=op.f("uq_attempt_counters_door_subject_key")
        ),
    )
    op.create_index(op.f("ix_attempt_counters_locked_until"), "attempt_counters", ["locked_until"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attempt_counters_locked_until"), table_name="attempt_counters")
    op.drop_table("attempt_counters")
