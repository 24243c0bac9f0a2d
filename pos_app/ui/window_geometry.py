"""Putting the till window on its screen: never larger than the screen, full screen
and frameless in kiosk mode (placed by the till itself: no window manager needed)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

DEFAULT_SIZE = (1280, 800)


def screen_rect(window: QWidget, *, available: bool = True) -> QRect:
    """The window's screen (its available part unless ``available`` is false)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if available else screen.geometry()


def place_window(window: QWidget, *, kiosk: bool) -> None:
    """Show ``window``: kiosk (frameless, exactly the screen) or at most 1280×800 within
    the screen's available area, centred."""
    if kiosk:
        full = screen_rect(window, available=False)
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setGeometry(full)  # without a window manager, showFullScreen alone does not
        window.showFullScreen()
        return
    area = screen_rect(window)
    width = min(DEFAULT_SIZE[0], area.width())
    height = min(DEFAULT_SIZE[1], area.height())
    window.resize(width, height)
    window.move(
        area.left() + (area.width() - width) // 2, area.top() + (area.height() - height) // 2
    )
    window.show()
