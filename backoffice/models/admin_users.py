"""Who may sign in to the admin pages: administrator accounts and their browser sessions.

Passwords are kept only as scrypt hashes (:mod:`backoffice.admin.passwords`); a session
is kept only as the SHA-256 hash of its cookie, next to its CSRF token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class AdminUser(Base):
    """An administrator who signs in with an e-mail address and a password; ``role`` as K1.

    ``store_ids`` are the stores a ``store_manager`` looks after (their members' activity
    there is what they see); ``None`` for a group administrator, who sees the chain.
    """

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    store_ids: Mapped[list[Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdminSession(Base):
    """One signed-in browser: the hash of its cookie, its CSRF token, when it ends."""

    __tablename__ = "admin_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("admin_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FormSubmission(Base):
    """A form post's one-time token, claimed once by the first post that carries it; the
    page that post led to (``result_url``) is where a repeat of it (back and resubmit,
    a double click, a retry) is sent, so one record is made."""

    __tablename__ = "form_submissions"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    result_url: Mapped[str | None] = mapped_column(String(2000))
