"""The contract between the two ends: what a real till writes to its outbox is what the
back office's payload models accept, and every event type has a model and a handler."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backoffice.sync.intake.handlers import HANDLERS
from pos_app.engine import AddItem, ApplyDiscount, Close, Present, Redeem
from pos_app.protocol.events import EVENT_VERSION, EventType
from pos_app.protocol.payloads import (
    PAYLOADS,
    EventHeader,
    ShiftClosed,
    TicketClosed,
    TicketRefunded,
)
from pos_app.protocol.records import RecordKind, checked_data
from pos_app.store.store_document import store_document_records
from pos_app.till.commands import OverrideAutoExecute, PayCard, PayCash, ResolveConflict
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import CloseShift, RefundSale
from pos_app.wiring import load_demo_document, open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers


@pytest.fixture
def runtime(data_dir: Path, clock: FakeClock) -> Iterator[TillRuntime]:
    runtime = open_till(data_dir, clock=clock)
    yield runtime
    runtime.close()


def outbox(runtime: TillRuntime) -> list[dict[str, Any]]:
    return [dict(event) for event in runtime.sync_store.pending_events(limit=100)]


def test_a_real_ticket_closed_payload_is_what_the_back_office_accepts(
    runtime: TillRuntime,
) -> None:
    """S3: a sale with promotions, coupons, a present, a discount and a split payment,
    closed by the real till, passes the back office's TicketClosed model unchanged."""
    till = runtime.till
    grant_cashiers(till)
    for sku in ("BURGER", "FRIES", "COLA", "COLA", "CAKE", "CAKE"):
        till.handle(AddItem(None, sku))
    till.handle(Present("L3"))
    till.handle(ApplyDiscount(None, percent="10", line_id="L5"))
    till.handle(Redeem("CV-5"))
    till.handle(PayCard("10.00"))
    till.handle(PayCash(str(till.amount_due + 5)))
    till.handle(Close())
    (event,) = outbox(runtime)
    header = EventHeader.model_validate(event)
    assert (header.type, header.version) == (EventType.TICKET_CLOSED, EVENT_VERSION)
    sale = TicketClosed.model_validate(event["payload"])
    assert len(sale.lines) == 6 and sale.coupons[0].code == "CV-5"
    assert {payment.method for payment in sale.payments} == {"card", "cash"}
    assert sale.model_dump(mode="json", exclude_unset=True).keys() <= event["payload"].keys()


def test_every_event_a_till_sends_has_a_model_and_a_handler(runtime: TillRuntime) -> None:
    """S3: manager events from the real till validate too; each event type on the wire
    has a payload model and a back-office handler, and nothing else does."""
    access = runtime.access
    access.set_pin("Grace", "2468", by=None)
    grace = Actor(access.verify_pin("Grace", "2468"))
    till = runtime.till
    till.handle(OverrideAutoExecute("DRINKS-BOGO", False), grace)
    till.handle(AddItem(None, "TEA"))
    till.handle(PayCash("5"))
    till.handle(Close())
    sale = next(e for e in outbox(runtime) if e["type"] == EventType.TICKET_CLOSED)
    runtime.sync_store.record_outcome(str(sale["idempotency_key"]), "conflict", "TEST")
    till.handle(ResolveConflict(str(sale["idempotency_key"]), "written_off"), grace)
    events = outbox(runtime)
    assert {e["type"] for e in events} == {EventType.OVERRIDE_CHANGED, EventType.CONFLICT_RESOLVED}
    for event in events:
        model = PAYLOADS[(event["type"], event["version"])]
        model.model_validate(event["payload"])
    assert {event_type for event_type, _ in PAYLOADS} == set(EventType)
    assert set(HANDLERS) == set(EventType)


def test_the_demo_store_passes_the_protocols_record_checks() -> None:
    """S9: every record of the demo store document is one the protocol accepts, so the
    back office's demo chain and a till's first start load the same data."""
    records = store_document_records(load_demo_document())
    assert records
    for record in records:
        checked_data(RecordKind(record["kind"]), record["id"], record["data"])


def test_real_refund_and_shift_payloads_are_what_the_back_office_accepts(
    runtime: TillRuntime,
) -> None:
    """S3: a return and a Z report made by the real till pass the back office's
    TicketRefunded and ShiftClosed models unchanged."""
    till = runtime.till
    till.handle(AddItem(None, "BURGER"))
    till.handle(AddItem(None, "TEA", 3))
    till.handle(PayCard(str(till.amount_due)))
    sold = till.handle(Close())
    till.handle(RefundSale(sold.number, "card", (("L2", 2),), reason="Wrong item"))
    till.handle(CloseShift("0.00"))
    events = {e["type"]: e for e in outbox(runtime)}
    refund = TicketRefunded.model_validate(events[EventType.TICKET_REFUNDED]["payload"])
    assert refund.refund_of_number == sold.number and refund.method == "card"
    assert [(line.line_id, line.qty) for line in refund.lines] == [("L2", 2)]
    shift = ShiftClosed.model_validate(events[EventType.SHIFT_CLOSED]["payload"])
    assert (shift.sales, shift.returns) == ("14.10", refund.amount)  # BOGO: a tea free
