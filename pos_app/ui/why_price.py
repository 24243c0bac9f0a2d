""" "Why this price?": one line's price in sentences a customer can be read, with the
engine's rule trace (R13) only behind the Details toggle."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from pos_app.engine import PricedLine, PricedTicket, explain_line
from pos_app.till.names import Names, why_sentences
from pos_app.ui.style import touch_button

STAGE_HELP = (
    "Stages run in this order (R4): 1 manual pricing, 2 coupons on the original price,"
    " 3 promotions, 4 local discounts, 5 coupons on the discounted price."
)


def why_text(line: PricedLine, ticket: PricedTicket, names: Names | None = None) -> str:
    """``line``'s price in plain sentences, one per step."""
    return "\n".join(why_sentences(line, ticket, names or Names()))


def trace_text(line: PricedLine, ticket: PricedTicket) -> str:
    """The engine's trace of ``line`` (stages, sources, rules): the details."""
    return "\n".join([*explain_line(line, ticket), "", STAGE_HELP])


class WhyPriceDialog(QDialog):
    """One line's price explained. Main thread only (computed from the immutable priced
    ticket the screen already holds: microseconds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why this price?")
        self.setModal(True)
        self.setMinimumSize(560, 360)
        self.title = QLabel("")
        self.sentences = QLabel("")
        self.sentences.setWordWrap(True)
        self.sentences.setObjectName("why")
        self.text = QPlainTextEdit()
        self.text.setObjectName("explain")
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        self.details = touch_button("Details", "toggle", name="details", min_width=120)
        self.details.setCheckable(True)
        self.details.toggled.connect(self.text.setVisible)
        close = touch_button("Close", "primary")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.sentences)
        layout.addWidget(self.text, 1)
        layout.addStretch(0)
        layout.addLayout(buttons)

    def show_line(self, line: PricedLine, ticket: PricedTicket, names: Names | None = None) -> None:
        self.title.setText(f"<b>{line.name}</b> × {line.qty}: {ticket.currency.format(line.net)}")
        self.sentences.setText(why_text(line, ticket, names))
        self.text.setPlainText(trace_text(line, ticket))
        self.details.setChecked(False)
