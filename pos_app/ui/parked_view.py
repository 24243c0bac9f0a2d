"""Parked events (S5, manager mode): each event the back office refused, what it is,
when the till made it and why it was refused, in words; "Send again" puts it back in
the queue once its cause is fixed (most often on the back office)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.sync.parked import ParkedLine
from pos_app.ui.style import touch_button

ADVICE = (
    "The back office refused these events, so they are kept here and never hold back the"
    " others. Fix the cause with the back office, then send the event again."
)


class ParkedEventsView(QScrollArea):
    """A card per parked event with "Send again" and the details for support. Emits
    ``send_again_requested(idempotency_key)``. Main thread only."""

    send_again_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.buttons: dict[str, QPushButton] = {}
        self.lines: list[ParkedLine] = []
        self.show_parked([])

    def show_parked(self, lines: Sequence[ParkedLine]) -> None:
        """Redraw the cards."""
        self.lines = list(lines)
        self.buttons = {}
        inner = QWidget()
        layout = QVBoxLayout(inner)
        if not lines:
            layout.addWidget(QLabel("No parked events. Everything the till made can be sent."))
        else:
            advice = QLabel(ADVICE)
            advice.setWordWrap(True)
            advice.setObjectName("advice")
            layout.addWidget(advice)
        for line in lines:
            layout.addWidget(self._card(line))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(inner)

    def _card(self, line: ParkedLine) -> QFrame:
        frame = QFrame()
        frame.setObjectName("card")
        layout = QVBoxLayout(frame)
        title = QLabel(f"<b>{line.what}</b> · made {line.when}")
        why = QLabel(f"Refused: {line.why}")
        why.setWordWrap(True)
        details = QLabel(f"Event #{line.seq} · {line.code} · key {line.key}")
        details.setObjectName("details")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.hide()
        send = touch_button("Send again", "primary")
        send.clicked.connect(lambda _=False, k=line.key: self.send_again_requested.emit(k))
        self.buttons[line.key] = send
        toggle = touch_button("Details", "action")
        toggle.setCheckable(True)
        toggle.toggled.connect(details.setVisible)
        buttons = QHBoxLayout()
        buttons.addWidget(send)
        buttons.addWidget(toggle)
        for widget in (title, why):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(details)
        return frame
