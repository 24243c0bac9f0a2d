"""Manager actions: each is audited and reported through the outbox in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from pos_app.engine import AddItem, Close, Refusal, RefusalCode
from pos_app.store.models.audit import AuditEntry
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import OverrideAutoExecute, PayCash, ResolveConflict, VoidTicket
from pos_app.till.errors import TillCode, TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.runtime import TillRuntime
from tests.till.conftest import Snapshot


def audit_log(runtime: TillRuntime) -> list[AuditEntry]:
    with UnitOfWork(runtime.database.sessions) as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_an_auto_execute_override_is_audited_reported_and_reprices(
    runtime: TillRuntime, grace: Actor
) -> None:
    """R12: the override wins at once; audit row and override.changed event go together."""
    till = runtime.till
    till.handle(AddItem("L1", "COLA", 2))
    assert till.priced.total == Decimal("3.00")  # DRINKS-BOGO
    change = till.handle(OverrideAutoExecute("DRINKS-BOGO", False), grace)
    assert change.priced.total == Decimal("6.00")
    assert change.outbox_pending == 1
    *_, entry = audit_log(runtime)
    assert (entry.manager, entry.action, entry.subject) == (
        "Grace",
        "override.changed",
        "DRINKS-BOGO",
    )
    assert json.loads(entry.detail)["auto_execute"] is False
    (event,) = runtime.sync_store.pending_events()
    assert event["type"] == "override.changed"
    payload = event["payload"]
    assert set(payload) == {"store_id", "promotion_id", "auto_execute", "manager", "changed_at"}
    assert (payload["promotion_id"], payload["auto_execute"], payload["store_id"]) == (
        "DRINKS-BOGO",
        False,
        "DEMO-1",
    )
    till.handle(OverrideAutoExecute("DRINKS-BOGO", True), grace)
    assert till.priced.total == Decimal("3.00")


def test_an_override_of_an_unknown_promotion_or_without_manager_writes_nothing(
    runtime: TillRuntime, grace: Actor, snapshot: Callable[[], Snapshot]
) -> None:
    """Manager actions are refused whole: no audit row, no event; a cashier, or a
    manager whose session ended, is refused MANAGER_REQUIRED."""
    before = snapshot()
    with pytest.raises(Refusal) as refused:
        runtime.till.handle(OverrideAutoExecute("NOPE", True), grace)
    assert refused.value.code == RefusalCode.UNKNOWN
    with pytest.raises(TillRefusal) as missing:
        runtime.till.handle(OverrideAutoExecute("DRINKS-BOGO", True))
    assert missing.value.code == TillCode.MANAGER_REQUIRED
    runtime.access.end_session(grace.manager)
    with pytest.raises(TillRefusal) as ended:
        runtime.till.handle(OverrideAutoExecute("DRINKS-BOGO", True), grace)
    assert ended.value.code == TillCode.MANAGER_REQUIRED
    assert snapshot() == before


def test_a_conflict_is_resolved_by_a_recorded_follow_up(runtime: TillRuntime, grace: Actor) -> None:
    """S6: the resolution is stored, audited and reported as conflict.resolved."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    till.handle(PayCash("12"))
    till.handle(Close())
    (sale,) = runtime.sync_store.pending_events()
    key = sale["idempotency_key"]
    runtime.sync_store.record_outcome(key, "conflict", "COUPON_ALREADY_REDEEMED")
    change = till.handle(ResolveConflict(key, "accepted_loss", "voucher honoured"), grace)
    assert change.outbox_pending == 1
    assert runtime.sync_store.conflicts() == []
    (resolved,) = runtime.sync_store.conflicts(open_only=False)
    assert resolved.resolution == "accepted_loss"
    *_, entry = audit_log(runtime)
    assert (entry.action, entry.subject) == ("conflict.resolved", key)
    (event,) = runtime.sync_store.pending_events()
    assert event["type"] == "conflict.resolved"
    assert event["payload"] == {
        "store_id": "DEMO-1",
        "conflict_key": key,
        "resolution": "accepted_loss",
        "note": "voucher honoured",
        "manager": "Grace",
    }
    with pytest.raises(TillRefusal) as again:
        till.handle(ResolveConflict(key, "accepted_loss"), grace)
    assert again.value.code == TillCode.ALREADY_RESOLVED
    with pytest.raises(TillRefusal) as unknown:
        till.handle(ResolveConflict("no-such-key", "x"), grace)
    assert unknown.value.code == TillCode.UNKNOWN_CONFLICT


def test_voiding_a_ticket_is_audited_and_sells_nothing(runtime: TillRuntime, grace: Actor) -> None:
    """A voided ticket leaves an audit row, no sale and no event."""
    till = runtime.till
    till.handle(AddItem("L1", "BURGER"))
    ticket_id = till.ticket_id
    change = till.handle(VoidTicket("customer left"), grace)
    assert change.priced.lines == () and change.ticket_id != ticket_id
    *_, entry = audit_log(runtime)
    assert (entry.action, entry.subject) == ("ticket.voided", ticket_id)
    assert json.loads(entry.detail)["reason"] == "customer left"
    assert runtime.sync_store.pending_events() == []
