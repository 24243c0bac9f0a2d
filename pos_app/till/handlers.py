"""One handler per command, and what each command would meet when asked beforehand.

A handler takes the command, the till's services and the actor (whose permission the
message bus already checked) and returns the :class:`TicketChange`; a refusal raises
and writes nothing. :data:`HANDLERS` and :data:`REFUSALS` are the tables the bus
dispatches through (:mod:`pos_app.till.messagebus`). Adding a cashier action is a
command, a handler here, one entry in :data:`HANDLERS`, and a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pos_app.engine import (
    TICKET_COMMANDS,
    AddItem,
    ApplyDiscount,
    Close,
    Redeem,
    Refusal,
    SellPack,
    TicketCommand,
    TriggerPromotion,
)
from pos_app.till.clock import aware
from pos_app.till.closing import close_ticket
from pos_app.till.commands import (
    ClearPayments,
    OverrideAutoExecute,
    PayCard,
    PayCash,
    RefundPackSale,
    ResolveConflict,
    ReturnPackLine,
    SetPermission,
    VoidTicket,
)
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.manager_actions import override_auto_execute, resolve_conflict, void_ticket
from pos_app.till.pack_returns import return_pack_line
from pos_app.till.payments import card_payment, cash_payment
from pos_app.till.redemption import explained, redeem, scan
from pos_app.till.ring_up import tap_command
from pos_app.till.services import TillServices
from pos_app.till.shift_commands import (
    AttachMember,
    CloseShift,
    DetachMember,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
    TapItem,
)
from pos_app.till.ticket_change import TicketChange

Handler = Callable[[Any, TillServices, Actor], TicketChange]
RefusalCheck = Callable[[Any, TillServices], Refusal | TillRefusal | None]

PROBE_ID = "probe:new"  # stands in for the id a new line or discount would get


def _manager(actor: Actor) -> str:
    return actor.manager.name if actor.manager is not None else ""


# ---------------------------------------------------------------- the ticket


def apply_to_ticket(command: TicketCommand, s: TillServices, actor: Actor) -> TicketChange:
    """An engine command on the open ticket, written."""
    return s.ticket.apply(command)


def add_item(command: AddItem, s: TillServices, actor: Actor) -> TicketChange:
    """A new line (given the ticket's next line id when it has none)."""
    if command.line_id is None:
        command = replace(command, line_id=s.ticket.new_line_id())
    return s.ticket.apply(command, line_id=command.line_id)


def tap_item(command: TapItem, s: TillServices, actor: Actor) -> TicketChange:
    """An item's key: the last line's quantity raised, or a new line (ring_up.py); the
    line is selected either way."""
    ticket = s.ticket
    step = tap_command(ticket.priced, command.sku, command.qty, ticket.new_line_id)
    return ticket.apply(step, line_id=step.line_id)


def apply_discount(command: ApplyDiscount, s: TillServices, actor: Actor) -> TicketChange:
    if command.discount_id is None:
        command = replace(command, discount_id=s.ticket.new_discount_id())
    return s.ticket.apply(command)


def redeem_coupon(command: Redeem, s: TillServices, actor: Actor) -> TicketChange:
    try:
        return redeem(s, command.code)
    except Refusal as refused:
        raise explained(s, refused, code=command.code) from None


def trigger_promotion(command: TriggerPromotion, s: TillServices, actor: Actor) -> TicketChange:
    try:
        return s.ticket.apply(command)
    except Refusal as refused:
        raise explained(s, refused, promotion_id=command.promotion_id) from None


def sell_pack(command: SellPack, s: TillServices, actor: Actor) -> TicketChange:
    """A coupon pack as a line of the ticket, sold to the member on it (or to
    ``member_id``, who is then put on it), once the engine and the till's checks
    (K12, K13, K15) agree; online, its unit is reserved from the back office first."""
    ticket = s.ticket
    on_ticket = ticket.member_id
    buyer = command.member_id or on_ticket
    if on_ticket is not None and buyer != on_ticket:
        raise TillRefusal(
            TillCode.MEMBER_REQUIRED,
            f"This ticket is for {ticket.member[1] if ticket.member else 'another member'}:"
            " a pack for someone else goes on a ticket of its own",
        )
    command = replace(command, member_id=buyer)
    refusal = pack_refusal(command, s)  # the engine's and the checks here, without the network
    if refusal is not None:
        raise refusal
    line_id = command.line_id if command.line_id is not None else ticket.new_line_id()
    assert buyer is not None  # pack_refusal refuses a pack for no member
    s.packs.check_sale(
        command.pack_id,
        buyer,
        ticket.state,
        s.configuration.book,
        s.configuration.store_id,
        (ticket.ticket_id, line_id),
    )
    change = ticket.apply(replace(command, line_id=line_id), line_id=line_id)
    if on_ticket is None:
        change = replace(s.members.attach(buyer), line_id=line_id)
    return change


def close(command: Close, s: TillServices, actor: Actor) -> TicketChange:
    return close_ticket(s)


# ---------------------------------------------------------------- payments


def pay_cash(command: PayCash, s: TillServices, actor: Actor) -> TicketChange:
    ticket = s.ticket
    payment = cash_payment(command.tendered, ticket.amount_due, ticket.currency)
    return ticket.set_payments((*ticket.payments, payment))


def pay_card(command: PayCard, s: TillServices, actor: Actor) -> TicketChange:
    ticket = s.ticket
    payment = card_payment(command.amount, ticket.amount_due, ticket.currency)
    return ticket.set_payments((*ticket.payments, payment))


def clear_payments(command: ClearPayments, s: TillServices, actor: Actor) -> TicketChange:
    return s.ticket.set_payments(())


# ---------------------------------------------------------------- the shift


def park(command: ParkTicket, s: TillServices, actor: Actor) -> TicketChange:
    return s.held.hold()


def recall(command: RecallTicket, s: TillServices, actor: Actor) -> TicketChange:
    return s.held.recall(command.ticket_id)


def attach_member(command: AttachMember, s: TillServices, actor: Actor) -> TicketChange:
    return s.members.attach(command.member_id)


def detach_member(command: DetachMember, s: TillServices, actor: Actor) -> TicketChange:
    return s.members.attach(None)


def scan_code(command: Scan, s: TillServices, actor: Actor) -> TicketChange:
    return scan(s, command.code)


def refund_sale(command: RefundSale, s: TillServices, actor: Actor) -> TicketChange:
    return s.returns.refund(command)


def close_shift(command: CloseShift, s: TillServices, actor: Actor) -> TicketChange:
    return s.day.close(command.counted_cash)


# ---------------------------------------------------------------- a manager's actions


def void(command: VoidTicket, s: TillServices, actor: Actor) -> TicketChange:
    return void_ticket(s, _manager(actor), command.reason)


def override(command: OverrideAutoExecute, s: TillServices, actor: Actor) -> TicketChange:
    override_auto_execute(s, command.promotion_id, command.auto_execute, _manager(actor))
    return reload_configuration(s)


def resolve(command: ResolveConflict, s: TillServices, actor: Actor) -> TicketChange:
    return resolve_conflict(
        s, command.conflict_key, command.resolution, command.note, _manager(actor)
    )


def refund_pack_sale(command: RefundPackSale, s: TillServices, actor: Actor) -> TicketChange:
    """A manager refunds a pack sale the back office did not accept (K14), then the
    configuration is read again: its coupons are no longer redeemable here."""
    store_id, _ = s.configuration.identity()
    s.packs.refund(
        command.conflict_key,
        command.method,
        command.note,
        manager=_manager(actor),
        store_id=store_id,
        now=aware(s.clock()),
    )
    return reload_configuration(s)


def return_pack_line_of(command: ReturnPackLine, s: TillServices, actor: Actor) -> TicketChange:
    """A manager refunds a whole coupon pack returned by the customer (K4, K14), then the
    configuration is read again: its coupons are no longer redeemable here."""
    store_id, _ = s.configuration.identity()
    return_pack_line(
        s.database,
        s.configuration.book,
        number=command.number,
        line_id=command.line_id,
        method=command.method,
        note=command.note,
        manager=_manager(actor),
        store_id=store_id,
        now=aware(s.clock()),
    )
    return reload_configuration(s)


def set_permission(command: SetPermission, s: TillServices, actor: Actor) -> TicketChange:
    s.access.set_permission(command.action, command.allowed, actor.manager)
    return s.ticket.current()


def reload_configuration(s: TillServices) -> TicketChange:
    """Read the configuration again and re-price the open ticket under it."""
    s.configuration.reload()
    s.ticket.reprice()
    return s.ticket.current()


HANDLERS: dict[type, Handler] = {
    **dict.fromkeys(TICKET_COMMANDS, apply_to_ticket),
    AddItem: add_item,
    ApplyDiscount: apply_discount,
    Redeem: redeem_coupon,
    TriggerPromotion: trigger_promotion,
    SellPack: sell_pack,
    Close: close,
    PayCash: pay_cash,
    PayCard: pay_card,
    ClearPayments: clear_payments,
    ParkTicket: park,
    RecallTicket: recall,
    AttachMember: attach_member,
    DetachMember: detach_member,
    TapItem: tap_item,
    Scan: scan_code,
    RefundSale: refund_sale,
    CloseShift: close_shift,
    VoidTicket: void,
    OverrideAutoExecute: override,
    ResolveConflict: resolve,
    RefundPackSale: refund_pack_sale,
    ReturnPackLine: return_pack_line_of,
    SetPermission: set_permission,
}


# ---------------------------------------------------------------- asked beforehand


def engine_refusal(command: TicketCommand, s: TillServices) -> Refusal | None:
    """The engine's refusal, tried on a copy of the ticket."""
    return s.ticket.refusal_for(command)


def add_item_refusal(command: AddItem, s: TillServices) -> Refusal | None:
    return s.ticket.refusal_for(replace(command, line_id=command.line_id or PROBE_ID))


def discount_refusal(command: ApplyDiscount, s: TillServices) -> Refusal | None:
    return s.ticket.refusal_for(replace(command, discount_id=command.discount_id or PROBE_ID))


def pack_refusal(command: SellPack, s: TillServices) -> Refusal | TillRefusal | None:
    """The engine's refusal, then the till's checks (K12, K13, K15) without the network."""
    ticket = s.ticket
    command = replace(
        command,
        line_id=command.line_id or PROBE_ID,
        member_id=command.member_id or ticket.member_id,
    )
    refusal = ticket.refusal_for(command)
    if refusal is not None:
        return refusal
    book, store_id = s.configuration.book, s.configuration.store_id
    return s.packs.refusal(command.pack_id, command.member_id, ticket.state, book, store_id)


def park_refusal(command: ParkTicket, s: TillServices) -> TillRefusal | None:
    return s.held.refusal_to_hold()


def close_shift_refusal(command: CloseShift, s: TillServices) -> TillRefusal | None:
    return s.day.refusal_to_close()


REFUSALS: dict[type, RefusalCheck] = {
    **dict.fromkeys(TICKET_COMMANDS, engine_refusal),
    AddItem: add_item_refusal,
    ApplyDiscount: discount_refusal,
    SellPack: pack_refusal,
    ParkTicket: park_refusal,
    CloseShift: close_shift_refusal,
}
