"""Held tickets: the tickets parked at this till, each recalled with one tap."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.engine import Currency
from pos_app.till.shift_desk import ParkedSummary
from pos_app.ui.style import touch_button


def held_caption(ticket: ParkedSummary, currency: Currency) -> str:
    """One held ticket in words: number, time held, items, member, total."""
    member = f" · {ticket.member_name}" if ticket.member_name else ""
    more = "…" if ticket.lines > 3 else ""
    when = ticket.parked_at.astimezone().strftime("%H:%M")
    return (
        f"<b>{ticket.number}</b> · held at {when}{member}<br>"
        f"{ticket.first_items}{more} · {ticket.lines} line{'s' if ticket.lines != 1 else ''}"
        f" · <b>{currency.format(ticket.total)}</b>"
    )


class HeldTicketsDialog(QDialog):
    """The held tickets, oldest first, each with Recall (``recall_requested(ticket_id)``);
    an open ticket with lines is held in its place by the till. Main thread only."""

    recall_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Held tickets")
        self.setModal(True)
        self.setMinimumSize(600, 420)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.recall_buttons: dict[str, QPushButton] = {}
        self._list = QWidget()
        self._rows = QVBoxLayout(self._list)
        self._rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        close = touch_button("Close", name="close_held")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(close)

    def show_tickets(self, tickets: list[ParkedSummary], currency: Currency) -> None:
        while self._rows.count() > 1:
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.recall_buttons = {}
        self.status.setText(
            f"{len(tickets)} ticket{'s' if len(tickets) != 1 else ''} on hold."
            if tickets
            else "No ticket is on hold."
        )
        for position, ticket in enumerate(tickets):
            frame = QFrame()
            frame.setObjectName("card")
            row = QHBoxLayout(frame)
            caption = QLabel(held_caption(ticket, currency))
            caption.setWordWrap(True)
            recall = touch_button("Recall", "primary", min_width=120)
            recall.clicked.connect(lambda _=False, t=ticket.ticket_id: self._recall(t))
            row.addWidget(caption, 1)
            row.addWidget(recall)
            self._rows.insertWidget(position, frame)
            frame.show()  # added to a shown dialog: hidden until shown
            self.recall_buttons[ticket.number] = recall

    def _recall(self, ticket_id: str) -> None:
        self.accept()
        self.recall_requested.emit(ticket_id)
