"""What the back office decides for the store, as synced: store, catalog, promotions,
coupon definitions; and the store manager's local auto-execute overrides (R12)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.store.base import Base
from pos_app.store.column_types import Instant, Money


class StoreInfo(Base):
    """A store the till knows (kind ``store``); the device row says which one it is."""

    __tablename__ = "stores"

    store_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    currency: Mapped[str] = mapped_column(String(3))
    tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    return_approval_limit: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)


class CatalogItem(Base):
    """A sellable item (kind ``item``): SKU, name, catalog price, category."""

    __tablename__ = "catalog_items"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Money())
    category: Mapped[str] = mapped_column(String(100), default="")
    tax_rate: Mapped[str] = mapped_column(String(16), default="0")  # a percent, "20"
    barcode: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class PromotionRecord(Base):
    """A promotion (kind ``promotion``) kept as its JSON definition, with the
    execution-order settings (sequence, auto-execute) copied out for listing."""

    __tablename__ = "promotions"

    promotion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    sequence: Mapped[int] = mapped_column(Integer)
    auto_execute: Mapped[bool] = mapped_column(Boolean)
    definition: Mapped[str] = mapped_column(Text)


class CouponRecord(Base):
    """A coupon definition (kind ``coupon``) kept as its JSON definition."""

    __tablename__ = "coupon_definitions"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    sequence: Mapped[int] = mapped_column(Integer)
    single_use: Mapped[bool] = mapped_column(Boolean, default=False)
    verify_later: Mapped[bool] = mapped_column(Boolean, default=False)
    definition: Mapped[str] = mapped_column(Text)


class AutoExecuteOverride(Base):
    """A store manager's local auto-execute override of one promotion (R12); it wins
    over the synced setting until changed again."""

    __tablename__ = "auto_execute_overrides"

    promotion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    auto_execute: Mapped[bool] = mapped_column(Boolean)
    manager: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(Instant())
