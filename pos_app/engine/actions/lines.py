"""The actions on a ticket's item lines: ring up, quantity, void, present, price."""

from __future__ import annotations

from dataclasses import replace

from pos_app.engine.actions.context import ActionContext, Change, quantity, text
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    Present,
    RemoveLine,
    SetQuantity,
    Unadjust,
    Unpresent,
)
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.ticket_state import LineState


def add_item(ticket: ActionContext, command: AddItem) -> Change:
    """Ring up ``qty`` of ``sku`` as a new line at the catalog price."""
    ticket.require_open()
    ticket.require_room()
    line_id = ticket.new_line_id(command.line_id)
    qty = quantity(command.qty)
    sku = command.sku
    item = ticket.book.items.get(text(sku, "SKU"))
    if item is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Unknown item {sku}")
    line = LineState(line_id=line_id, sku=item.sku, qty=qty, unit_price=item.price)
    return Change(replace(ticket.state, lines=(*ticket.state.lines, line)))


def set_quantity(ticket: ActionContext, command: SetQuantity) -> Change | None:
    """Change a line's quantity. A line a coupon with items claims keeps the units it
    had when the coupon was redeemed (R6, seed §5.1, §6): more of the item is a new
    line; setting the quantity it already has changes nothing."""
    ticket.require_open()
    qty = quantity(command.qty)
    line = ticket.line(command.line_id)
    if qty == line.qty:
        return None
    ticket.require_not_covered(line)
    return Change(ticket.with_line(replace(line, qty=qty)))


def remove_line(ticket: ActionContext, command: RemoveLine) -> Change:
    """Void a line; its store discounts go with it. A coupon-claimed line is refused (§6).
    A coupon pack's line simply goes."""
    ticket.require_open()
    state, line_id = ticket.state, command.line_id
    if isinstance(line_id, str) and state.pack_line(line_id) is not None:
        packs = tuple(p for p in state.packs if p.line_id != line_id)
        return Change(replace(state, packs=packs))
    line = ticket.line(line_id)
    ticket.require_not_covered(line)
    return Change(
        replace(
            state,
            lines=tuple(x for x in state.lines if x.line_id != line.line_id),
            discounts=tuple(d for d in state.discounts if d.line_id != line.line_id),
        )
    )


def present(ticket: ActionContext, command: Present) -> Change:
    """Make a line free (local free item, stage 1)."""
    ticket.require_open()
    line = ticket.line(command.line_id)
    ticket.require_not_covered(line)
    return Change(ticket.with_line(replace(line, presented=True)))


def unpresent(ticket: ActionContext, command: Unpresent) -> Change:
    ticket.require_open()
    line = ticket.line(command.line_id)
    return Change(ticket.with_line(replace(line, presented=False)))


def adjust_price(ticket: ActionContext, command: AdjustPrice) -> Change:
    """Set a new unit price for a line (stage 1)."""
    ticket.require_open()
    new_price = ticket.amount(command.price, "The new price")
    line = ticket.line(command.line_id)
    ticket.require_not_covered(line)
    return Change(ticket.with_line(replace(line, adjusted_price=new_price)))


def unadjust(ticket: ActionContext, command: Unadjust) -> Change:
    ticket.require_open()
    line = ticket.line(command.line_id)
    return Change(ticket.with_line(replace(line, adjusted_price=None)))
