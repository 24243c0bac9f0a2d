"""Device enrollment (S12): one-time codes an operator hands to a till, spent once on a
new device of the code's store, with its first device token.

Codes are shown once, to whoever asked for them, and only their SHA-256 hashes are
stored. Nothing here logs a code or a token.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.models.trust import Device, EnrollmentCode
from backoffice.trust.device_tokens import DEVICE_TOKEN_LIFETIME
from backoffice.trust.token_secrets import new_token, secret_hash

ENROLLMENT_CODE_TTL = timedelta(hours=24)
ENROLLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
ENROLLMENT_CODE_GROUPS = 3
ENROLLMENT_CODE_GROUP_SIZE = 4


class EnrollmentRefused(Exception):
    """The code is unknown, already used or expired; the message says which, not the code."""


@dataclass(frozen=True)
class EnrolledDevice:
    """A new device and its token; the token is not kept anywhere else."""

    device_id: str
    store_id: str
    token: str
    till_number: int = 1


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
