"""A question the cashier or manager answers by touch before something is done that is
hard to take back (switching a promotion's auto-execute, closing the day)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.ui.style import touch_button


class ConfirmDialog(QDialog):
    """Asks ``question``; ``confirmed`` when the person taps the confirm button, nothing
    when they cancel. Window-modal, no nested event loop. Main thread only."""

    confirmed = Signal()

    def __init__(
        self, title: str, question: str, confirm_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.confirm = touch_button(confirm_text, "primary", name="confirm", min_width=160)
        self.confirm.clicked.connect(self._confirm)
        self.cancel = touch_button("Cancel", name="cancel", min_width=120)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def _confirm(self) -> None:
        self.accept()
        self.confirmed.emit()
