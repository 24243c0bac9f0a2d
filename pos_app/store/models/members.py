"""Members and the coupons they hold (entitlements), as synced."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base


class Member(Base):
    """A loyalty member (kind ``member``)."""

    __tablename__ = "members"

    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")


class Entitlement(Base):
    """A coupon a member holds (kind ``entitlement``): redeemable once by its own code,
    with the arithmetic of coupon definition ``coupon_code``; ``pack_id`` and
    ``pack_name`` name the pack that issued it (None for a coupon not from a pack).
    No foreign keys: records arrive in change order and may name a member or coupon
    not yet synced."""

    __tablename__ = "entitlements"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), index=True)
    coupon_code: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[str | None] = mapped_column(String(40))
    valid_to: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(32), default="active")
    pack_id: Mapped[str | None] = mapped_column(String(64))
    pack_name: Mapped[str | None] = mapped_column(String(200))
