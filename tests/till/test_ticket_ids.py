"""Line and discount ids the till gives: unique on a ticket, never reused (R6)."""

from __future__ import annotations

from decimal import Decimal

from pos_app.engine import LineState, Redemption, StoreDiscount, TicketState
from pos_app.till.ticket_ids import TicketIds


def line(line_id: str) -> LineState:
    return LineState(line_id=line_id, sku="TEA", qty=1, unit_price=Decimal("1.05"))


def test_ids_count_up_and_skip_every_id_the_ticket_mentions() -> None:
    """Above lines, line discounts and coupon claims (a voided line a coupon claimed)."""
    ids = TicketIds()
    state = TicketState(
        lines=(line("L1"), line("L2")),
        discounts=(StoreDiscount("D4", percent=Decimal(5), line_id="L6"),),
        redemptions=(Redemption("C", claimed_lines=("L9",)),),
    )
    assert ids.next_line_id("T1", state) == "L10"
    assert ids.next_line_id("T1", state) == "L11"
    assert ids.next_discount_id("T1", state) == "D5"


def test_a_voided_last_line_is_not_given_again_on_the_same_ticket() -> None:
    """L2 voided: the next line is L3, not L2 again."""
    ids = TicketIds()
    assert ids.next_line_id("T1", TicketState(lines=(line("L1"),))) == "L2"
    assert ids.next_line_id("T1", TicketState(lines=(line("L1"),))) == "L3"


def test_a_new_ticket_starts_again_at_one() -> None:
    """Ids are per ticket."""
    ids = TicketIds()
    ids.next_line_id("T1", TicketState())
    assert ids.next_line_id("T2", TicketState()) == "L1"
    assert ids.next_discount_id("T2", TicketState()) == "D1"
