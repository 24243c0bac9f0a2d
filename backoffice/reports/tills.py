"""The fleet as operators see it (issue 18): every enrolled till with its store's name,
its software version, its last sync, and the outbox depth and parked events it
reported at its last ping; a till silent longer than the configured time is flagged.

"Last sync" is the till's last ping (every sync attempt starts with one). A till that
never pinged is silent from its enrollment on; a revoked till is listed as revoked,
never as silent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backoffice.clock import iso_time
from backoffice.models.trust import Device
from backoffice.reports.store_names import store_names


def list_tills(session: Session, now: datetime, silent_after: timedelta) -> list[dict[str, Any]]:
    """Every till by store name, then till number: what it last reported and whether it
    has been silent longer than ``silent_after``."""
    devices = list(session.scalars(select(Device)))
    stores = store_names(session, {device.store_id for device in devices})
    tills = [_till(device, stores, now, silent_after) for device in devices]
    return sorted(tills, key=lambda till: (till["store"], till["till_number"] or 0, till["name"]))


def _till(
    device: Device, stores: dict[str, str], now: datetime, silent_after: timedelta
) -> dict[str, Any]:
    heard = device.last_seen_at or device.enrolled_at
    silent_for = now - heard
    revoked = device.revoked_at is not None
    return {
        "name": device.name,
        "device_id": device.device_id,
        "store": stores.get(device.store_id, device.store_id),
        "store_id": device.store_id,
        "till_number": device.till_number,
        "software_version": device.software_version,
        "last_sync_at": iso_time(device.last_seen_at) if device.last_seen_at else None,
        "reported_at": iso_time(device.reported_at) if device.reported_at else None,
        "outbox_depth": device.outbox_depth,
        "parked_events": device.parked_events,
        "revoked": revoked,
        "silent": not revoked and silent_for > silent_after,
        "silent_for": describe_span(silent_for),
        "silent_after_minutes": int(silent_after.total_seconds() // 60),
    }


def describe_span(span: timedelta) -> str:
    """A span as people say it: "just now", "12 minutes", "3 hours", "2 days"."""
    seconds = max(0, int(span.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "just now"
