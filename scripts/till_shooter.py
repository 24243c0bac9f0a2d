"""What takes the till's screenshots: a window or a dialog over it, written as PNG,
and the cashier's taps between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from pos_app.ui.app import TillApp
from pos_app.ui.driver import settle


class Shooter:
    """Writes the screenshots of one till window into a folder, and taps between them."""

    def __init__(self, till_app: TillApp, out_dir: Path, out: TextIO) -> None:
        self.app = till_app
        self.out_dir = out_dir
        self.out = out
        self.files: list[Path] = []

    def settle(self) -> None:
        settle(self.app.ops, self.app.print_ops)

    def shoot(self, widget: QWidget, name: str) -> None:
        self.settle()
        widget.repaint()
        path = self.out_dir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        self.files.append(path)
        print(f"wrote {path}", file=self.out)

    def shoot_over(self, window: QWidget, dialog: QWidget, name: str) -> None:
        """``window`` with ``dialog`` drawn over its middle, as the cashier sees them (a
        dialog is a window of its own: grabbing the main window leaves it out)."""
        self.settle()
        picture = window.grab()
        shown = dialog.grab()
        painter = QPainter(picture)
        painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))  # the window behind, dimmed
        x, y = (picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 2
        painter.drawPixmap(x, y, shown)
        painter.setPen(QColor(90, 90, 90))
        painter.drawRect(x - 1, y - 1, shown.width() + 1, shown.height() + 1)
        painter.end()
        path = self.out_dir / f"{name}.png"
        if not picture.save(str(path)):
            raise RuntimeError(f"{path}: could not write the screenshot")
        self.files.append(path)
        print(f"wrote {path}", file=self.out)

    def tap(self, sku: str, times: int = 1) -> None:
        for _ in range(times):
            self.app.window.ring_up.products.show_product(sku).click()
            self.settle()

    def do(self, action: Callable[[], None]) -> None:
        action()
        self.settle()
