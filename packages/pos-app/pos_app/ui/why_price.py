""" "Why this price?": the engine's explain trace (R13) for one line, in words."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from pos_app.engine import PricedLine, PricedTicket, explain_line
from pos_app.ui.style import touch_button

STAGE_HELP = (
    "Stages run in this order (R4): 1 manual pricing, 2 coupons on the original price,"
    " 3 promotions, 4 local discounts, 5 coupons on the discounted price."
)


def why_text(line: PricedLine, ticket: PricedTicket) -> str:
    """The explain trace of ``line``: gross, each adjustment with its rule, net."""
    return "\n".join(explain_line(line, ticket))


class WhyPriceDialog(QDialog):
    """Shows one line's explain trace. Main thread only (the trace is computed from the
    immutable priced ticket the screen already holds: microseconds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why this price?")
        self.setModal(True)
        self.setMinimumSize(640, 360)
        self.title = QLabel("")
        self.text = QPlainTextEdit()
        self.text.setObjectName("explain")
        self.text.setReadOnly(True)
        help_text = QLabel(STAGE_HELP)
        help_text.setWordWrap(True)
        close = touch_button("Close", "primary")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(help_text)
        layout.addWidget(close)

    def show_line(self, line: PricedLine, ticket: PricedTicket) -> None:
        self.title.setText(f"<b>{line.name}</b> × {line.qty}: {ticket.currency.format(line.net)}")
        self.text.setPlainText(why_text(line, ticket))
