"""Payments and closing: exact cover, change, and one transaction for everything (S1)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pos_app.engine import AddItem, Close, Present, Redeem, Refusal, RefusalCode, RemoveLine
from pos_app.store import outbox as outbox_module
from pos_app.store.models.tickets import (
    ClosedTicket,
    LineAdjustment,
    OpenTicket,
    Payment,
    TicketCoupon,
    TicketLine,
)
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import ClearPayments, PayCard, PayCash
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.runtime import TillRuntime
from pos_app.wiring import open_till
from tests.helpers.device_clock import FakeClock
from tests.helpers.permissions import grant_cashiers
from tests.till.conftest import Snapshot

PAYLOAD_KEYS = {
    "ticket_id",
    "store_id",
    "device_id",
    "opened_at",
    "closed_at",
    "currency",
    "total",
    "lines",
    "promotions",
    "coupons",
    "discounts",
    "payments",
    "number",
    "tax_inclusive",
    "taxes",
    "tax_total",
    "amount_paid",
}


def ring_up_meal(runtime: TillRuntime) -> None:
    """Burger, fries and cola: the COMBO-MEAL makes them 15.00."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(AddItem("L2", "FRIES"))
    till.handle(AddItem("L3", "COLA"))


def test_close_writes_ticket_lines_adjustments_payments_and_event(runtime: TillRuntime) -> None:
    """S1: the closed ticket, its rows and its ticket.closed event are all written."""
    ring_up_meal(runtime)
    till = runtime.till
    till.handle(Redeem("CUSTOM-1"))
    till.handle(PayCard("4.00"))
    till.handle(PayCash("20"))
    ticket_id = till.ticket_id
    change = till.handle(Close())
    assert change.closed_ticket_id == ticket_id
    assert change.priced.total == Decimal("14.00")
    assert change.change_given == Decimal("10.00")
    assert change.outbox_pending == 1
    with UnitOfWork(runtime.database.sessions) as uow:
        session = uow.session
        ticket = session.get(ClosedTicket, ticket_id)
        assert ticket is not None and ticket.total == Decimal("14.00")
        assert [line.sku for line in ticket.lines] == ["BURGER", "FRIES", "COLA"]
        adjustments = session.scalars(select(LineAdjustment)).all()
        assert {a.source for a in adjustments} == {"COMBO-MEAL", "CUSTOM-1"}
        assert [(p.method, p.amount, p.tendered, p.change) for p in ticket.payments] == [
            ("card", Decimal("4.00"), Decimal("4.00"), Decimal("0")),
            ("cash", Decimal("10.00"), Decimal("20.00"), Decimal("10.00")),
        ]
        assert [c.code for c in ticket.coupons] == ["CUSTOM-1"]
        assert session.scalars(select(OpenTicket)).all() == []
    (event,) = runtime.sync_store.pending_events()
    assert event["type"] == "ticket.closed" and event["version"] == 1
    payload = event["payload"]
    assert set(payload) == PAYLOAD_KEYS
    assert payload["ticket_id"] == ticket_id
    assert payload["store_id"] == "DEMO-1"
    assert payload["total"] == "14.00"
    assert payload["promotions"] == {"COMBO-MEAL": "4.00"}
    assert payload["coupons"] == [
        {"code": "CUSTOM-1", "kind": "custom", "amount": "1.00", "lines": ["L1", "L2", "L3"]}
    ]
    line = payload["lines"][0]
    assert set(line) == {
        "line_id",
        "sku",
        "name",
        "qty",
        "unit_price",
        "gross",
        "net",
        "adjustments",
        "tax_rate",
        "tax",
    }
    assert set(line["adjustments"][0]) == {"stage", "kind", "source", "rule", "amount"}
    assert payload["payments"][1] == {
        "method": "cash",
        "amount": "10.00",
        "tendered": "20.00",
        "change": "10.00",
    }


