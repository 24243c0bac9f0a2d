"""A touch numpad for quantities, prices and amounts, and a dialog built on it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.style import TOUCH, touch_button

DIGIT_ROWS = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), (".", "0", "⌫"))
MAX_LENGTH = 12


class Numpad(QWidget):
    """Digit keys, a decimal point, backspace and clear, over a display; plus action keys
    (for example "Qty" and "Price") that hand the typed text on.

    Promises: ``action_triggered(key, text)`` when an action key is tapped (the display
    is cleared after); ``text_changed(text)`` on every key. Keys are ≥ 64 px and take no
    focus. Main thread only.
    """

    action_triggered = Signal(str, str)
    text_changed = Signal(str)

    def __init__(
        self,
        actions: tuple[tuple[str, str], ...] = (),
        parent: QWidget | None = None,
        *,
        allow_decimal: bool = True,
        show_display: bool = True,
    ) -> None:
        super().__init__(parent)
        self._allow_decimal = allow_decimal
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display.setPlaceholderText("0")
        self.keys: dict[str, QPushButton] = {}
        self.action_keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for row, keys in enumerate(DIGIT_ROWS):
            for column, key in enumerate(keys):
                button = touch_button(key, "key")
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                grid.addWidget(button, row, column)
                self.keys[key] = button
        if not allow_decimal:
            self.keys["."].setEnabled(False)
        clear = touch_button("C", "key")
        clear.clicked.connect(self.clear)
        self.keys["C"] = clear
        grid.addWidget(clear, 0, 3)
        for i, (key, label) in enumerate(actions):
            button = touch_button(label, "key-action")
            button.clicked.connect(lambda _=False, k=key: self.trigger(k))
            self.action_keys[key] = button
            grid.addWidget(button, 1 + i, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.display)
        layout.addLayout(grid)
        self.display.setVisible(show_display)

    def text(self) -> str:
        return self.display.text()

    def set_text(self, text: str) -> None:
        self.display.setText(text[:MAX_LENGTH])
        self.text_changed.emit(self.display.text())

    def clear(self) -> None:
        self.set_text("")

    def press(self, key: str) -> None:
        """A key tap: a digit, ".", "⌫" (backspace) or "C" (clear)."""
        text = self.display.text()
        if key == "⌫":
            text = text[:-1]
        elif key == "C":
            text = ""
        elif key == ".":
            if not self._allow_decimal or "." in text:
                return
            text = (text or "0") + "."
        elif key.isdigit():
            if len(text) >= MAX_LENGTH:
                return
            text += key
        else:
            return
        self.set_text(text)

    def type_text(self, text: str) -> None:
        """Press each character's key (scripts, tests, smoke run)."""
        for ch in text:
            self.press(ch)

    def trigger(self, key: str) -> None:
        text = self.display.text()
        self.action_triggered.emit(key, text)
        self.clear()


class AmountDialog(QDialog):
    """Asks for one amount (a price, a quantity, a phone number) on a numpad.

    Promises: ``amount_entered(text)`` when OK is tapped with something typed; then it
    closes. Main thread only.
    """

    amount_entered = Signal(str)

    def __init__(
        self,
        title: str,
        prompt: str,
        parent: QWidget | None = None,
        *,
        allow_decimal: bool = True,
        ok_text: str = "OK",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.numpad = Numpad(allow_decimal=allow_decimal)
        self.ok = touch_button(ok_text, "primary")
        self.ok.clicked.connect(self._accept)
        cancel = touch_button("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.numpad)
        layout.addLayout(buttons)
        self.setMinimumWidth(4 * TOUCH + 120)

    def _accept(self) -> None:
        text = self.numpad.text()
        if not text:
            return
        self.amount_entered.emit(text)
        self.accept()
