"""The till through a shift: short ticket numbers per business day, held tickets that
survive a restart, the member on the ticket, returns at the price each line was sold
for (coupons given back only when all they covered comes back), and the day's close."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pos_app.engine import AddItem, Close, Redeem, Refusal
from pos_app.store.store_document import store_document_records
from pos_app.till.commands import PayCard, PayCash
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.returns import RefundDone
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import (
    AttachMember,
    CloseShift,
    DetachMember,
    ParkTicket,
    RecallTicket,
    RefundSale,
    Scan,
)
from pos_app.till.shift_report import ShiftReport
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.till.conftest import Snapshot

D = Decimal


def sell(runtime: TillRuntime, *items: tuple[str, int], card: bool = False) -> str:
    till = runtime.till
    for sku, qty in items:
        till.handle(AddItem(None, sku, qty))
    pay = PayCard(str(till.amount_due)) if card else PayCash(str(till.amount_due))
    till.handle(pay)
    return till.handle(Close()).number


def test_numbers_count_up_for_the_tills_whole_life_through_z_reports(
    runtime: TillRuntime,
) -> None:
    """STORE-TILL-SEQUENCE: D1-01-000001, -000002, ...; after a Z report -000003, never
    -000001 again. Z reports are numbered 1, 2, ... on their own."""
    assert sell(runtime, ("TEA", 1)) == "D1-01-000001"
    assert sell(runtime, ("TEA", 1)) == "D1-01-000002"
    first = runtime.till.handle(CloseShift("0")).outcome
    assert sell(runtime, ("TEA", 1)) == "D1-01-000003"
    second = runtime.till.handle(CloseShift("0")).outcome
    assert isinstance(first, ShiftReport) and isinstance(second, ShiftReport)
    assert (first.z_number, second.z_number) == (1, 2)
    assert second.title == "Z report No. 2 (end of day)"
    assert (second.first_number, second.last_number) == ("D1-01-000003", "D1-01-000003")


def test_a_held_ticket_survives_a_restart_with_its_coupons_and_member(
    runtime: TillRuntime, data_dir: Path, clock: FakeClock
) -> None:
    """Park, start another, restart the till, recall: lines, coupon, member and number
    come back; the open ticket with lines is held in its place."""
    till = runtime.till
    till.handle(AddItem(None, "BURGER"))
    till.handle(Redeem("TP-3"))
    till.handle(AttachMember("M-1001"))
    held = till.handle(ParkTicket())
    assert held.outcome == "D1-01-000001" and not till.state.lines
    till.handle(AddItem(None, "COLA"))
    runtime.close()
    again = open_till(data_dir, clock=clock)
    try:
        till = again.till
        assert [line.sku for line in till.state.lines] == ["COLA"]
        (parked,) = till.desk.parked()
        assert (parked.number, parked.member_name) == ("D1-01-000001", "Ada Lovelace")
        back = till.handle(RecallTicket(parked.ticket_id))
        assert back.number == "D1-01-000001" and back.member_name == "Ada Lovelace"
        assert "TP-3" in back.priced.coupons
        (cola,) = till.desk.parked()  # the cola ticket took its place on hold
        assert cola.first_items == "Cola"
    finally:
        again.close()


def test_parking_an_empty_ticket_is_refused(runtime: TillRuntime) -> None:
    """Nothing to hold: refused, nothing written."""
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(ParkTicket())
    assert refused.value.code == TillCode.NOTHING_TO_PARK


def test_the_member_is_on_the_ticket_and_its_payload(runtime: TillRuntime) -> None:
    """AttachMember names the member; an unknown member is refused; the closed ticket's
    event carries the member."""
    till = runtime.till
    with pytest.raises(TillRefusal):
        till.handle(AttachMember("M-404"))
    till.handle(AddItem(None, "TEA"))
    assert till.handle(AttachMember("M-1002")).member_name == "Grace Hopper"
    assert till.handle(DetachMember()).member_name is None
    till.handle(AttachMember("M-1002"))
    till.handle(PayCash("5"))
    till.handle(Close())
    (event,) = runtime.sync_store.pending_events()
    assert event["payload"]["member_id"] == "M-1002"


def test_a_scan_rings_up_an_item_by_barcode_or_redeems_a_code(runtime: TillRuntime) -> None:
    """A barcode adds its item; a coupon code (any case, where the back office says so)
    is redeemed; anything else is refused naming the code."""
    till = runtime.till
    assert till.handle(Scan("200000000008")).line_id == "L1"  # COLA
    till.handle(Scan("tp-3"))
    assert "TP-3" in till.priced.coupons
    with pytest.raises(Refusal) as refused:
        till.handle(Scan("999"))
    assert refused.value.message == "No item or coupon has the code 999"


def returned(runtime: TillRuntime, change_outcome: object) -> RefundDone:
    assert isinstance(change_outcome, RefundDone)
    return change_outcome


def test_a_partial_return_gives_back_the_lines_net_share(runtime: TillRuntime) -> None:
    """Three teas sold for 2.10 (one free): one back is 0.70, two more are 1.40; a
    fourth is refused, naming the line."""
    number = sell(runtime, ("TEA", 3))
    till = runtime.till
    first = returned(runtime, till.handle(RefundSale(number, "cash", (("L1", 1),))).outcome)
    assert (first.amount, first.refund_of) == (D("0.70"), number)
    second = returned(runtime, till.handle(RefundSale(number, "cash", (("L1", 2),))).outcome)
    assert second.amount == D("1.40")
    with pytest.raises(TillRefusal) as refused:
        till.handle(RefundSale(number, "cash", (("L1", 1),)))
    assert "Tea: 0 of 3 left to return" in refused.value.message


def test_a_card_refund_is_only_for_a_sale_paid_by_card(runtime: TillRuntime) -> None:
    """Cash sale: refund by card refused; card sale: at most what the card paid."""
    cash_sale = sell(runtime, ("BURGER", 1))
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(RefundSale(cash_sale, "card"))
    assert refused.value.message == f"{cash_sale} was not paid by card: refund in cash"
    card_sale = sell(runtime, ("BURGER", 1), card=True)
    done = returned(runtime, runtime.till.handle(RefundSale(card_sale, "card")).outcome)
    assert done.amount == D("12.00") and done.method == "card"


@pytest.mark.parametrize(
    ("number", "method", "lines", "code"),
    [
        ("D9-99-000001", "cash", None, TillCode.UNKNOWN_TICKET),
        ("D1-01-000001", "cheque", None, TillCode.INVALID_METHOD),
        ("D1-01-000001", "cash", (("L7", 1),), TillCode.NOTHING_TO_RETURN),
        ("D1-01-000001", "cash", (("L1", 0),), TillCode.INVALID_QUANTITY),
        ("D1-01-000001", "cash", (("L1", "1.5"),), TillCode.INVALID_QUANTITY),
        ("D1-01-000001", "cash", (), TillCode.NOTHING_TO_RETURN),
    ],
)
def test_a_bad_return_is_refused_and_writes_nothing(
    runtime: TillRuntime,
    snapshot: Callable[[], Snapshot],
    number: str,
    method: str,
    lines: tuple[tuple[str, object], ...] | None,
    code: TillCode,
) -> None:
    """Unknown number, method, line or quantity: refused with the reason, no row."""
    sell(runtime, ("BURGER", 1))
    before = snapshot()
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(RefundSale(number, method, lines))
    assert refused.value.code == code
    assert snapshot() == before


def test_a_coupon_comes_back_only_when_all_it_covered_is_returned(
    runtime: TillRuntime,
) -> None:
    """A member's single-use voucher on a two-line sale: returning one line keeps it
    spent; returning the other gives it back (a recorded reversal): it redeems again."""
    runtime.sync_store.apply_changes_page(
        store_document_records(
            {
                "entitlements": [
                    {
                        "code": "MV-ADA-9",
                        "member_id": "M-1001",
                        "coupon_code": "MV-4",
                        "status": "active",
                    }
                ]
            }
        ),
        None,
    )
    till = runtime.till
    till.reload_configuration()
    till.handle(AddItem(None, "BURGER"))
    till.handle(AddItem(None, "SALAD"))
    till.handle(Redeem("MV-ADA-9"))
    till.handle(PayCash(str(till.amount_due)))
    number = till.handle(Close()).number
    first = returned(runtime, till.handle(RefundSale(number, "cash", (("L1", 1),))).outcome)
    assert first.plan.restored_codes == ()
    till.handle(AddItem(None, "TEA"))
    with pytest.raises(Refusal):
        till.handle(Redeem("MV-ADA-9"))
    second = returned(runtime, till.handle(RefundSale(number, "cash", (("L2", 1),))).outcome)
    assert second.plan.restored_codes == ("MV-ADA-9",)
    till.handle(Redeem("MV-ADA-9"))
    assert "MV-ADA-9" in till.priced.coupons
    events = [e for e in runtime.sync_store.pending_events() if e["type"] == "ticket.refunded"]
    assert [e["payload"]["restored_codes"] for e in events] == [[], ["MV-ADA-9"]]


def test_the_z_report_is_refused_while_a_ticket_is_open(runtime: TillRuntime) -> None:
    """Close the day: the open ticket must be finished, held or voided first."""
    runtime.till.handle(AddItem(None, "TEA"))
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(CloseShift("0"))
    assert refused.value.code == TillCode.TICKET_OPEN


def test_the_z_report_counts_sales_returns_and_cash(runtime: TillRuntime) -> None:
    """Sales less returns per method; expected cash is the cash taken less given back;
    the counted cash's difference is on the report; shift.closed carries it."""
    cash_sale = sell(runtime, ("BURGER", 1))
    sell(runtime, ("SALAD", 1), card=True)
    runtime.till.handle(RefundSale(cash_sale, "cash"))
    report = runtime.till.handle(CloseShift("1.00")).outcome
    assert isinstance(report, ShiftReport)
    assert (report.sales, report.returns, report.net) == (D("18.50"), D("12.00"), D("6.50"))
    assert report.by_method["cash"].net == D("0.00") == report.expected_cash
    assert report.by_method["card"].net == D("6.50")
    assert report.cash_difference == D("1.00")
    assert report.promotions == {"Salad special": D("1.50")}
    (event,) = [e for e in runtime.sync_store.pending_events() if e["type"] == "shift.closed"]
    assert event["payload"]["net"] == "6.50"
    assert event["payload"]["report"]["counted_cash"] == "1.00"
