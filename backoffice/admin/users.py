"""Administrator accounts and their signed-in browser sessions (the admin pages' sign-in).

An account is an e-mail address, a scrypt password hash and a role (``group_admin``
may manage packs and promotions, K1; ``store_manager`` may sign in but not manage
them; it sees the members' activity at the stores it looks after, ``store_ids``). A
session is a random cookie value, stored only as its SHA-256 hash, with
its own CSRF token that every form POST must send back.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.admin.passwords import hash_password, password_problem, verify_password
from backoffice.chain.change_log import find_record
from backoffice.models.admin_users import AdminSession, AdminUser
from backoffice.trust.admin_tokens import GROUP_ADMIN
from backoffice.trust.token_secrets import new_token, secret_hash
from pos_app.protocol.bounds import text_problem

STORE_MANAGER = "store_manager"
USER_ROLES = (GROUP_ADMIN, STORE_MANAGER)
SESSION_LIFETIME = timedelta(hours=12)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Checked against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_UNKNOWN_USER_HASH = hash_password(secrets.token_urlsafe(16))


class AdminUserError(ValueError):
    """An account cannot be created as asked; ``field`` names the input at fault."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to, and the CSRF token its forms carry."""

    user_id: int
    email: str
    role: str
    csrf_token: str
    store_ids: tuple[str, ...] = ()

    @property
    def is_group_admin(self) -> bool:
        return self.role == GROUP_ADMIN

    def sees_store(self, store_id: str) -> bool:
        """Whether this account sees what happened at ``store_id``: a group administrator
        sees every store, a store manager the stores they look after."""
        return self.is_group_admin or store_id in self.store_ids


def normalize_email(email: str) -> str:
    """E-mail addresses compare without surrounding spaces and case."""
    return email.strip().lower()


def add_admin_user(
    session: Session,
    email: str,
    password: str,
    *,
    role: str,
    now: datetime,
    store_ids: tuple[str, ...] = (),
) -> AdminUser:
    """A new account; refuses a malformed or taken address, a weak password, an unknown
    role, and stores that are unknown or given to a group administrator (who sees all)."""
    address = normalize_email(email)
    if not _EMAIL.match(address) or len(address) > 254:
        raise AdminUserError("email", f"{email!r} is not an e-mail address")
    if role not in USER_ROLES:
        raise AdminUserError("role", f"must be one of {', '.join(USER_ROLES)}")
    problem = password_problem(password)
    if problem:
        raise AdminUserError("password", problem)
    if store_ids and role != STORE_MANAGER:
        raise AdminUserError("store", "only a store manager looks after chosen stores")
    for store_id in store_ids:
        store = find_record(session, "store", store_id)
        if store is None or store.deleted:
            raise AdminUserError("store", f"there is no store {store_id!r}")
    if session.scalar(select(AdminUser).where(AdminUser.email == address)) is not None:
        raise AdminUserError("email", f"{address} already has an account")
    user = AdminUser(
        email=address,
        password_hash=hash_password(password),
        role=role,
        store_ids=list(dict.fromkeys(store_ids)) if role == STORE_MANAGER else None,
        created_at=now,
        disabled_at=None,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> AdminUser | None:
    """The enabled account with this address and password, else ``None`` (also for an
    address holding text no account can have: a NUL, a lone surrogate)."""
    if text_problem(email) is not None:
        verify_password(password, _UNKNOWN_USER_HASH)  # the same time as a wrong address
        return None
    user = session.scalar(select(AdminUser).where(AdminUser.email == normalize_email(email)))
    if user is None or user.disabled_at is not None:
        verify_password(password, _UNKNOWN_USER_HASH)
        return None
    return user if verify_password(password, user.password_hash) else None


def start_session(session: Session, user: AdminUser, now: datetime) -> str:
    """A new session for ``user``; returns the cookie value (kept nowhere else)."""
    token = new_token()
    session.add(
        AdminSession(
            token_hash=secret_hash(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
            ended_at=None,
        )
    )
    return token


def find_session(session: Session, token: str, now: datetime) -> SignedIn | None:
    """Who the cookie value ``token`` signs in, if its session is live and the account enabled."""
    found = session.execute(
        select(AdminSession, AdminUser)
        .join(AdminUser, AdminUser.id == AdminSession.user_id)
        .where(AdminSession.token_hash == secret_hash(token))
    ).first()
    if found is None:
        return None
    live, user = found
    if live.ended_at is not None or live.expires_at <= now or user.disabled_at is not None:
        return None
    stores = tuple(str(store_id) for store_id in user.store_ids or ())
    return SignedIn(user.id, user.email, user.role, live.csrf_token, stores)


def end_session(session: Session, token: str, now: datetime) -> None:
    """Sign out: the session's cookie opens nothing any more."""
    live = session.scalar(select(AdminSession).where(AdminSession.token_hash == secret_hash(token)))
    if live is not None and live.ended_at is None:
        live.ended_at = now


def csrf_matches(signed_in: SignedIn, given: str | None) -> bool:
    """Whether a form or request sent back this session's CSRF token."""
    return bool(given) and hmac.compare_digest(signed_in.csrf_token, str(given))
