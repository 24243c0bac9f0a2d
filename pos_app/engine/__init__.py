"""The execution-order engine: pure Python, standard library only, Decimal money.

Public API: :class:`PriceBook` (what the back office decides), :class:`Ticket`
(cashier actions with refusals), :class:`PricedTicket` (the recalculated result),
:class:`Refusal` / :class:`RefusalCode`, and :func:`explain`.
"""

from pos_app.engine.catalog import Item, ItemFilter
from pos_app.engine.coupons import CouponDefinition, Stage, parse_coupon
from pos_app.engine.errors import DefinitionError, Refusal, RefusalCode
from pos_app.engine.explain import explain_line, explain_ticket
from pos_app.engine.money import Currency
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import Adjustment, CouponOutcome, PricedLine, PricedTicket
from pos_app.engine.promotions import Promotion, parse_promotion
from pos_app.engine.recalculation import recalculate
from pos_app.engine.ticket import Clock, Ticket
from pos_app.engine.ticket_state import LineState, Redemption, StoreDiscount, TicketState

__all__ = [
    "Adjustment",
    "Clock",
    "CouponDefinition",
    "CouponOutcome",
    "Currency",
    "DefinitionError",
    "Item",
    "ItemFilter",
    "LineState",
    "PriceBook",
    "PricedLine",
    "PricedTicket",
    "Promotion",
    "Redemption",
    "Refusal",
    "RefusalCode",
    "Stage",
    "StoreDiscount",
    "Ticket",
    "TicketState",
    "explain_line",
    "explain_ticket",
    "parse_coupon",
    "parse_promotion",
    "recalculate",
]
