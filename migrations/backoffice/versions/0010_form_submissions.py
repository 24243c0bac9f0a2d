"""One-time form tokens: each admin form post is claimed once by its token; a repeat is
sent to the page the first post led to.

Revision ID: 0010_form_submissions
Revises: 0009_record_archive
Create Date: 2026-12-07 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_form_submissions"
down_revision: str | Sequence[str] | None = "0009_record_archive"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result_url", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_form_submissions")),
    )
    op.create_index(
        op.f("ix_form_submissions_submitted_at"),
        "form_submissions",
        ["submitted_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_form_submissions_submitted_at"), table_name="form_submissions")
    op.drop_table("form_submissions")
