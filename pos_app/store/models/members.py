"""Members and the coupons they hold (entitlements), as synced."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base


class Member(Base):
    """A loyalty member (kind ``member``). The phone number is never kept: only its
    keyed digests (``phone_digests``, :mod:`pos_app.protocol.phone_keys`) to find the
    member by a typed number, and its last four digits to show it masked."""

    __tablename__ = "members"

    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    phone_digests: Mapped[str] = mapped_column(Text, default="", server_default="")
    phone_last4: Mapped[str] = mapped_column(String(4), default="", server_default="")


class TillSecret(Base):
    """A secret the till keeps (``phone_key``: the key members' phone digests are made
    with, the chain's once the back office delivered it)."""

    __tablename__ = "till_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


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
