"""The receipt on screen, exactly as the printer's columns lay it out, with print and
reprint."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing import PrinterConfig, Receipt, preview_text
from pos_app.ui.style import repolish, touch_button

DEFAULT_WIDTH = 42


class ReceiptPreviewDialog(QDialog):
    """Shows a receipt as fixed-width rows (42 or 48 columns, the printer's) with the
    ticket id's barcode or QR marked where it prints.

    Promises: ``print_requested(reprint)`` from Print / Reprint; :meth:`show_receipt`
    and :meth:`show_print_status` redraw it. Main thread only.
    """

    print_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Receipt")
        self.setModal(True)
        self.setMinimumSize(560, 600)
        self.paper = QLabel()
        self.paper.setObjectName("receipt")
        self.paper.setTextFormat(Qt.TextFormat.PlainText)
        self.paper.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.paper.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.paper)
        self.status = QLabel("")
        self.status.setObjectName("print_status")
        self.status.setWordWrap(True)
        self.print_button = touch_button("Print", "primary")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(False))
        self.reprint_button = touch_button("Reprint")
        self.reprint_button.clicked.connect(lambda: self.print_requested.emit(True))
        done = touch_button("New sale", "pay")
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.receipt: Receipt | None = None
        self.text = ""

    def show_receipt(
        self, receipt: Receipt, printer: PrinterConfig | None, *, printing: bool
    ) -> None:
        """Lay ``receipt`` out at the printer's width and code kind (42, barcode when no
        printer is set up). ``printing``: a print job was started for it."""
        self.receipt = receipt
        width = printer.width if printer else DEFAULT_WIDTH
        code = printer.code if printer else "barcode"
        self.text = preview_text(receipt, width, code=code)
        self.paper.setText(self.text)
        self.print_button.setVisible(printer is not None and not printing)
        self.reprint_button.setEnabled(printer is not None)
        if printer is None:
            self.status.setText("No printer is set up: preview only.")
        elif printing:
            self.status.setText(f"Printing on {printer.address}…")
        else:
            self.status.setText(f"Printer: {printer.address}")

    def show_print_status(self, text: str, *, failed: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("kind", "error" if failed else "")
        repolish(self.status)
