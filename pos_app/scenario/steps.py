"""A scenario step (FORMAT.md's step table) as the engine command it names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def _discount(step: Step) -> TicketCommand:
    return ApplyDiscount(
        _text(step, "id"),
        percent=step.get("percent"),
        amount=step.get("amount"),
        line_id=_line_or_none(step),
    )


# FORMAT.md's ``do`` of each step, and the command it builds.
STEPS: dict[str, Callable[[Step], TicketCommand]] = {
    "add": lambda step: AddItem(_text(step, "line"), _text(step, "sku"), step.get("qty", 1)),
    "set_qty": lambda step: SetQuantity(_text(step, "line"), step.get("qty")),
    "remove": lambda step: RemoveLine(_text(step, "line")),
    "present": lambda step: Present(_text(step, "line")),
    "unpresent": lambda step: Unpresent(_text(step, "line")),
    "adjust_price": lambda step: AdjustPrice(_text(step, "line"), step.get("price")),
    "unadjust": lambda step: Unadjust(_text(step, "line")),
    "discount": _discount,
    "remove_discount": lambda step: RemoveDiscount(_text(step, "id")),
    "trigger": lambda step: TriggerPromotion(_text(step, "promotion")),
    "cancel_promotion": lambda step: CancelPromotion(_text(step, "promotion")),
    "redeem": lambda step: Redeem(_text(step, "code")),
    "remove_coupon": lambda step: RemoveCoupon(_text(step, "code")),
    "close": lambda step: Close(),
}


def step_command(step: Step) -> TicketCommand:
    """The command ``step`` names; a malformed step (unknown ``do``, an id missing) is
    refused INVALID. Quantities and amounts pass as written: the engine's bounds judge
    them."""
    do = step.get("do")
    build = STEPS.get(do) if isinstance(do, str) else None
    if build is None:
        raise Refusal(RefusalCode.INVALID, f"Unknown step {do!r}")
    return build(step)