def test_a_failure_after_the_ticket_insert_writes_nothing(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot], monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1: a crash between the ticket rows and the outbox event leaves neither."""
    ring_up_meal(runtime)
    till = runtime.till
    till.handle(PayCash("15.00"))
    before, state, ticket_id = snapshot(), till.state, till.ticket_id
    inserted: list[bool] = []

    def crash(connection: sqlite3.Connection, *args: object, **kwargs: object) -> None:
        # the ticket and its rows are already inserted in this transaction
        def count(table: str) -> int:
            sql = f"SELECT count(*) FROM {table} WHERE ticket_id = ?"
            return int(connection.execute(sql, (ticket_id,)).fetchone()[0])

        inserted.append(count(ClosedTicket.__tablename__) == 1)
        inserted.append(count(TicketLine.__tablename__) == 3)
        raise RuntimeError("power cut")

    monkeypatch.setattr("pos_app.store.outbox.write_event", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        till.handle(Close())
    assert inserted == [True, True]
    assert snapshot() == before
    assert (till.state, till.ticket_id) == (state, ticket_id)
    assert not till.state.closed
    monkeypatch.undo()
    assert till.handle(Close()).closed_ticket_id == ticket_id


def test_a_crash_before_commit_leaves_the_ticket_open_after_restart(
    runtime: TillRuntime, data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1: after a failed close and a restart, the same ticket is open with its payments."""
    ring_up_meal(runtime)
    runtime.till.handle(PayCash("20"))
    ticket_id = runtime.till.ticket_id

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr("pos_app.store.outbox.write_event", crash)
    with pytest.raises(RuntimeError):
        runtime.till.handle(Close())
    runtime.database.engine.dispose()
    monkeypatch.undo()
    restarted = open_till(data_dir, clock=clock)
    try:
        assert restarted.till.ticket_id == ticket_id
        assert restarted.till.amount_due == 0
        assert restarted.sync_store.pending_events() == []
        restarted.till.handle(Close())
        assert len(restarted.sync_store.pending_events()) == 1
    finally:
        restarted.close()


