"""The conflict list (S6): shown to the manager with what to do, resolved by a recorded
follow-up (audit row and conflict.resolved event), never dropped."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pos_app.engine import AddItem, Close, Redeem
from pos_app.store.models.audit import AuditEntry
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import PayCard
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen, open_screen


@pytest.fixture
def screen(strict_screen: Screen) -> Screen:
    """These tests set the till's first manager up themselves."""
    return strict_screen


def make_conflict(screen: Screen, reason: str) -> str:
    """Sell a coupon'd ticket, then the back office answers its event with a conflict."""
    till = screen.app.runtime.new_till()
    till.handle(AddItem("X1", "BURGER"))
    till.handle(Redeem("TP-3"))
    till.handle(PayCard("9.00"))
    till.handle(Close())
    store = screen.app.runtime.sync_store
    key = str(store.pending_events()[-1]["idempotency_key"])
    store.record_outcome(key, "conflict", reason)
    return key


def test_conflicts_show_what_to_do_and_resolve_with_a_record(screen: Screen) -> None:
    """The card says what happened and what to do; a follow-up button resolves it:
    audited, queued as conflict.resolved, and the list and counts update."""
    key = make_conflict(screen, "COUPON_ALREADY_REDEEMED: TP-3 was already redeemed")
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", "2468", by=None))
    screen.do(screen.manager.list_managers)
    screen.do(lambda: screen.manager.verify_pin("Grace", "2468"))
    mode = screen.window.manager.manager_mode
    mode.show_tab(mode.conflicts)
    view = mode.conflicts
    assert [c.conflict_key for c in view.conflicts] == [key]
    assert mode.tabs.tabText(1) == "Conflicts (1)"
    assert screen.window.status.conflicts.text() == "1 conflict"
    listing = view.widget()
    assert listing is not None
    joined = " ".join(label.text() for label in listing.findChildren(QLabel))
    assert "Coupon redeemed twice" in joined
    assert "What to do:" in joined and "coupon Delivery platform 3.00" in joined
    assert "Back office: TP-3 was already redeemed" in joined
    assert "Ticket D1-01-000001 · total" in joined
    toggle, details = view.details[key]
    assert not details.isVisibleTo(view)  # codes and ids only behind Details
    shown = [label.text() for label in listing.findChildren(QLabel) if label.isVisibleTo(view)]
    assert not any("COUPON_ALREADY_REDEEMED" in text or "ticket.closed" in text for text in shown)
    screen.click(toggle)
    assert details.isVisibleTo(view)
    assert "Reason: COUPON_ALREADY_REDEEMED" in details.text() and key in details.text()
    view.notes[key].setText("Customer paid the 3.00")
    screen.click(view.buttons[(key, "collected")])
    assert view.conflicts == []
    assert screen.window.status.conflicts.text() == "0 conflicts"
    with UnitOfWork(screen.app.runtime.database.sessions) as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "conflict.resolved")
        ).one()
    assert (entry.manager, entry.subject) == ("Grace", key)
    events = screen.app.runtime.sync_store.pending_events()
    (event,) = [e for e in events if e["type"] == "conflict.resolved"]
    assert event["payload"]["resolution"] == "collected"
    assert event["payload"]["note"] == "Customer paid the 3.00"
    assert screen.app.runtime.sync_store.conflicts(open_only=False)[0].resolution == "collected"


def test_an_unknown_conflict_reason_gets_general_advice(screen: Screen) -> None:
    """A reason the till has no guide for still shows, with the general follow-ups."""
    key = make_conflict(screen, "SOMETHING_NEW")
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", "2468", by=None))
    screen.do(screen.manager.list_managers)
    screen.do(lambda: screen.manager.verify_pin("Grace", "2468"))
    view = screen.window.manager.manager_mode.conflicts
    assert set(view.buttons) == {(key, "escalated"), (key, "written_off")}


def test_the_status_bar_counts_open_conflicts_from_the_start(
    qtbot: QtBot, screen: Screen, clock: FakeClock
) -> None:
    """A till that starts with an open conflict says so at once (S11)."""
    make_conflict(screen, "PACK_LIMIT_EXCEEDED")
    data_dir = screen.app.runtime.data_dir
    screen.app.close()
    again = open_screen(qtbot, data_dir, clock, (1024, 768))
    try:
        assert again.window.status.conflicts.text() == "1 conflict"
    finally:
        again.app.close()
