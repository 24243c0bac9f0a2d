"""Selling a coupon pack on a ticket, and closing the ticket."""

from __future__ import annotations

from dataclasses import replace

from pos_app.engine.actions.context import ActionContext, Change, text
from pos_app.engine.commands import Close, SellPack
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.packs import PackLine


def sell_pack(ticket: ActionContext, command: SellPack) -> Change:
    """A coupon pack as a line of its own at its price, sold to ``member_id`` (K12);
    the packs of one ticket go to one member. No pricing rule sees it (see
    :mod:`pos_app.engine.packs`)."""
    ticket.require_open()
    ticket.require_room()
    line_id = ticket.new_line_id(command.line_id)
    pack_id, member_id = command.pack_id, command.member_id
    pack = ticket.book.packs.get(text(pack_id, "Pack id"))
    if pack is None:
        raise Refusal(RefusalCode.UNKNOWN, f"Unknown coupon pack {pack_id}")
    if not isinstance(member_id, str) or not member_id.strip():
        raise Refusal(
            RefusalCode.NOT_APPLICABLE,
            f"{pack.name} is sold to a member: find the customer by phone first",
        )
    if any(line.member_id != member_id for line in ticket.state.packs):
        raise Refusal(
            RefusalCode.NOT_APPLICABLE,
            f"The coupon packs on this ticket are sold to another member: {pack.name}"
            " goes on a ticket of its own",
        )
    line = PackLine(line_id, pack.pack_id, pack.name, pack.price, member_id)
    return Change(replace(ticket.state, packs=(*ticket.state.packs, line)))


def close(ticket: ActionContext, command: Close) -> Change:
    """Close the ticket; refused while a coupon is worth 0 (§5.2)."""
    ticket.require_open()
    if not ticket.priced.can_close:
        raise Refusal(RefusalCode.ZERO_AMOUNT_COUPON)
    # Closing changes no price: keep the priced ticket rather than recalculate.
    return Change(
        replace(ticket.state, closed=True), replace(ticket.priced, closed=True), final=True
    )
