"""Every cashier action on a ticket, one handler per command, in one table.

:data:`HANDLERS` maps each :data:`pos_app.engine.commands.TicketCommand` type to its
handler (:mod:`pos_app.engine.actions.context` says what a handler reads and returns);
:meth:`pos_app.engine.Ticket.apply` dispatches through it. Adding an action is a
command, a handler in the module of its concept, one entry here, and a test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.engine.actions.context import ActionContext, Change, Clock, invalid
from pos_app.engine.actions.lines import (
    add_item,
    adjust_price,
    present,
    remove_line,
    set_quantity,
    unadjust,
    unpresent,
)
from pos_app.engine.actions.pack_sales import close, sell_pack
from pos_app.engine.actions.promotion_choices import cancel_promotion, trigger_promotion
from pos_app.engine.actions.redemptions import redeem, remove_coupon
from pos_app.engine.actions.store_discounts import apply_discount, remove_discount
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SellPack,
    SetQuantity,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)

Handler = Callable[[ActionContext, Any], Change | None]

HANDLERS: dict[type, Handler] = {
    AddItem: add_item,
    SetQuantity: set_quantity,
    RemoveLine: remove_line,
    Present: present,
    Unpresent: unpresent,
    AdjustPrice: adjust_price,
    Unadjust: unadjust,
    ApplyDiscount: apply_discount,
    RemoveDiscount: remove_discount,
    TriggerPromotion: trigger_promotion,
    CancelPromotion: cancel_promotion,
    Redeem: redeem,
    RemoveCoupon: remove_coupon,
    SellPack: sell_pack,
    Close: close,
}

__all__ = ["HANDLERS", "ActionContext", "Change", "Clock", "Handler", "invalid"]
