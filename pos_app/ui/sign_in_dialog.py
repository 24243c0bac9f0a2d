"""Signing in at the till: tap your name, type your PIN; sign out at the end of a shift
(a shared till switches by signing the next person in)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.controllers.problems import Problem
from pos_app.ui.controllers.staff_controller import StaffRoster
from pos_app.ui.manager_mode import PinEntry
from pos_app.ui.style import TOUCH, repolish, touch_button

COLUMNS = 3


class SignInDialog(QDialog):
    """A button per person (name and role), then a PIN pad.

    Promises ``sign_in_requested(staff_id, pin)`` once a person is chosen and a PIN
    typed, ``sign_out_requested()`` from Sign out; :meth:`show_roster` lays out the
    people, :meth:`show_problem` a refusal (wrong PIN, locked). Main thread only.
    """

    sign_in_requested = Signal(str, str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in")
        self.setModal(True)
        self.prompt = QLabel("Who is working this till? Tap your name, then type your PIN.")
        self.prompt.setWordWrap(True)
        self.people: dict[str, QPushButton] = {}
        self.chosen = ""
        self._grid = QGridLayout()
        self.pin = PinEntry(confirm=False, ok_text="Sign in")
        self.pin.pin_chosen.connect(self._pin)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setProperty("kind", "none")
        self.message.setWordWrap(True)
        self.sign_out = touch_button("Sign out", name="sign_out", min_width=140)
        self.sign_out.clicked.connect(self._sign_out)
        cancel = touch_button("Cancel", min_width=120)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(self._grid)
        layout.addWidget(self.pin)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(4 * TOUCH + 360)

    def show_roster(self, roster: StaffRoster) -> None:
        for button in self.people.values():
            self._grid.removeWidget(button)
            button.deleteLater()
        self.people = {}
        self.chosen = ""
        for i, person in enumerate(roster.people):
            role = "manager" if person.role == "manager" else "cashier"
            button = touch_button(f"{person.name}\n{role}", "toggle", min_width=150)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, sid=person.staff_id: self.choose(sid))
            self._grid.addWidget(button, i // COLUMNS, i % COLUMNS)
            self.people[person.staff_id] = button
        current = roster.current
        self.sign_out.setEnabled(current is not None)
        self.sign_out.setText(f"Sign out {current.name}" if current is not None else "Sign out")
        if not roster.people:
            self.prompt.setText("No one works here yet: a manager adds staff in the back office.")

    def choose(self, staff_id: str) -> None:
        """The person tapped (their PIN comes next)."""
        self.chosen = staff_id
        for sid, button in self.people.items():
            button.setChecked(sid == staff_id)
        self.show_problem(None)

    def start(self) -> None:
        self.choose("")
        self.open()

    def _pin(self, pin: str) -> None:
        if not self.chosen:
            self.show_problem(Problem("UNKNOWN_STAFF", "Tap your name first"))
            return
        self.sign_in_requested.emit(self.chosen, pin)

    def _sign_out(self) -> None:
        self.sign_out_requested.emit()
        self.accept()

    def show_problem(self, problem: Problem | None) -> None:
        self.message.setText(problem.message if problem else "")
        self.message.setProperty("kind", "error" if problem else "none")
        repolish(self.message)
