"""Parked events in manager mode (issue 18 item 6, S5): each event the back office
refused is listed with what it is and why in words (the rule code and key behind
Details), and "Send again" puts it back in the queue."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from pos_app.engine import AddItem, Close
from pos_app.till.commands import PayCash
from tests.ui.conftest import Screen

REFUSAL = "MALFORMED_EVENT: payload.lines[0].name: must not contain a NUL character"


@pytest.fixture
def screen(strict_screen: Screen) -> Screen:
    """These tests set the till's first manager up themselves."""
    return strict_screen


def park_a_sale(screen: Screen) -> str:
    """Sell a ticket, then the back office refuses its event."""
    till = screen.app.runtime.new_till()
    till.handle(AddItem("X1", "BURGER"))
    till.handle(PayCash("12.00"))
    number = till.handle(Close()).number
    store = screen.app.runtime.sync_store
    key = str(store.pending_events()[-1]["idempotency_key"])
    store.record_outcome(key, "rejected", REFUSAL)
    return number


def test_a_parked_sale_is_listed_in_words_and_sent_again(screen: Screen) -> None:
    number = park_a_sale(screen)
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", "2468", by=None))
    screen.do(screen.manager.list_managers)
    screen.do(lambda: screen.manager.verify_pin("Grace", "2468"))
    mode = screen.window.manager.manager_mode
    mode.show_tab(mode.parked)
    view = mode.parked
    assert mode.tabs.tabText(2) == "Parked (1)"
    (line,) = view.lines
    listing = view.widget()
    assert listing is not None
    shown = " ".join(
        label.text() for label in listing.findChildren(QLabel) if label.isVisibleTo(view)
    )
    assert f"Sale {number}" in shown
    assert "Refused: the back office could not accept what it says:" in shown
    assert "must not contain a NUL character" in shown
    assert "MALFORMED_EVENT" not in shown and line.key not in shown
    screen.click(view.buttons[line.key])
    assert view.lines == [] and mode.tabs.tabText(2) == "Parked"
    pending = screen.app.runtime.sync_store.pending_events()
    assert line.key in [event["idempotency_key"] for event in pending]
