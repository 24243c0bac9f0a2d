"""Members' phone numbers kept only as keyed digests: a phone key is made for the till (the
chain's replaces it when the back office delivers it), every stored number is turned
into its digests and its last four digits, and the numbers themselves are dropped.

Revision ID: 0008_member_phone_digests
Revises: 0008_staff
Create Date: 2026-12-07 17:00:00.000000
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pos_app.protocol.phone_keys import last_four, phone_digests

revision: str = "0008_member_phone_digests"
down_revision: str | None = "0008_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_members = sa.table(
    "members",
    sa.column("member_id", sa.String()),
    sa.column("phone", sa.String()),
    sa.column("phone_digests", sa.Text()),
    sa.column("phone_last4", sa.String()),
)


def upgrade() -> None:
    secrets_table = op.create_table(
        "till_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_till_secrets")),
    )
    key = secrets.token_hex(32)
    op.bulk_insert(secrets_table, [{"name": "phone_key", "value": key}])
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone_digests", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("phone_last4", sa.String(length=4), nullable=False, server_default="")
        )
    connection = op.get_bind()
    rows = connection.execute(sa.select(_members.c.member_id, _members.c.phone)).all()
    for member_id, phone in rows:
        connection.execute(
            _members.update()
            .where(_members.c.member_id == member_id)
            .values(
                phone_digests=phone_digests(bytes.fromhex(key), phone or ""),
                phone_last4=last_four(phone or ""),
            )
        )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("phone")


def downgrade() -> None:
    # The numbers are gone for good: the next snapshot brings them back from the back office.
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone", sa.String(length=50), nullable=False, server_default="")
        )
        batch_op.drop_column("phone_last4")
        batch_op.drop_column("phone_digests")
    op.drop_table("till_secrets")
