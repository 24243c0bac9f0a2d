"""Device tokens over a till's life (S12, S17): who a token is, rotation, listing, revoking.

A device token expires (:data:`DEVICE_TOKEN_LIFETIME` after it
was issued). Once it is older than the policy's rotation age, the till's next ping
carries a new token; the old one stays good until the till first uses the new one
(a lost reply locks nobody out), then the new one replaces it, and the old one stays
good for the policy's grace window more. Rotation is idempotent: the new token is
derived from the old one and a nonce the back office keeps (an HMAC), so every ping
with the old token, before or after the new one is first used, gets the same new
token: two sync processes of one till cannot lock it out. A revoked device is
told so (``DEVICE_REVOKED``), an expired token likewise (``TOKEN_EXPIRED``): a till
shows "revoked" or "expired", never "offline". Only SHA-256 hashes are stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.trust import Device
from backoffice.trust.token_secrets import secret_hash

DEVICE_TOKEN_LIFETIME = timedelta(days=90)  # a device token expires; syncing rotates it
ROTATION_GRACE = timedelta(minutes=15)  # the old token's life after the new one is used


@dataclass(frozen=True)
class DeviceIdentity:
    """Who a device token speaks for (``token``: the token presented, which a rotation
    derives the new one from)."""

    device_id: str
    store_id: str
    name: str
    token: str = field(default="", repr=False)


class TokenProblem(StrEnum):
    """Why a bearer token was refused: stable codes in the 401 body's ``reason``."""

    MISSING_TOKEN = "MISSING_TOKEN"
    UNKNOWN_TOKEN = "UNKNOWN_TOKEN"
    DEVICE_REVOKED = "DEVICE_REVOKED"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"


