"""Manager mode's "Connect to back office" (S12) against a real back office on
127.0.0.1: the address and a one-time code typed at the till enroll it, the sync daemon
starts at once (no restart), and what goes wrong is said in plain words, changing
nothing."""

from __future__ import annotations

import pytest

from pos_app.sync.enrollment import settings_path
from pos_app.ui.connect_dialog import ConnectDialog
from tests.helpers.live_backoffice import LiveBackOffice, free_port
from tests.helpers.permissions import PIN
from tests.ui.conftest import Screen

pytestmark = pytest.mark.slow  # starts a back-office server


def open_connect_dialog(screen: Screen) -> ConnectDialog:
    """Manager (PIN pad), Till tools, Connect to back office."""
    window = screen.window
    screen.click(window.status.manager_button)
    pin = window.manager.pin_dialog
    assert pin is not None
    pin.pin.type_pin(PIN)
    screen.click(pin.pin.ok)
    mode = window.manager.manager_mode
    mode.show_tab(mode.tools)
    screen.click(mode.tools.connect_back_office)
    dialog = window.manager.connect_dialog
    assert dialog.isVisible()
    return dialog


def connect(screen: Screen, dialog: ConnectDialog, address: str, code: str) -> str:
    """Type the address and code, tap Connect; what the dialog says then."""
    dialog.address.setText(address)
    dialog.code.setText(code)
    screen.click(dialog.connect_button)
    return dialog.status.text()


def test_connecting_from_manager_mode_starts_syncing_at_once(
    screen: Screen, backoffice: LiveBackOffice
) -> None:
    """A one-time code from the back office: the till is enrolled, the status bar leaves
    "offline, not enrolled", and the daemon's first sync succeeds, with no restart."""
    app = screen.app
    assert not app.sync.enrolled
    assert screen.window.status.state.text() == "offline, not enrolled"
    dialog = open_connect_dialog(screen)
    said = connect(screen, dialog, f"  {backoffice.url}/ ", backoffice.device_code())
    assert said.startswith(f"Connected to {backoffice.url}: this is till 1")
    assert settings_path(app.runtime.data_dir).exists()
    assert app.sync.enrolled and app.sync.daemon is not None
    assert screen.window.status.state.text() != "offline, not enrolled"
    assert screen.window.status.sync_now.isEnabled()
    screen.qtbot.waitUntil(
        lambda: (s := app.sync.current()) is not None and s.last_success is not None,
        timeout=20_000,
    )
    screen.qtbot.waitUntil(lambda: "last sync" in screen.window.status.last_sync.text())
    dialog.reject()


def test_a_wrong_code_is_said_in_words_and_changes_nothing(
    screen: Screen, backoffice: LiveBackOffice
) -> None:
    dialog = open_connect_dialog(screen)
    said = connect(screen, dialog, backoffice.url, "NOSUCHCODE")
    assert said == (
        "The back office does not know the code NOSUCHCODE: check it, or ask for a new one"
    )
    assert dialog.connect_button.isEnabled() and dialog.code.text() == "NOSUCHCODE"
    assert not screen.app.sync.enrolled
    assert not settings_path(screen.app.runtime.data_dir).exists()
    code = backoffice.device_code()
    assert connect(screen, dialog, backoffice.url, code).startswith("Connected")
    dialog.start(backoffice.url)
    assert connect(screen, dialog, backoffice.url, code) == (
        f"The code {code} was already used: ask for a new one"
    )


def test_a_back_office_that_does_not_answer_is_named(screen: Screen) -> None:
    """Nothing listens at the address: "did not answer", never a ConnectionError."""
    dialog = open_connect_dialog(screen)
    url = f"http://127.0.0.1:{free_port()}"
    said = connect(screen, dialog, url, "ABCD1234")
    assert said == (
        f"The back office at {url} did not answer: check the address and the network,"
        " then try again"
    )
    assert "Error" not in said and not screen.app.sync.enrolled


@pytest.mark.parametrize(
    ("address", "code", "said"),
    [
        ("", "ABCD", "Type the back office's address, e.g. http://192.168.1.20:8000"),
        (
            "bo.example:8000",
            "ABCD",
            "“bo.example:8000” is not a back office address: it starts with http:// or"
            " https://, e.g. http://192.168.1.20:8000",
        ),
        ("http://127.0.0.1:80a", "ABCD", "The port in “http://127.0.0.1:80a” is not a number"),
        ("http://127.0.0.1:9", " ", "Type the one-time code the back office gave for this till"),
    ],
)
def test_what_was_typed_wrong_is_said(screen: Screen, address: str, code: str, said: str) -> None:
    dialog = open_connect_dialog(screen)
    assert connect(screen, dialog, address, code) == said
    assert not settings_path(screen.app.runtime.data_dir).exists()
