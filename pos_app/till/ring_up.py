"""Ringing an item up by its key: a second tap on the same item raises the last line's
quantity, as a cashier expects, whenever the line is plain; the engine's AddItem always
makes a new line (ENGINE-RULES: the lines a coupon claims take new items as new lines),
so the choice is made here, before the engine is asked."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.engine import AddItem, PricedLine, PricedTicket, SetQuantity
from pos_app.engine.bounds import MAX_QUANTITY, QuantityError, parse_quantity


def line_to_raise(priced: PricedTicket, sku: str, qty: int) -> PricedLine | None:
    """The ticket's last item line, when it is ``sku`` and nothing holds it: no coupon
    claims it, no promotion holds any of its units, no discount, present or price is on
    it, and ``qty`` more stays within the quantity bound. None: ring up a new line."""
    items = [line for line in priced.lines if not line.is_gift and line.pack_id is None]
    if not items:
        return None
    last = items[-1]
    plain = (
        last.sku == sku
        and not last.adjustments
        and not last.coupon_codes
        and not last.claiming_promotions
        and not last.presented
        and last.adjusted_price is None
    )
    return last if plain and last.qty + qty <= MAX_QUANTITY else None


def tap_command(
    priced: PricedTicket, sku: str, qty: object, new_line_id: Callable[[], str]
) -> AddItem | SetQuantity:
    """SetQuantity on the line to raise, or AddItem as the ticket's next line id (asked
    of ``new_line_id`` only then; also for a quantity out of bounds: the engine refuses
    it in its words)."""
    try:
        count = parse_quantity(qty)
    except QuantityError:
        return AddItem(new_line_id(), sku, qty)
    line = line_to_raise(priced, sku, count)
    if line is None:
        return AddItem(new_line_id(), sku, count)
    return SetQuantity(line.line_id, line.qty + count)
