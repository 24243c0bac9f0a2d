"""The status bar tells why the till is not syncing (S17): a back office answering 5xx
is a "server error", a revoked device says so; only no answer at all is "offline"."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.sync.status import SyncProblem, SyncStatus
from pos_app.ui.status_bar import TillStatusBar


@pytest.fixture
def bar(qtbot: QtBot) -> TillStatusBar:
    widget = TillStatusBar()
    qtbot.add_widget(widget)
    return widget


@pytest.mark.parametrize(
    ("problem", "shown", "style"),
    [
        (SyncProblem.SERVER_ERROR, "server error", "warn"),
        (SyncProblem.REVOKED, "device revoked: enroll again", "warn"),
        (SyncProblem.TOKEN_EXPIRED, "token expired: enroll again", "warn"),
        (SyncProblem.OFFLINE, "offline", "offline"),
    ],
)
def test_the_reason_is_shown_not_just_offline(
    bar: TillStatusBar, problem: SyncProblem, shown: str, style: str
) -> None:
    """S17: each failure is named on the bar, and a server error or a revoked device is
    drawn as a warning, unlike being offline."""
    bar.show_status(
        SyncStatus(online=False, pending_events=3, last_error="the detail", problem=problem)
    )
    assert bar.state.text() == shown
    assert bar.state.property("state") == style
    assert bar.state.toolTip() == "the detail"
    assert bar.waiting.text() == "3 waiting"
