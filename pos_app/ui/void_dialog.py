"""Voiding the whole ticket: a reason chosen from a list, then a confirmation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.ui.style import repolish, touch_button

VOID_REASONS = (
    "Customer changed their mind",
    "Customer left",
    "Rung up by mistake",
    "Duplicate ticket",
    "Payment declined",
    "Training",
)


class VoidTicketDialog(QDialog):
    """Pick why the open ticket is voided, then confirm. Emits ``void_requested(reason)``
    only after both; the ticket's number and total are in the question. Main thread."""

    void_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Void the ticket")
        self.setModal(True)
        self.question = QLabel("Why is the ticket voided?")
        self.question.setWordWrap(True)
        self.reasons = {}
        grid = QGridLayout()
        for i, reason in enumerate(VOID_REASONS):
            button = touch_button(reason, "toggle", min_width=220)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, r=reason: self.choose(r))
            grid.addWidget(button, i // 2, i % 2)
            self.reasons[reason] = button
        self.confirm = touch_button("Void ticket", "danger", name="confirm_void", min_width=180)
        self.confirm.setEnabled(False)
        self.confirm.clicked.connect(self._confirm)
        cancel = touch_button("Keep the ticket", name="keep_ticket", min_width=180)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.reason = ""

    def ask(self, what: str) -> None:
        """Open for the ticket described by ``what`` ("Ticket D1-01-000007, 23.50")."""
        self.reason = ""
        for button in self.reasons.values():
            button.setChecked(False)
        self.confirm.setEnabled(False)
        self.question.setText(f"Void {what}? Choose why; nothing is sold.")
        self.open()

    def choose(self, reason: str) -> None:
        self.reason = reason
        for name, button in self.reasons.items():
            button.setChecked(name == reason)
            repolish(button)
        self.confirm.setEnabled(True)
        self.confirm.setText("Void ticket: " + reason.lower())

    def _confirm(self) -> None:
        if not self.reason:
            return
        self.accept()
        self.void_requested.emit(self.reason)
