"""The on-screen keyboard: text typed by touch alone, wherever the till asks for text.

:class:`OnScreenKeyboard` is a grid of keys (letters, digits, a few signs, space,
backspace, shift) that types into a line edit. :class:`KeyboardDialog` edits a copy of
a field's text on it and writes it back with Done (which also "presses Enter" on the
field, so a coupon code typed by touch is redeemed like a scanned one).
:class:`TouchInput` is an application-wide event filter: a tap on any editable text
field opens the keyboard for it, and the mouse wheel never changes a dropdown's or a
spin box's value (it scrolls the form instead). Main thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.style import TOUCH, touch_button

ROWS = (
    "1234567890",
    "QWERTYUIOP",
    "ASDFGHJKL-",
    "ZXCVBNM@._",
)
BACKSPACE = "⌫"
SHIFT = "⇧"
SPACE = "Space"
NO_KEYBOARD = "no_keyboard"  # a line edit with this property set true opens no keyboard


class OnScreenKeyboard(QWidget):
    """Keys that type into ``target`` (a QLineEdit): each key ≥ 48 px and focus-free.
    Letters are capitals until Shift is toggled off. Emits ``typed(text)`` after every
    key."""

    typed = Signal(str)

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.upper = True
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for row, keys in enumerate(ROWS):
            for column, key in enumerate(keys):
                button = touch_button(key, "kbd", min_width=TOUCH)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(button, row, column)
                self.keys[key] = button
        bottom = len(ROWS)
        for key, column, span in ((SHIFT, 0, 2), (SPACE, 2, 6), (BACKSPACE, 8, 2)):
            button = touch_button(key, "kbd", min_width=TOUCH)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(button, bottom, column, 1, span)
            self.keys[key] = button

    def press(self, key: str) -> None:
        """One key: a character, Space, Backspace or Shift."""
        field = self.target
        if key == BACKSPACE:
            field.backspace()
        elif key == SHIFT:
            self.upper = not self.upper
            for name, button in self.keys.items():
                if len(name) == 1 and name.isalpha():
                    button.setText(name if self.upper else name.lower())
            return
        elif key == SPACE:
            field.insert(" ")
        else:
            field.insert(key if self.upper or not key.isalpha() else key.lower())
        self.typed.emit(field.text())

    def type_text(self, text: str) -> None:
        """Press the keys of ``text`` (scripts, tests, screenshots)."""
        for ch in text:
            if ch == " ":
                self.press(SPACE)
                continue
            wanted_upper = not ch.isalpha() or ch.isupper()
            if ch.isalpha() and wanted_upper != self.upper:
                self.press(SHIFT)
            self.press(ch.upper() if ch.isalpha() else ch)


class KeyboardDialog(QDialog):
    """Types a field's text by touch: a copy of the field, the keyboard, Cancel and
    Done. Done writes the text back into the field and presses its Enter."""

    def __init__(self, field: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent or field.window())
        self.setWindowTitle("Keyboard")
        self.setModal(True)
        self.field = field
        self.prompt = QLabel(field.placeholderText() or "Type")
        self.edit = QLineEdit(field.text())
        self.edit.setProperty(NO_KEYBOARD, True)
        self.edit.setEchoMode(field.echoMode())
        self.edit.setMaxLength(field.maxLength())
        self.keyboard = OnScreenKeyboard(self.edit)
        self.done_button = touch_button("Done", "primary", name="keyboard_done")
        self.done_button.clicked.connect(self.finish)
        cancel = touch_button("Cancel", name="keyboard_cancel")
        cancel.clicked.connect(self.reject)
        clear = touch_button("Clear", name="keyboard_clear")
        clear.clicked.connect(self.edit.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(clear)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.edit)
        layout.addWidget(self.keyboard)
        layout.addLayout(buttons)
        self.edit.returnPressed.connect(self.finish)

    def finish(self) -> None:
        self.field.setText(self.edit.text())
        self.accept()
        self.field.setFocus()
        self.field.returnPressed.emit()


class TouchInput(QObject):
    """The till's touch rules for every widget of the application (install it on the
    QApplication): a tap on an editable line edit opens :class:`KeyboardDialog`; a wheel
    turn over a dropdown, spin box or slider changes nothing. ``keyboard_opened`` carries
    each dialog (tests, screenshots)."""

    keyboard_opened = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.last: KeyboardDialog | None = None
        self._opened = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(
            watched, QComboBox | QAbstractSpinBox | QSlider
        ):
            event.ignore()
            return True  # the value stays; the form around it does not scroll either
        if (
            self.enabled
            and kind == QEvent.Type.MouseButtonRelease
            and isinstance(watched, QLineEdit)
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and watched.isEnabled()
            and not watched.isReadOnly()
            and not watched.property(NO_KEYBOARD)
        ):
            field = watched
            QTimer.singleShot(0, lambda: self.open_for(field))
        return False

    def _forget(self, serial: int) -> None:
        if serial == self._opened:
            self.last = None

    def open_for(self, field: QLineEdit) -> KeyboardDialog:
        """Open the keyboard for ``field`` (window-modal, no nested event loop)."""
        dialog = KeyboardDialog(field)
        # Deleted once closed; a field's window may also take it with it (the first
        # manager's PIN dialog is deleted after the set-up): ``last`` never outlives it.
        dialog.finished.connect(dialog.deleteLater)
        self._opened += 1
        serial = self._opened
        dialog.destroyed.connect(lambda *_: self._forget(serial))
        self.last = dialog
        dialog.open()
        self.keyboard_opened.emit(dialog)
        return dialog
