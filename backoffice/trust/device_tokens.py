"""Device tokens over a till's life (S12, S17): who a token is, rotation, listing, revoking.

A device token expires (:data:`DEVICE_TOKEN_LIFETIME` after it
was issued). Once it is older than the policy's rotation age, the till's next ping
carries a new token; the old one stays good until the till first uses the new one
(a lost reply locks nobody out), then the new one replaces it. A revoked device is
told so (``DEVICE_REVOKED``), an expired token likewise (``TOKEN_EXPIRED``): a till
shows "revoked" or "expired", never "offline". Only SHA-256 hashes are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.trust import Device
from backoffice.trust.token_secrets import new_token, secret_hash

DEVICE_TOKEN_LIFETIME = timedelta(days=90)  # a device token expires; syncing rotates it


@dataclass(frozen=True)
class DeviceIdentity:
    """Who a device token speaks for."""

    device_id: str
    store_id: str
    name: str


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


@dataclass(frozen=True)
class RotatedToken:
    """A new token for the till, shown once (in the ping reply)."""

    token: str
    expires_at: datetime


def _device_holding(session: Session, token: str) -> tuple[Device, bool] | None:
    """The device whose current or next token is ``token``, and whether it was the next."""
    digest = secret_hash(token)
    device = session.scalar(
        select(Device).where(or_(Device.token_hash == digest, Device.next_token_hash == digest))
    )
    if device is None:
        return None
    return device, device.next_token_hash == digest


def find_device(session: Session, token: str) -> DeviceIdentity | None:
    """The enrolled, unrevoked device holding ``token``, if any."""
    device = session.scalar(
        select(Device).where(Device.token_hash == secret_hash(token), Device.revoked_at.is_(None))
    )
    if device is None:
        return None
    return DeviceIdentity(device_id=device.device_id, store_id=device.store_id, name=device.name)


def identify_device(session: Session, token: str, now: datetime) -> DeviceIdentity | None:
    """The device ``token`` speaks for; None if no device holds it; :class:`TokenRefused`
    if its device is revoked or the token expired. The first use of a rotated token
    makes it the device's token."""
    found = _device_holding(session, token)
    if found is None:
        return None
    device, is_next = found
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
        device.token_hash = device.next_token_hash
        device.token_issued_at = now
        device.token_expires_at = device.next_token_expires_at
        device.next_token_hash = None
        device.next_token_expires_at = None
    return DeviceIdentity(device_id=device.device_id, store_id=device.store_id, name=device.name)


def rotate_if_due(
    session: Session, device_id: str, now: datetime, policy: TokenPolicy
) -> RotatedToken | None:
    """A new token for the device if its token is older than the rotation age (a new
    one each time until the till uses one); else None."""
    device = session.get(Device, device_id)
    if device is None:
        return None
    device.last_seen_at = now
    issued_at = device.token_issued_at or device.enrolled_at
    if now - issued_at < policy.rotate_after:
        return None
    token = new_token()
    device.next_token_hash = secret_hash(token)
    device.next_token_expires_at = now + policy.lifetime
    return RotatedToken(token, device.next_token_expires_at)


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
