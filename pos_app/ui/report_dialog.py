"""The day's figures at the till: the X report (so far, changes nothing) and closing the
day with the Z report, after counting the cash in the drawer."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing import report_text_rows
from pos_app.till.shift_report import Z_REPORT, ShiftReport, report_rows
from pos_app.ui.numpad import Numpad
from pos_app.ui.style import repolish, touch_button

REPORT_WIDTH = 42


class ReportDialog(QDialog):
    """Shows a report; closes the day on request.

    Promises: ``x_requested`` (refresh the X report), ``close_day_requested(counted)``
    after the cash counted on the numpad is confirmed, ``print_requested(rows)`` for
    the report on screen. :meth:`show_report` draws a report. Main thread only.
    """

    x_requested = Signal()
    close_day_requested = Signal(str)
    print_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Day report")
        self.setModal(True)
        self.setMinimumSize(780, 600)
        self.text = QLabel("")
        self.text.setObjectName("report")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.text)
        self.status = QLabel("")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        self.counted = QLabel("Count the cash in the drawer, type it, then Close the day.")
        self.counted.setWordWrap(True)
        self.numpad = Numpad(allow_decimal=True)
        self.x_button = touch_button("X report", name="x_report", min_width=120)
        self.x_button.clicked.connect(self.x_requested.emit)
        self.close_day = touch_button("Close the day (Z)", "danger", name="z_report")
        self.close_day.clicked.connect(self._close_day)
        self.confirm_close = touch_button("Yes, close the day", "danger", name="confirm_z")
        self.confirm_close.clicked.connect(self._confirmed)
        self.confirm_close.setVisible(False)
        self.print_button = touch_button("Print", name="print_report", min_width=100)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.rows))
        close = touch_button("Close", name="close_report", min_width=100)
        close.clicked.connect(self.accept)
        right = QVBoxLayout()
        right.addWidget(self.counted)
        right.addWidget(self.numpad)
        right.addWidget(self.close_day)
        right.addWidget(self.confirm_close)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.status)
        left.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.x_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.rows: list[str] = []
        self.report: ShiftReport | None = None

    def start(self) -> None:
        self.numpad.clear()
        self.confirm_close.setVisible(False)
        self.close_day.setVisible(True)
        self.show_message("")
        self.open()
        self.x_requested.emit()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("kind", "error" if error else "")
        repolish(self.status)

    def show_problem(self, text: str) -> None:
        """A refusal (the day cannot close yet): say why; Close the day comes back."""
        self.show_message(text, error=True)
        self.confirm_close.setVisible(False)
        self.close_day.setVisible(self.report is None or self.report.kind != Z_REPORT)

    def show_report(self, report: ShiftReport) -> None:
        self.report = report
        self.rows = report_text_rows(report_rows(report), REPORT_WIDTH)
        self.text.setText("<pre>" + "\n".join(self.rows) + "</pre>")
        if report.kind == Z_REPORT:
            self.show_message(
                f"The day is closed: {report.business_day}. The next ticket starts a new day."
            )
            self.close_day.setVisible(False)
            self.confirm_close.setVisible(False)

    def _close_day(self) -> None:
        if not self.numpad.text():
            self.show_message("Type the cash counted in the drawer first (0 if none).", error=True)
            return
        self.show_message(
            f"Close the day with {self.numpad.text()} counted? The Z report is final."
        )
        self.close_day.setVisible(False)
        self.confirm_close.setVisible(True)

    def _confirmed(self) -> None:
        self.confirm_close.setVisible(False)
        self.close_day_requested.emit(self.numpad.text())
