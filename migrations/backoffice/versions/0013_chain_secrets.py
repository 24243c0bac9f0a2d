"""The chain's secrets: the phone key tills make members' phone digests with.

Revision ID: 0013_chain_secrets
Revises: 0012_token_grace
Create Date: 2026-12-07 17:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_chain_secrets"
down_revision: str | Sequence[str] | None = "0012_token_grace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chain_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_chain_secrets")),
    )


def downgrade() -> None:
    op.drop_table("chain_secrets")
