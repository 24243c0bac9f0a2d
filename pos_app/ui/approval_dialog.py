"""A manager's PIN where the refusal happens: the action that needs a manager says so,
a manager taps their name and types their PIN, and the action carries on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from pos_app.ui.controllers.problems import Problem
from pos_app.ui.manager_mode import PinEntry
from pos_app.ui.style import TOUCH, repolish, touch_button, touch_combo


class ApprovalDialog(QDialog):
    """What needs a manager, the managers' names and a PIN pad.

    Promises ``approved(manager, pin)`` when a PIN is typed (the command is then carried
    out for that one action); :meth:`show_problem` keeps it open on a wrong PIN.
    Main thread only.
    """

    approved = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manager approval")
        self.setModal(True)
        self.what = QLabel("")
        self.what.setWordWrap(True)
        self.names = touch_combo()
        self.pin = PinEntry(confirm=False, ok_text="Approve")
        self.pin.pin_chosen.connect(self._pin)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setProperty("kind", "none")
        self.message.setWordWrap(True)
        cancel = touch_button("Cancel", name="cancel_approval")
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(QLabel("Manager"))
        layout.addWidget(self.names)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addWidget(cancel)
        self.setMinimumWidth(4 * TOUCH + 200)

    def ask(self, message: str, managers: tuple[str, ...]) -> None:
        """Open for ``message`` ("Voiding needs a manager ...")."""
        self.what.setText(f"<b>{message}.</b> A manager types their PIN to approve it here.")
        self.names.clear()
        self.names.addItems(list(managers))
        self.show_problem(
            None if managers else Problem("MANAGER_REQUIRED", "No manager is set up here")
        )
        self.open()

    def _pin(self, pin: str) -> None:
        name = self.names.currentText()
        if not name:
            self.show_problem(Problem("MANAGER_REQUIRED", "Choose the manager"))
            return
        self.show_problem(None)
        self.approved.emit(name, pin)

    def show_problem(self, problem: Problem | None) -> None:
        self.message.setText(problem.message if problem else "")
        self.message.setProperty("kind", "error" if problem else "none")
        repolish(self.message)
