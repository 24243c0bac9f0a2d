"""Upload events as a till would build them (docs/sync-protocol.md, "Upload")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
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
    total: str | None = None,
) -> dict[str, Any]:
    """A two-line ticket that adds up (burger, cola with a promotion of 0.50), paid in
    cash; each code in ``coupons`` redeemed for 1.00 off the burger. A ``total`` given
    replaces the one the lines make (the payment follows it)."""
    made = Decimal("15.50") - len(coupons)
    total = total if total is not None else f"{made:.2f}"
    tendered = max(Decimal("20.00"), Decimal(total))
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
                "net": f"{Decimal('12.00') - len(coupons):.2f}",
                "adjustments": [
                    {
                        "stage": 5,
                        "kind": "coupon:member_voucher",
                        "source": code,
                        "rule": "R8 R2",
                        "amount": "1.00",
                    }
                    for code in coupons
                ],
            },
            {
                "line_id": "L2",
                "sku": "COLA",
                "name": "Cola",
                "qty": 1,
                "unit_price": "4.00",
                "gross": "4.00",
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
        "promotions": {"P-TEST": "0.50"},
        "coupons": [
            {"code": code, "kind": "member_voucher", "amount": "1.00", "lines": ["L1"]}
            for code in coupons
        ],
        "discounts": {},
        "payments": [
            {
                "method": "cash",
                "amount": total,
                "tendered": f"{tendered:.2f}",
                "change": f"{tendered - Decimal(total):.2f}",
            }
        ],
    }


def ticket_closed(
    store_id: str,
    device_id: str,
    *,
    key: str | None = None,
    seq: int = 1,
    ticket_id: str | None = None,
    coupons: Sequence[str] = (),
    total: str | None = None,
) -> dict[str, Any]:
    payload = ticket_payload(store_id, device_id, ticket_id=ticket_id, coupons=coupons, total=total)
    return event("ticket.closed", payload, key=key, seq=seq)