class TokenRefused(Exception):
    """A device token that may not be used; ``reason`` says why, the message for people."""

    def __init__(self, reason: TokenProblem, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TokenPolicy:
    """How long a device token lives, and from what age a sync rotates it."""

    lifetime: timedelta = DEVICE_TOKEN_LIFETIME
    rotate_after: timedelta = timedelta(days=30)
    grace: timedelta = ROTATION_GRACE


@dataclass(frozen=True)
class RotatedToken:
    """A new token for the till, shown once (in the ping reply)."""

    token: str
    expires_at: datetime


def _device_holding(session: Session, token: str, now: datetime) -> tuple[Device, str] | None:
    """The device whose current, next or (within its grace window) previous token is
    ``token``, and which of the three it is."""
    digest = secret_hash(token)
    device = session.scalar(
        select(Device).where(
            or_(
                Device.token_hash == digest,
                Device.next_token_hash == digest,
                Device.previous_token_hash == digest,
            )
        )
    )
    if device is None:
        return None
    if device.token_hash == digest:
        return device, _CURRENT
    if device.next_token_hash == digest:
        return device, _NEXT
    until = device.previous_token_valid_until
    return (device, _PREVIOUS) if until is not None and now < until else None


_CURRENT, _NEXT, _PREVIOUS = "current", "next", "previous"


def derived_token(old_token: str, nonce: str) -> str:
    """The rotated token of ``old_token``: HMAC-SHA256 keyed by it over ``nonce``, in the
    shape of a fresh token (43 URL-safe characters). Only the old token's holder and
    the back office (given the old token) can work it out."""
    digest = hmac.new(old_token.encode("utf-8"), nonce.encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode("ascii")


def find_device(session: Session, token: str) -> DeviceIdentity | None:
    """The enrolled, unrevoked device holding ``token``, if any."""
    device = session.scalar(
        select(Device).where(Device.token_hash == secret_hash(token), Device.revoked_at.is_(None))
    )
    if device is None:
        return None
    return DeviceIdentity(device_id=device.device_id, store_id=device.store_id, name=device.name)


def identify_device(
    session: Session, token: str, now: datetime, grace: timedelta = ROTATION_GRACE
) -> DeviceIdentity | None:
    """The device ``token`` speaks for; None if no device holds it; :class:`TokenRefused`
    if its device is revoked or the token expired. The first use of a rotated token
    makes it the device's token; the old one stays good for ``grace`` more."""
    found = _device_holding(session, token, now)
    if found is None:
        return None
    device, which = found
    is_next = which == _NEXT
    if device.revoked_at is not None:
        raise TokenRefused(
            TokenProblem.DEVICE_REVOKED,
            f"device {device.name} was revoked at {iso_time(device.revoked_at)}; enroll it again",
        )
    expires_at = device.next_token_expires_at if is_next else device.token_expires_at
    if expires_at is not None and expires_at <= now:
        raise TokenRefused(
            TokenProblem.TOKEN_EXPIRED,
            f"the token of device {device.name} expired at {iso_time(expires_at)}; enroll it again",
        )
    if is_next:
        assert device.next_token_hash is not None
        device.previous_token_hash = device.token_hash
        device.previous_token_valid_until = now + grace
        device.token_hash = device.next_token_hash
        device.token_issued_at = now
        device.token_expires_at = device.next_token_expires_at
        device.next_token_hash = None
        device.next_token_expires_at = None
    return DeviceIdentity(
        device_id=device.device_id, store_id=device.store_id, name=device.name, token=token
    )


def rotate_if_due(
    session: Session, device: DeviceIdentity, now: datetime, policy: TokenPolicy
) -> RotatedToken | None:
    """The device's new token if its token (``device.token``) is older than the rotation
    age: the same new token for every ping with that old token, before and (within the
    grace window) after the till first uses the new one; else None."""
    row = session.get(Device, device.device_id)
    if row is None:
        return None
    row.last_seen_at = now
    presented = secret_hash(device.token)
    if row.previous_token_hash == presented and row.rotation_nonce is not None:
        # Another process of the till already moved to the new token: give it the same.
        assert row.token_expires_at is not None
        return RotatedToken(derived_token(device.token, row.rotation_nonce), row.token_expires_at)
    if row.token_hash != presented:
        return None  # the new token itself (just promoted): nothing to rotate
    if row.next_token_hash is not None and row.rotation_nonce is not None:
        pending = derived_token(device.token, row.rotation_nonce)
        if secret_hash(pending) == row.next_token_hash:
            assert row.next_token_expires_at is not None
            return RotatedToken(pending, row.next_token_expires_at)
    issued_at = row.token_issued_at or row.enrolled_at
    if now - issued_at < policy.rotate_after:
        return None
    row.rotation_nonce = secrets.token_hex(16)
    token = derived_token(device.token, row.rotation_nonce)
    row.next_token_hash = secret_hash(token)
    row.next_token_expires_at = now + policy.lifetime
    return RotatedToken(token, row.next_token_expires_at)


def list_devices(session: Session, *, store_id: str | None = None) -> list[dict[str, Any]]:
    """Every enrolled device, in enrollment order, as `pos-backoffice devices list` shows it."""
    query = select(Device).order_by(Device.enrolled_at, Device.device_id)
    if store_id is not None:
        query = query.where(Device.store_id == store_id)
    return [
        {
            "device_id": device.device_id,
            "name": device.name,
            "store_id": device.store_id,
            "till_number": device.till_number,
            "enrolled_at": iso_time(device.enrolled_at),
            "token_expires_at": _time(device.token_expires_at),
            "rotation_pending": device.next_token_hash is not None,
            "last_seen_at": _time(device.last_seen_at),
            "revoked_at": _time(device.revoked_at),
        }
        for device in session.scalars(query)
    ]


class UnknownDevice(LookupError):
    """No enrolled device has that id."""


def revoke_device(session: Session, device_id: str, now: datetime) -> bool:
    """Revoke the device: its tokens are refused as revoked from now on. False if it
    already was; :class:`UnknownDevice` if there is no such device."""
    device = session.get(Device, device_id)
    if device is None:
        raise UnknownDevice(f"no device {device_id!r}: `pos-backoffice devices list` shows them")
    if device.revoked_at is not None:
        return False
    device.revoked_at = now
    device.next_token_hash = None
    return True


def _time(value: datetime | None) -> str | None:
    return iso_time(value) if value is not None else None
