"""A member's limits on a paid pack (COUPON-PACK-RULES K4): the one place the rule is
written, for the back office (every purchase it confirms) and the till (K12: what the
back office confirmed, plus its own sales not confirmed yet, plus the packs on the
ticket).

A pack's ``limits`` say how many of it one member may buy in all (``total``) and on one
local day of the pack's time zone (``daily``); None is no limit. A sale of ``wanted``
more is refused when what the member ``bought`` (in all, or on that day) plus
``wanted`` would pass a limit; the total is checked first. A refunded purchase is no
purchase any more: it counts towards no limit (:data:`NOT_COUNTED`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from pos_app.protocol.pack_records import PackLimits

LIMIT_TOTAL_REACHED: Final = "LIMIT_TOTAL_REACHED"
LIMIT_DAILY_REACHED: Final = "LIMIT_DAILY_REACHED"
REFUNDED: Final = "refunded"
NOT_COUNTED: Final = (REFUNDED,)  # purchase statuses a member's limits leave out


def counts_toward_limits(status: str) -> bool:
    """Whether a purchase with this status counts towards the member's limits (K4)."""
    return status not in NOT_COUNTED


@dataclass(frozen=True)
class Bought:
    """How many of one pack a member bought: in all, and on the day of the sale."""

    total: int
    on_day: int


@dataclass(frozen=True)
class LimitBreach:
    """Which limit a sale would pass (``total`` or ``daily``), what the member bought
    against it, and the limit; ``reason`` is its stable code on the wire."""

    limit: Literal["total", "daily"]
    bought: int
    allowed: int

    @property
    def reason(self) -> str:
        return LIMIT_TOTAL_REACHED if self.limit == "total" else LIMIT_DAILY_REACHED

    @property
    def daily(self) -> bool:
        return self.limit == "daily"


def limit_breach(limits: PackLimits, bought: Bought, wanted: int = 1) -> LimitBreach | None:
    """The limit ``wanted`` more packs would pass for a member who ``bought`` these, or
    None when the sale is within both (K4)."""
    if limits.total is not None and bought.total + wanted > limits.total:
        return LimitBreach("total", bought.total, limits.total)
    if limits.daily is not None and bought.on_day + wanted > limits.daily:
        return LimitBreach("daily", bought.on_day, limits.daily)
    return None