def test_a_short_tender_is_refused_and_writes_nothing(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """Closing needs payments that cover the total: SHORT_TENDER says what is still due."""
    ring_up_meal(runtime)
    runtime.till.handle(PayCash("10.00"))
    before = snapshot()
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(Close())
    assert refused.value.code == TillCode.SHORT_TENDER
    assert "5.00 still due" in refused.value.message
    assert snapshot() == before


def test_cash_gives_change_and_a_card_never_pays_more_than_due(runtime: TillRuntime) -> None:
    """Cash above what is due comes back as change; a card over the amount due is refused."""
    ring_up_meal(runtime)
    till = runtime.till
    with pytest.raises(TillRefusal) as refused:
        till.handle(PayCard("15.01"))
    assert refused.value.code == TillCode.OVERPAYMENT
    till.handle(PayCard("5.00"))
    change = till.handle(PayCash("50"))
    assert change.payments[-1].amount == Decimal("10.00")
    assert change.payments[-1].change == Decimal("40.00")
    assert change.amount_due == 0
    with pytest.raises(TillRefusal) as refused:
        till.handle(PayCash("1"))
    assert refused.value.code == TillCode.NOTHING_DUE


@pytest.mark.parametrize("amount", ["-1", "0", "abc", "1.234", 1.5])
def test_payment_amounts_must_be_positive_money(runtime: TillRuntime, amount: object) -> None:
    """A payment amount is a positive decimal in the currency's minor unit."""
    ring_up_meal(runtime)
    with pytest.raises(TillRefusal) as refused:
        runtime.till.handle(PayCash(amount))
    assert refused.value.code == TillCode.INVALID_AMOUNT


def test_a_ticket_that_fell_below_its_payments_is_refused_until_cleared(
    runtime: TillRuntime,
) -> None:
    """OVERPAID: payments above the total must be cleared and taken again."""
    grant_cashiers(runtime.till)
    ring_up_meal(runtime)
    till = runtime.till
    till.handle(PayCard("15.00"))
    till.handle(RemoveLine("L3"))  # the combo breaks: 16.00, so 1.00 more is due
    till.handle(PayCard("1.00"))
    till.handle(AddItem("L4", "COLA"))
    till.handle(RemoveLine("L4"))
    till.handle(RemoveLine("L2"))  # 12.00 left, 16.00 paid
    with pytest.raises(TillRefusal) as refused:
        till.handle(Close())
    assert refused.value.code == TillCode.OVERPAID
    assert till.handle(ClearPayments()).amount_due == Decimal("12.00")
    till.handle(PayCash("12"))
    assert till.handle(Close()).priced.total == Decimal("12.00")


def test_an_empty_ticket_or_a_zero_coupon_cannot_close(
    runtime: TillRuntime, snapshot: Callable[[], Snapshot]
) -> None:
    """Nothing to close is INVALID; a coupon worth 0 is ZERO_AMOUNT_COUPON (§5.2)."""
    grant_cashiers(runtime.till)
    till = runtime.till
    with pytest.raises(Refusal) as refused:
        till.handle(Close())
    assert refused.value.code == RefusalCode.INVALID
    till.handle(AddItem("L1", "COLA"))
    till.handle(Redeem("CUSTOM-1"))
    till.handle(Present("L1"))
    before = snapshot()
    with pytest.raises(Refusal) as refused:
        till.handle(Close())
    assert refused.value.code == RefusalCode.ZERO_AMOUNT_COUPON
    assert snapshot() == before


def test_closing_starts_a_new_empty_ticket(
    runtime: TillRuntime, data_dir: Path, clock: FakeClock
) -> None:
    """After close the till is on a fresh ticket, also after a restart."""
    ring_up_meal(runtime)
    till = runtime.till
    till.handle(PayCash("15"))
    closed_id = till.handle(Close()).closed_ticket_id
    assert till.ticket_id != closed_id
    assert till.state.lines == () and till.payments == ()
    runtime.database.engine.dispose()
    again = open_till(data_dir, clock=clock)
    try:
        assert again.till.state.lines == ()
        assert again.till.ticket_id != closed_id
    finally:
        again.close()


def test_every_close_queues_one_event_in_order(runtime: TillRuntime, clock: FakeClock) -> None:
    """S3/S4/S13: device_seq counts up, keys are unique UUIDs, device time is recorded."""
    till = runtime.till
    ticket_ids = []
    for i in range(3):
        clock.advance(minutes=1)
        till.handle(AddItem(f"L{i}", "TEA"))
        till.handle(PayCash("5"))
        ticket_ids.append(till.handle(Close()).closed_ticket_id)
    events = runtime.sync_store.pending_events()
    assert [e["device_seq"] for e in events] == [1, 2, 3]
    assert [e["payload"]["ticket_id"] for e in events] == ticket_ids
    assert len({e["idempotency_key"] for e in events}) == 3
    assert all(uuid.UUID(e["idempotency_key"]).version == 4 for e in events)
    assert events[0]["device_time"] < events[2]["device_time"]


def test_a_single_use_code_redeems_once(runtime: TillRuntime) -> None:
    """S14: a member's entitlement redeems offline, once; a second ticket is refused."""
    runtime.sync_store.apply_changes_page(
        [
            {
                "kind": "entitlement",
                "version": 1,
                "id": "ENT-7",
                "deleted": False,
                "data": {
                    "code": "ENT-7",
                    "member_id": "M-1001",
                    "coupon_code": "MV-4",
                    "status": "active",
                },
            },
        ],
        "1",
    )
    till = runtime.till
    till.reload_configuration()
    till.handle(AddItem("L1", "BURGER"))
    assert till.handle(Redeem("ENT-7")).priced.coupons["ENT-7"].amount == Decimal("4.00")
    till.handle(PayCash("8"))
    ticket_id = till.handle(Close()).closed_ticket_id
    with UnitOfWork(runtime.database.sessions) as uow:
        row = uow.session.get(TicketCoupon, (ticket_id, "ENT-7"))
        assert row is not None and row.single_use and json.loads(row.line_ids) == ["L1"]
    till.handle(AddItem("L1", "BURGER"))
    with pytest.raises(Refusal) as refused:
        till.handle(Redeem("ENT-7"))
    assert refused.value.code == RefusalCode.ALREADY_APPLIED
    assert "already redeemed" in refused.value.message
    till.handle(Redeem("MV-4"))  # an ordinary coupon redeems again and again


def test_closed_ticket_rows_match_the_priced_ticket(runtime: TillRuntime) -> None:
    """R13: every line's net and each adjustment are kept as priced."""
    ring_up_meal(runtime)
    priced = runtime.till.priced
    runtime.till.handle(PayCash("15"))
    ticket_id = runtime.till.handle(Close()).closed_ticket_id
    with UnitOfWork(runtime.database.sessions) as uow:
        lines = uow.session.scalars(
            select(TicketLine)
            .where(TicketLine.ticket_id == ticket_id)
            .order_by(TicketLine.position)
        ).all()
        payments = uow.session.scalars(select(Payment)).all()
        assert [(x.line_id, x.net) for x in lines] == [(x.line_id, x.net) for x in priced.lines]
        assert sum(x.net for x in lines) == priced.total
        assert [a.amount for a in lines[0].adjustments] == [
            a.amount for a in priced.lines[0].adjustments
        ]
        assert len(payments) == 1


def test_close_is_one_durable_transaction(
    runtime: TillRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S1: the ticket rows and the event share one immediate transaction, committed with
    synchronous=FULL; the outbox count reported is that transaction's."""
    ring_up_meal(runtime)
    till = runtime.till
    till.handle(PayCash("15"))
    seen: list[tuple[bool, int]] = []
    real_write_event = outbox_module.write_event

    def watch(connection: sqlite3.Connection, *args: Any, **kwargs: Any) -> Any:
        synchronous = int(connection.execute("PRAGMA synchronous").fetchone()[0])
        seen.append((connection.in_transaction, synchronous))
        return real_write_event(connection, *args, **kwargs)

    monkeypatch.setattr(outbox_module, "write_event", watch)
    change = till.handle(Close())
    assert seen == [(True, 2)]  # in the ticket's transaction, FULL
    assert change.outbox_pending == runtime.sync_store.outbox_counts().pending == 1
