"""Kiosk mode and the window's size on its screen: frameless over the whole screen when
asked (by --kiosk or display.json), never larger than the screen otherwise; the
numpad's bounds and the PIN pad under a long message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from pos_app.ui.controllers.problems import Problem
from pos_app.ui.display_settings import (
    DisplaySettings,
    DisplaySettingsError,
    load_display_settings,
    save_display_settings,
)
from pos_app.ui.window_geometry import place_window, screen_rect
from tests.ui.conftest import Screen


def test_kiosk_covers_the_screen_frameless(screen: Screen) -> None:
    """Kiosk: the window is frameless and exactly the screen's size, placed by the till
    (no window manager needed)."""
    window = screen.window
    place_window(window, kiosk=True)
    screen.settle()
    full = screen_rect(window, available=False)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.geometry().size() == full.size()


def test_a_normal_window_is_never_larger_than_the_screen(screen: Screen) -> None:
    """Not kiosk: 1280×800 or the screen's available size, whichever is smaller."""
    window = screen.window
    place_window(window, kiosk=False)
    area = screen_rect(window)
    assert window.width() <= min(1280, area.width())
    assert window.height() <= min(800, area.height())


def test_the_kiosk_setting_is_kept_in_the_data_directory(tmp_path: Path) -> None:
    """display.json: absent means a window; saved true reads back true; a bad value is
    an error naming the file."""
    assert load_display_settings(tmp_path) == DisplaySettings(kiosk=False)
    save_display_settings(tmp_path, DisplaySettings(kiosk=True))
    assert load_display_settings(tmp_path).kiosk
    (tmp_path / "display.json").write_text('{"kiosk": "yes"}', encoding="utf-8")
    with pytest.raises(DisplaySettingsError, match=r"display\.json: kiosk"):
        load_display_settings(tmp_path)


def test_the_numpad_keeps_the_engines_bounds(screen: Screen) -> None:
    """A quantity of 99999 typed on the numpad is refused with the engine's message
    before anything is rung up or changed."""
    window = screen.window
    window.ring_up.numpad.type_text("99999")
    screen.tap_product("TEA")
    change = screen.ticket.change
    assert change is not None and not change.priced.lines
    assert window.ticket.message.text() == "Quantity must be a whole number from 1 to 9,999"
    window.ring_up.numpad.clear()
    screen.tap_product("TEA")
    window.ring_up.numpad.type_text("10000")
    screen.click(window.ring_up.numpad.action_keys["qty"])
    assert window.ticket.message.text() == "Quantity must be a whole number from 1 to 9,999"
    assert screen.line(screen.line_ids()[0]).qty == 1


def test_the_pin_pad_keeps_every_key_in_view_under_the_lock_message(screen: Screen) -> None:
    """A long refusal on the PIN pad (the lockout) leaves its last row of keys inside
    the dialog and the dialog inside a 1024×768 screen."""
    window = screen.window
    dialog = window.manager.open_pin_dialog()
    dialog.show_problem(
        Problem("PIN_LOCKED", "5 wrong PINs: manager mode is locked for 5 min 00 s. " * 2)
    )
    screen.settle()
    assert dialog.width() <= 1024 and dialog.height() <= 768
    inside = dialog.rect()
    for key in dialog.findChildren(QPushButton):
        if key.isVisible():
            corner = key.mapTo(dialog, key.rect().bottomRight())
            assert inside.contains(corner), key.text()
    dialog.reject()


def test_a_manager_turns_kiosk_mode_on_for_the_next_start(screen: Screen) -> None:
    """Manager mode, Till tab: the kiosk switch writes display.json; a cashier cannot."""
    screen.do(lambda: screen.devices.save_kiosk(True))
    assert screen.window.ticket.message.code == "MANAGER_REQUIRED"
    assert not load_display_settings(screen.devices.data_dir).kiosk
    screen.do(lambda: screen.manager.verify_pin("Grace", "2468"))
    tools = screen.window.manager.manager_mode.tools
    screen.window.manager.manager_mode.show_tab(tools)
    screen.click(tools.kiosk)
    assert load_display_settings(screen.devices.data_dir).kiosk
    assert tools.kiosk.text() == "Kiosk mode (full screen at start): yes"
