"""The till's look: touch sizes, the stylesheet, and button factories.

Every control a finger hits is at least :data:`TOUCH` pixels each way. Buttons take no
keyboard focus, so a barcode scanner's keystrokes always reach the coupon field.
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

TOUCH = 48
STYLESHEET = "till.qss"  # resources/till.qss, shipped as pos_app/resources


def stylesheet() -> str:
    """The till's stylesheet ('' when the resource is missing: Qt's default look)."""
    try:
        return files("pos_app").joinpath("resources", STYLESHEET).read_text(encoding="utf-8")
    except OSError:
        return ""


def touch_button(
    text: str,
    role: str = "action",
    parent: QWidget | None = None,
    *,
    min_width: int = TOUCH,
    name: str = "",
) -> QPushButton:
    """A push button at least TOUCH × ``min_width`` px, styled by ``role`` (product,
    action, key, primary, pay, danger, chip), without keyboard focus."""
    button = QPushButton(text, parent)
    button.setMinimumSize(max(TOUCH, min_width), TOUCH)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    return button


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def heading_font(size: int = 16, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    return font


class _TouchRows(QStyledItemDelegate):
    """A dropdown's rows at least :data:`TOUCH` pixels high."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(TOUCH, hint.height()))


def touch_combo(parent: QWidget | None = None) -> QComboBox:
    """A dropdown whose list rows are finger-high (its value never follows the wheel:
    :class:`pos_app.ui.keyboard.TouchInput`)."""
    combo = QComboBox(parent)
    combo.setItemDelegate(_TouchRows(combo))
    combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return combo
