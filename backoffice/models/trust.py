"""Who may talk to the back office (S12): enrolled devices, enrollment codes, admin tokens.

Only SHA-256 hashes of tokens and codes are stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import Base, UTCDateTime


class Device(Base):
    """An enrolled till. Its token acts for ``store_id`` and no other store (S12, S17).

    The token expires at ``token_expires_at`` (``None``: a token from before expiry
    existed, valid until its first rotation). Once it is older than the rotation age, a
    ping hands the till a new token, kept as ``next_token_hash`` until the till first
    uses it; then it replaces the old one, which stays good until
    ``previous_token_valid_until`` (a grace window: a second sync process still holding
    it is not locked out). The new token is derived from the old one and
    ``rotation_nonce``, so a repeated ping with the old token gets the same new token.
    A revoked device is refused as revoked.
    """

    __tablename__ = "devices"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    store_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    next_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rotation_nonce: Mapped[str | None] = mapped_column(String(64), default=None)
    previous_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    previous_token_valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The till's number in its store (1, 2, ...): the middle of its ticket numbers.
    till_number: Mapped[int | None] = mapped_column(Integer)
    # What the till reported at its last ping (issue 18; None: it never reported).
    software_version: Mapped[str | None] = mapped_column(String(64))
    outbox_depth: Mapped[int | None] = mapped_column(Integer)
    parked_events: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("store_id", "till_number"),)


class EnrollmentCode(Base):
    """A one-time code that enrolls one device into ``store_id`` before ``expires_at``."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    store_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    device_id: Mapped[str | None] = mapped_column(ForeignKey("devices.device_id"))


class AdminToken(Base):
    """A token for the admin API; ``role`` is ``group_admin`` (K1)."""

    __tablename__ = "admin_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChainSecret(Base):
    """A secret of the whole chain (``phone_key``: the key tills make members' phone
    digests with, delivered at every ping), made once."""

    __tablename__ = "chain_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
