"""Admin tokens (S12): bearer tokens for group administrators and other callers of the
admin and mall APIs, each with a name and a role. Only their hashes are stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.models.trust import AdminToken
from backoffice.trust.token_secrets import new_token, secret_hash

GROUP_ADMIN = "group_admin"


@dataclass(frozen=True)
class AdminIdentity:
    """Who an admin token speaks for."""

    name: str
    role: str


def issue_admin_token(session: Session, name: str, now: datetime, role: str = GROUP_ADMIN) -> str:
    """A new admin token for ``name``; only its hash is stored."""
    token = new_token()
    session.add(AdminToken(name=name, role=role, token_hash=secret_hash(token), created_at=now))
    return token


def find_admin(session: Session, token: str) -> AdminIdentity | None:
    """The unrevoked admin token ``token``, if any."""
    admin = session.scalar(
        select(AdminToken).where(
            AdminToken.token_hash == secret_hash(token), AdminToken.revoked_at.is_(None)
        )
    )
    return None if admin is None else AdminIdentity(name=admin.name, role=admin.role)
