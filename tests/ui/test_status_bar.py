"""The status bar (S11): online or offline, events waiting, conflicts, last sync, the
daemon's news carried from its thread to the screen, and "Sync now"."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.cli.window import open_till_app
from pos_app.store.store_document import store_document_records
from pos_app.sync.daemon import SyncDaemon
from pos_app.sync.errors import SyncError
from pos_app.sync.status import SyncProblem, SyncStatus
from pos_app.ui.status_bar import TillStatusBar
from pos_app.ui.sync_link import SyncLink
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen

LAST_SYNC = datetime(2026, 11, 21, 11, 58, 7, tzinfo=UTC)


@pytest.fixture
def bar(qtbot: QtBot) -> TillStatusBar:
    widget = TillStatusBar()
    qtbot.add_widget(widget)
    return widget


def test_a_sync_status_is_drawn(bar: TillStatusBar) -> None:
    """Online, waiting, parked, conflicts, last sync and a clock warning, at a glance."""
    bar.show_status(
        SyncStatus(
            online=True,
            pending_events=3,
            failed_events=1,
            open_conflicts=2,
            last_success=LAST_SYNC,
            clock_skew=timedelta(minutes=7),
        )
    )
    assert bar.state.text() == "online"
    assert bar.state.property("state") == "online"
    assert bar.waiting.text() == "3 waiting"
    assert bar.conflicts.text() == "2 conflicts"
    assert bar.last_sync.text() == f"last sync {LAST_SYNC.astimezone():%H:%M:%S}"
    assert bar.problem.text() == "1 parked · check the clock"
    assert bar.sync_now.isEnabled()


def test_offline_with_the_last_error(bar: TillStatusBar) -> None:
    """Offline shows as such, the error in the tooltip."""
    bar.show_status(SyncStatus(online=False, pending_events=5, last_error="connection refused"))
    assert (bar.state.text(), bar.state.toolTip()) == ("offline", "connection refused")
    assert bar.last_sync.text() == "never synced"


def test_a_till_not_enrolled_says_so(screen: Screen) -> None:
    """No enrollment: "offline, not enrolled", and Sync now is off."""
    status = screen.window.status
    assert status.state.text() == "offline, not enrolled"
    assert "not enrolled" in status.state.toolTip()
    assert not status.sync_now.isEnabled()


class FakeCycle:
    """A sync cycle that answers from memory; counts its runs."""

    def __init__(self) -> None:
        self.runs = 0
        self.threads: list[str] = []
        self.online = True

    def run(self) -> SyncStatus:
        self.runs += 1
        self.threads.append(threading.current_thread().name)
        if not self.online:
            raise SyncError("back office unreachable")
        return SyncStatus(online=True, pending_events=0, last_success=LAST_SYNC)

    def offline_status(self, error: str, problem: SyncProblem = SyncProblem.OFFLINE) -> SyncStatus:
        return SyncStatus(online=False, pending_events=4, last_error=error, problem=problem)


@pytest.fixture
def synced(qtbot: QtBot, data_dir: Path, clock: FakeClock) -> Iterator[tuple[Screen, FakeCycle]]:
    cycle = FakeCycle()
    link = SyncLink()
    link.daemon = SyncDaemon(cycle, interval=3600, on_status=link.status_changed.emit)
    app = open_till_app(data_dir, clock=clock, start_sync=False, sync=link)
    qtbot.add_widget(app.window)
    screen = Screen(qtbot, app)
    app.window.resize(1024, 768)
    app.window.show()
    screen.settle()
    yield screen, cycle
    screen.settle()
    app.close()


def test_daemon_status_reaches_the_screen_and_sync_now_wakes_it(
    synced: tuple[Screen, FakeCycle],
) -> None:
    """The daemon runs on its own thread; its status is drawn on the main thread;
    "Sync now" runs another attempt at once."""
    screen, cycle = synced
    status = screen.window.status
    with screen.qtbot.waitSignal(status.status_shown, timeout=10_000) as shown:
        screen.app.sync.start()
    assert shown.args[0].online and status.state.text() == "online"
    assert cycle.threads == ["sync-daemon"]
    cycle.online = False
    with screen.qtbot.waitSignal(status.status_shown, timeout=10_000):
        screen.click(status.sync_now)
    assert cycle.runs == 2
    assert status.state.text() == "offline"
    assert status.waiting.text() == "4 waiting"
    assert screen.window.ticket.message.text() == "Syncing…"


def test_a_configuration_change_from_sync_reprices_the_ticket(
    synced: tuple[Screen, FakeCycle],
) -> None:
    """A sync page that turns DRINKS-BOGO's auto-execute off, announced from the daemon's
    thread, re-prices the open ticket on the screen."""
    screen, _ = synced
    screen.tap_product("COLA", 2)
    assert screen.window.ticket.totals.total.text() == "USD 3.00"
    bogo = {
        "id": "DRINKS-BOGO",
        "type": "bogo",
        "sequence": 2,
        "auto_execute": False,
        "buy": 1,
        "get": 1,
        "items": ["category:drinks"],
    }
    screen.app.runtime.sync_store.apply_changes_page(
        store_document_records({"promotions": [bogo]}), None
    )
    with screen.qtbot.waitSignal(screen.ticket.changed, timeout=10_000):
        announcer = threading.Thread(target=screen.app.sync.configuration_changed.emit)
        announcer.start()
        announcer.join()
    screen.settle()
    assert screen.window.ticket.totals.total.text() == "USD 6.00"
