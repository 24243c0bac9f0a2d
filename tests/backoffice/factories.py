"""Upload events as a till would build them (docs/sync-protocol.md, "Upload")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any


def event(
    event_type: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    seq: int = 1,
    version: int = 1,
    device_time: str = "2026-11-21T12:00:00+00:00",
) -> dict[str, Any]:
    return {
        "idempotency_key": key or str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "device_seq": seq,
        "device_time": device_time,
        "payload": payload,
    }


def ticket_payload(
    store_id: str,
    device_id: str,
    *,
    ticket_id: str | None = None,
    coupons: Sequence[str] = (),
    total: str = "15.50",
) -> dict[str, Any]:
    """A two-line ticket (burger, cola); each code in ``coupons`` redeemed for 1.00."""
    return {
        "ticket_id": ticket_id or f"T-{uuid.uuid4().hex[:8]}",
        "store_id": store_id,
        "device_id": device_id,
        "opened_at": "2026-11-21T11:55:00+00:00",
        "closed_at": "2026-11-21T12:00:00+00:00",
        "currency": "USD",
        "total": total,
        "lines": [
            {
                "line_id": "L1",
                "sku": "BURGER",
                "name": "Classic burger",
                "qty": 1,
                "unit_price": "12.00",
                "gross": "12.00",
                "net": "12.00",
                "adjustments": [],
            },
            {
                "line_id": "L2",
                "sku": "COLA",
                "name": "Cola",
                "qty": 1,
                "unit_price": "3.00",
                "gross": "3.00",
                "net": "3.50",
                "adjustments": [
                    {
                        "stage": 3,
                        "kind": "promotion",
                        "source": "P-TEST",
                        "rule": "R4",
                        "amount": "0.50",
                    }
                ],
            },
        ],
        "promotions": {},
        "coupons": [
            {"code": code, "kind": "member_voucher", "amount": "1.00", "lines": ["L1"]}
            for code in coupons
        ],
        "discounts": {},
        "payments": [{"method": "cash", "amount": total, "tendered": "20.00", "change": "4.50"}],
    }


def ticket_closed(
    store_id: str,
    device_id: str,
    *,
    key: str | None = None,
    seq: int = 1,
    ticket_id: str | None = None,
    coupons: Sequence[str] = (),
    total: str = "15.50",
) -> dict[str, Any]:
    payload = ticket_payload(store_id, device_id, ticket_id=ticket_id, coupons=coupons, total=total)
    return event("ticket.closed", payload, key=key, seq=seq)
