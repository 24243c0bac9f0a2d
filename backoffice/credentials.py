"""Device enrollment and tokens (S12): one-time codes, device tokens, admin tokens.

Codes and tokens are shown once, to whoever asked for them, and only their
SHA-256 hashes are stored. Nothing here logs a code or a token.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.models.trust import AdminToken, Device, EnrollmentCode

ENROLLMENT_CODE_TTL = timedelta(hours=24)
DEVICE_TOKEN_LIFETIME = timedelta(days=90)  # a device token expires; syncing rotates it
ENROLLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ENROLLMENT_CODE_GROUPS = 3
ENROLLMENT_CODE_GROUP_SIZE = 4
GROUP_ADMIN = "group_admin"


class EnrollmentRefused(Exception):
    """The code is unknown, already used or expired; the message says which, not the code."""


@dataclass(frozen=True)
class DeviceIdentity:
    """Who a device token speaks for."""

    device_id: str
    store_id: str
    name: str


@dataclass(frozen=True)
class AdminIdentity:
    """Who an admin token speaks for."""

    name: str
    role: str


@dataclass(frozen=True)
class EnrolledDevice:
    """A new device and its token; the token is not kept anywhere else."""

    device_id: str
    store_id: str
    token: str
    till_number: int = 1


def secret_hash(secret: str) -> str:
    """The SHA-256 hex digest a token or code is stored as."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh bearer token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def normalize_enrollment_code(code: str) -> str:
    """Codes are read aloud and typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_enrollment_code(
    session: Session, store_id: str, now: datetime, ttl: timedelta = ENROLLMENT_CODE_TTL
) -> str:
    """A one-time code that enrolls one device into ``store_id`` until ``now + ttl``."""
    raw = "".join(
        secrets.choice(ENROLLMENT_CODE_ALPHABET)
        for _ in range(ENROLLMENT_CODE_GROUPS * ENROLLMENT_CODE_GROUP_SIZE)
    )
    session.add(
        EnrollmentCode(
            code_hash=secret_hash(raw),
            store_id=store_id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    size = ENROLLMENT_CODE_GROUP_SIZE
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))


def enroll_device(
    session: Session,
    code: str,
    device_name: str,
    now: datetime,
    token_lifetime: timedelta = DEVICE_TOKEN_LIFETIME,
) -> EnrolledDevice:
    """Spend ``code`` on a new device of the code's store; refuse a wrong, used or expired one.

    The code is claimed with one conditional UPDATE, so two tills racing with
    the same code cannot both win.
    """
    code_hash = secret_hash(normalize_enrollment_code(code))
    found = session.scalar(select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash))
    if found is None:
        raise EnrollmentRefused("unknown enrollment code")
    if found.used_at is not None:
        raise EnrollmentRefused("enrollment code already used")
    if found.expires_at <= now:
        raise EnrollmentRefused("enrollment code expired")
    token = new_token()
    device = Device(
        device_id=str(uuid.uuid4()),
        store_id=found.store_id,
        name=device_name,
        token_hash=secret_hash(token),
        enrolled_at=now,
        token_issued_at=now,
        token_expires_at=now + token_lifetime,
    )
    _add_numbered(session, device)
    claimed = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == found.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now, device_id=device.device_id)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise EnrollmentRefused("enrollment code already used")
    return EnrolledDevice(
        device_id=device.device_id,
        store_id=device.store_id,
        token=token,
        till_number=device.till_number or 1,
    )


def _add_numbered(session: Session, device: Device, attempts: int = 5) -> None:
    """Add ``device`` with the next till number of its store (one past the highest ever
    given there, so a revoked till's number is not reused); a till enrolling into the
    same store at the same moment makes the unique (store, number) refuse one of the
    two, which then takes the next number."""
    for attempt in range(attempts):
        highest = session.scalar(
            select(func.max(Device.till_number)).where(Device.store_id == device.store_id)
        )
        device.till_number = (highest or 0) + 1
        try:
            with session.begin_nested():
                session.add(device)
                session.flush()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def issue_admin_token(session: Session, name: str, now: datetime, role: str = GROUP_ADMIN) -> str:
    """A new admin token for ``name``; only its hash is stored."""
    token = new_token()
    session.add(AdminToken(name=name, role=role, token_hash=secret_hash(token), created_at=now))
    return token


def find_device(session: Session, token: str) -> DeviceIdentity | None:
    """The enrolled, unrevoked device holding ``token``, if any."""
    device = session.scalar(
        select(Device).where(Device.token_hash == secret_hash(token), Device.revoked_at.is_(None))
    )
    if device is None:
        return None
    return DeviceIdentity(device_id=device.device_id, store_id=device.store_id, name=device.name)


def find_admin(session: Session, token: str) -> AdminIdentity | None:
    """The unrevoked admin token ``token``, if any."""
    admin = session.scalar(
        select(AdminToken).where(
            AdminToken.token_hash == secret_hash(token), AdminToken.revoked_at.is_(None)
        )
    )
    return None if admin is None else AdminIdentity(name=admin.name, role=admin.role)
