"""Every model module, imported for its tables (Alembic's env.py and the drift check use it)."""

from backoffice.models import (
    admin_users,
    anomalies,
    conflicts,
    images,
    intake,
    locks,
    mall_codes,
    member_edits,
    organisations,
    pack_sales,
    packs,
    records,
    sales,
    shifts,
    trust,
)
from backoffice.models.base import Base

__all__ = [
    "Base",
    "admin_users",
    "anomalies",
    "conflicts",
    "images",
    "intake",
    "locks",
    "mall_codes",
    "member_edits",
    "organisations",
    "pack_sales",
    "packs",
    "records",
    "sales",
    "shifts",
    "trust",
]
