"""Receipt printing: the receipt record, its fixed-width layout and ESC/POS output.

No Qt here. :mod:`receipt` and :mod:`layout` are pure; :mod:`escpos_output` does
blocking printer I/O and belongs on a background op, never the UI thread.
"""

from pos_app.printing.escpos_output import (
    PrinterConfig,
    PrinterError,
    kick_drawer,
    open_printer,
    print_receipt,
    print_rows,
    render_receipt,
)
from pos_app.printing.layout import (
    CodeMark,
    ReceiptLayout,
    layout_receipt,
    preview_text,
    receipt_rows,
)
from pos_app.printing.receipt import (
    Payment,
    Receipt,
    ReceiptAdjustment,
    ReceiptCoupon,
    ReceiptLine,
    ReceiptPack,
    ReceiptPackCoupon,
    ReceiptTax,
    StoreHeader,
)
from pos_app.printing.report_layout import report_text_rows

__all__ = [
    "CodeMark",
    "Payment",
    "PrinterConfig",
    "PrinterError",
    "Receipt",
    "ReceiptAdjustment",
    "ReceiptCoupon",
    "ReceiptLayout",
    "ReceiptLine",
    "ReceiptPack",
    "ReceiptPackCoupon",
    "ReceiptTax",
    "StoreHeader",
    "kick_drawer",
    "layout_receipt",
    "open_printer",
    "preview_text",
    "print_receipt",
    "print_rows",
    "receipt_rows",
    "render_receipt",
    "report_text_rows",
]
