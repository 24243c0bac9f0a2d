"""Column types for exact money and time-zone-aware instants on SQLite.

SQLite has no decimal or time-zone type: money is kept as its decimal string, and
instants as ISO 8601 text normalised to UTC (so text order is time order).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator

MONEY_LENGTH = 32
INSTANT_LENGTH = 40


class Money(TypeDecorator[Decimal]):
    """A Decimal stored as its exact decimal string; never a float."""

    impl = String
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(length=MONEY_LENGTH)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Instant(TypeDecorator[datetime]):
    """An aware datetime stored as ISO 8601 text in UTC; naive datetimes are refused."""

    impl = String
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(length=INSTANT_LENGTH)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("an instant must carry a time zone")
        return value.astimezone(UTC).isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)
