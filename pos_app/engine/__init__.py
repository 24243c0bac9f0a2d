"""The execution-order engine: pure Python, standard library only, Decimal money.

Public API: :class:`PriceBook` (what the back office decides, coupon packs included:
:class:`PackOffer`), :class:`Ticket`
(applies cashier actions, the commands of :mod:`pos_app.engine.commands`, with
refusals), :class:`PricedTicket` (the recalculated result),
:class:`Refusal` / :class:`RefusalCode`, and :func:`explain`.
"""

from pos_app.engine.catalog import Item, ItemFilter
from pos_app.engine.commands import (
    TICKET_COMMANDS,
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
    TicketCommand,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.coupons import CouponDefinition, Stage, parse_coupon
from pos_app.engine.errors import DefinitionError, Refusal, RefusalCode
from pos_app.engine.explain import explain_line, explain_ticket
from pos_app.engine.money import Currency
from pos_app.engine.packs import PackLine, PackOffer
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, CouponOutcome, PricedLine, PricedTicket
from pos_app.engine.promotions import Promotion, parse_promotion
from pos_app.engine.recalculation import recalculate
from pos_app.engine.redemption_preview import RedemptionPreview
from pos_app.engine.ticket import Clock, Ticket
from pos_app.engine.ticket_state import LineState, Redemption, StoreDiscount, TicketState

__all__ = [
    "TICKET_COMMANDS",
    "AddItem",
    "AdjustPrice",
    "Adjustment",
    "ApplyDiscount",
    "CancelPromotion",
    "Clock",
    "Close",
    "CouponDefinition",
    "CouponOutcome",
    "Currency",
    "DefinitionError",
    "Item",
    "ItemFilter",
    "LineState",
    "PackLine",
    "PackOffer",
    "Present",
    "PriceBook",
    "PricedLine",
    "PricedTicket",
    "Promotion",
    "Redeem",
    "Redemption",
    "RedemptionPreview",
    "Refusal",
    "RefusalCode",
    "RemoveCoupon",
    "RemoveDiscount",
    "RemoveLine",
    "SellPack",
    "SetQuantity",
    "Stage",
    "StoreDiscount",
    "Ticket",
    "TicketCommand",
    "TicketState",
    "TriggerPromotion",
    "Unadjust",
    "Unpresent",
    "explain_line",
    "explain_ticket",
    "parse_coupon",
    "parse_promotion",
    "recalculate",
]
