"""Pack bodies to create, and the entitlements packs issued (as the tills get them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backoffice.database import Database
from backoffice.models.records import Record


def campaign_pack(**overrides: Any) -> dict[str, Any]:
    """A one-time campaign pack: two CV-5 vouchers valid 30 days from issue."""
    return {
        "type": "campaign",
        "name": "Welcome pack",
        "content": [
            {"coupon_code": "CV-5", "quantity": 2, "effective": "immediate", "validity_days": 30}
        ],
        "distribution": {"method": "one_time"},
        **overrides,
    }


def paid_pack(**overrides: Any) -> dict[str, Any]:
    """A paid pack on the mall at DEMO-1 for 9.90, on sale all of November-December 2026."""
    return {
        "type": "paid",
        "name": "Milk tea lover's pack",
        "content": [
            {"coupon_code": "CV-5", "quantity": 1, "effective": "immediate", "validity_days": 30}
        ],
        "channels": ["mall"],
        "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
        "price": "9.90",
        "stores": ["DEMO-1"],
        **overrides,
    }


def entitlements_of(database: Database, member_id: str | None = None) -> list[dict[str, Any]]:
    """Live entitlement records (as the tills get them), by valid_from then code."""
    with database.sessions.begin() as session:
        records = session.scalars(select(Record).where(Record.kind == "entitlement")).all()
        found = [dict(r.data) for r in records if not r.deleted]
    if member_id is not None:
        found = [e for e in found if e["member_id"] == member_id]
    return sorted(found, key=lambda e: (e["valid_from"], e["code"]))
