"""A scenario step (FORMAT.md's step table) as the engine command it names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pos_app.engine import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Present,
    Redeem,
    Refusal,
    RefusalCode,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SetQuantity,
    TicketCommand,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)

Step = Mapping[str, Any]


def _text(step: Step, key: str) -> str:
    value = step.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Refusal(RefusalCode.INVALID, f"The step needs a {key!r}")
    return value


def _line_or_none(step: Step) -> str | None:
    return None if step.get("line") is None else _text(step, "line")


def step_command(step: Step) -> TicketCommand:
    """The command ``step`` names; a malformed step (unknown ``do``, an id missing) is
    refused INVALID. Quantities and amounts pass as written: the engine's bounds judge
    them."""
    match step.get("do"):
        case "add":
            return AddItem(_text(step, "line"), _text(step, "sku"), step.get("qty", 1))
        case "set_qty":
            return SetQuantity(_text(step, "line"), step.get("qty"))
        case "remove":
            return RemoveLine(_text(step, "line"))
        case "present":
            return Present(_text(step, "line"))
        case "unpresent":
            return Unpresent(_text(step, "line"))
        case "adjust_price":
            return AdjustPrice(_text(step, "line"), step.get("price"))
        case "unadjust":
            return Unadjust(_text(step, "line"))
        case "discount":
            return ApplyDiscount(
                _text(step, "id"),
                percent=step.get("percent"),
                amount=step.get("amount"),
                line_id=_line_or_none(step),
            )
        case "remove_discount":
            return RemoveDiscount(_text(step, "id"))
        case "trigger":
            return TriggerPromotion(_text(step, "promotion"))
        case "cancel_promotion":
            return CancelPromotion(_text(step, "promotion"))
        case "redeem":
            return Redeem(_text(step, "code"))
        case "remove_coupon":
            return RemoveCoupon(_text(step, "code"))
        case "close":
            return Close()
        case other:
            raise Refusal(RefusalCode.INVALID, f"Unknown step {other!r}")
