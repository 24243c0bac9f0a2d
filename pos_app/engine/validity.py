"""Validity windows of promotions and coupons (inclusive, local time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from pos_app.engine.errors import DefinitionError, Refusal, RefusalCode


def parse_local_time(raw: object, field: str, *, end_of_day: bool = False) -> datetime:
    """An ISO local date or date-time; a date-only end covers that whole day."""
    if not isinstance(raw, str):
        raise DefinitionError(field, "must be an ISO date or date-time string")
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max if end_of_day else time.min)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DefinitionError(field, f"{raw!r} is not an ISO date or date-time") from None
    return moment.replace(tzinfo=None)


@dataclass(frozen=True)
class ValidityWindow:
    """From/to local times, both inclusive; either may be open."""

    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @classmethod
    def parse(cls, obj: Mapping[str, object], field: str) -> ValidityWindow:
        start = obj.get("valid_from")
        end = obj.get("valid_to")
        window = cls(
            parse_local_time(start, f"{field}.valid_from") if start is not None else None,
            parse_local_time(end, f"{field}.valid_to", end_of_day=True)
            if end is not None
            else None,
        )
        if window.valid_from and window.valid_to and window.valid_from > window.valid_to:
            raise DefinitionError(f"{field}.valid_to", "is before valid_from")
        return window

    def contains(self, now: datetime) -> bool:
        return (self.valid_from is None or now >= self.valid_from) and (
            self.valid_to is None or now <= self.valid_to
        )

    def check(self, now: datetime, what: str) -> None:
        """Refuse EXPIRED or NOT_YET_VALID when ``now`` is outside the window."""
        if self.valid_to is not None and now > self.valid_to:
            raise Refusal(RefusalCode.EXPIRED, f"{what} expired on {self.valid_to:%Y-%m-%d %H:%M}")
        if self.valid_from is not None and now < self.valid_from:
            raise Refusal(
                RefusalCode.NOT_YET_VALID, f"{what} is valid from {self.valid_from:%Y-%m-%d %H:%M}"
            )
