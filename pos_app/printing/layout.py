"""A receipt as fixed-width text rows: what the paper shows and what the preview shows.

Pure functions, no I/O. Every row is exactly ``width`` characters (42 or 48: font A
on 80 mm printers of 512 or 576 dots); amounts are right-aligned in the last
columns; long names wrap. The ticket id's barcode or QR code is a marker row
(:class:`CodeMark`) that a printer replaces with the real code.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pos_app.engine.money import ZERO
from pos_app.printing.receipt import Payment, Receipt, ReceiptLine

SUPPORTED_WIDTHS = (42, 48)
CodeKind = Literal["barcode", "qr"]
CODE_KINDS: tuple[CodeKind, ...] = ("barcode", "qr")

REPRINT_MARK = "*** REPRINT ***"
INDENT = 2


def check_width(width: int) -> int:
    """``width`` if it is a supported paper width (42 or 48 columns), else ValueError."""
    if isinstance(width, bool) or width not in SUPPORTED_WIDTHS:
        raise ValueError(f"Receipt width must be 42 or 48 columns, not {width!r}")
    return width


def check_code_kind(code: str) -> CodeKind:
    """``code`` if it is "barcode" or "qr", else ValueError."""
    for kind in CODE_KINDS:
        if code == kind:
            return kind
    raise ValueError(f"Ticket code must be 'barcode' or 'qr', not {code!r}")


@dataclass(frozen=True)
class CodeMark:
    """Where the ticket id's code goes: a CODE128 barcode or a QR code of ``data``."""

    kind: CodeKind
    data: str

    @property
    def label(self) -> str:
        """The marker text the preview shows in place of the code."""
        name = "CODE128" if self.kind == "barcode" else "QR"
        return f"[{name} {self.data}]"


@dataclass(frozen=True)
class ReceiptLayout:
    """A receipt laid out in rows of exactly ``width`` characters, in printing order.

    ``banner`` (the reprint mark) and ``header`` (store name and address) are the
    rows a printer may emphasise; ``code`` is printed after ``footer``.
    """

    width: int
    banner: tuple[str, ...]
    header: tuple[str, ...]
    body: tuple[str, ...]
    footer: tuple[str, ...]
    code: CodeMark

    @property
    def code_row(self) -> str:
        """The code's marker as one row, centred."""
        return _centre_one(self.code.label, self.width)

    def rows(self) -> list[str]:
        """All rows, with the code's marker row at the end."""
        return [*self.banner, *self.header, *self.body, *self.footer, self.code_row]


# ---------------------------------------------------------------- row helpers


def _centre_one(text: str, width: int) -> str:
    return text[:width].center(width)


def _centred(text: str, width: int) -> list[str]:
    return [_centre_one(part, width) for part in _wrap(text, width)]


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True) or [""]


def _rule(width: int, char: str = "-") -> str:
    return char * width


def _amount_rows(left: str, amount: str, width: int, indent: int = 0) -> list[str]:
    """``left`` wrapped at ``indent``, ``amount`` right-aligned on its first row."""
    room = width - indent - len(amount) - 1
    if room < 8:  # an absurdly long amount gets a row of its own
        return [*_text_rows(left, width, indent), amount[-width:].rjust(width)]
    parts = _wrap(left, room)
    first = " " * indent + parts[0]
    rows = [first.ljust(width - len(amount)) + amount]
    rows.extend((" " * (indent + INDENT) + part).ljust(width) for part in _wrap_rest(parts, room))
    return rows


def _wrap_rest(parts: list[str], room: int) -> list[str]:
    """Continuation parts, re-wrapped for their hanging indent."""
    rest = " ".join(parts[1:])
    return _wrap(rest, room - INDENT) if rest else []


def _text_rows(text: str, width: int, indent: int = 0) -> list[str]:
    parts = _wrap(text, width - indent)
    rows = [(" " * indent + parts[0]).ljust(width)]
    rows.extend(
        (" " * (indent + INDENT) + part).ljust(width) for part in _wrap_rest(parts, width - indent)
    )
    return rows


def _pair_rows(left: str, right: str, width: int) -> list[str]:
    """``left`` and ``right`` on one row if they fit, else on two."""
    if not right:
        return _text_rows(left, width)
    if not left:
        return [right[-width:].rjust(width)]
    if len(left) + 1 + len(right) <= width:
        return [left.ljust(width - len(right)) + right]
    return [*_text_rows(left, width), *(part.rjust(width) for part in _wrap(right, width))]


def _signed(text: str, amount: Decimal) -> str:
    return text if amount < 0 else f"+{text}" if amount > 0 else text


# ---------------------------------------------------------------- sections


def _header(receipt: Receipt, width: int) -> list[str]:
    rows = _centred(receipt.store.name, width)
    for line in receipt.store.address_lines:
        rows.extend(_centred(line, width))
    return rows


def _meta(receipt: Receipt, width: int) -> list[str]:
    rows: list[str] = []
    if receipt.title:
        rows.extend(_centred(receipt.title, width))
    if receipt.number:  # people read the short number and the till's, never an id
        till = f"Till {receipt.till}" if receipt.till else ""
        rows.extend(_pair_rows(till, f"Ticket {receipt.number}", width))
        rows.append(receipt.closed_at.strftime("%Y-%m-%d %H:%M").ljust(width))
        if receipt.cashier:
            rows.extend(_text_rows(f"Served by: {receipt.cashier}", width))
        if receipt.member:
            rows.extend(_text_rows(f"Member: {receipt.member}", width))
        return rows
    store = f"Store {receipt.store.store_id}" if receipt.store.store_id else ""
    till = f"Till {receipt.device_id}" if receipt.device_id else ""
    rows = _pair_rows(store, till, width) if store or till else []
    when = receipt.closed_at.strftime("%Y-%m-%d %H:%M")
    ticket = f"Ticket {receipt.ticket_id}"
    if len(when) + 1 + len(ticket) <= width:
        rows.extend(_pair_rows(when, ticket, width))
    elif len(ticket) <= width:
        rows.extend([when.ljust(width), ticket.rjust(width)])
    else:  # the id on rows of its own, never broken where it would fit whole
        rows.extend([when.ljust(width), "Ticket".rjust(width)])
        ticket_id = receipt.ticket_id
        rows.extend(ticket_id[i : i + width].rjust(width) for i in range(0, len(ticket_id), width))
    return rows


def _line(line: ReceiptLine, receipt: Receipt, width: int) -> list[str]:
    fmt = receipt.currency.format
    if line.qty == 1:
        rows = _amount_rows(line.name, fmt(line.gross), width)
    else:
        rows = _text_rows(line.name, width)
        rows.extend(
            _amount_rows(f"{line.qty} x {fmt(line.unit_price)}", fmt(line.gross), width, INDENT)
        )
    for adjustment in line.adjustments:
        amount = _signed(fmt(adjustment.amount), adjustment.amount)
        rows.extend(_amount_rows(adjustment.label, amount, width, INDENT))
    return rows


def _coupons(receipt: Receipt, width: int) -> list[str]:
    fmt = receipt.currency.format
    rows: list[str] = []
    for coupon in receipt.coupons:
        label = f"Coupon: {coupon.name}" if coupon.name else f"Coupon {coupon.code} ({coupon.kind})"
        rows.extend(_amount_rows(label, fmt(ZERO - coupon.amount), width))
    return rows


def _totals(receipt: Receipt, width: int) -> list[str]:
    fmt = receipt.currency.format
    rows = _amount_rows("Subtotal", fmt(receipt.subtotal), width)
    if receipt.savings:
        saved = ZERO - receipt.savings
        rows.extend(_amount_rows("Savings", _signed(fmt(saved), saved), width))
    if receipt.taxes and not receipt.tax_inclusive:
        for tax in receipt.taxes:
            rows.extend(_amount_rows(f"Tax {tax.label} on {fmt(tax.base)}", fmt(tax.tax), width))
    rows.extend(_amount_rows(f"TOTAL {receipt.currency.code}", fmt(receipt.amount_due), width))
    if receipt.taxes and receipt.tax_inclusive:
        for tax in receipt.taxes:
            rows.extend(
                _amount_rows(f"incl. tax {tax.label} on {fmt(tax.base)}", fmt(tax.tax), width)
            )
    return rows


def _payment(payment: Payment, receipt: Receipt, width: int) -> list[str]:
    fmt = receipt.currency.format
    rows = _amount_rows(payment.method.capitalize(), fmt(payment.amount), width)
    if payment.method == "cash":
        rows.extend(_amount_rows("Tendered", fmt(payment.tendered), width, INDENT))
        rows.extend(_amount_rows("Change", fmt(payment.change), width, INDENT))
    return rows


def _when(text: str) -> str:
    """A validity bound as the receipt prints it: local date and time to the minute."""
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def _packs(receipt: Receipt, width: int) -> list[str]:
    """Each coupon pack sold, for whom, and each coupon it issued: name, code, validity."""
    rows: list[str] = []
    for pack in receipt.packs:
        rows.extend(
            _text_rows(f"{pack.name}" + (f" for {pack.member}" if pack.member else ""), width)
        )
        for coupon in pack.coupons:
            rows.extend(_text_rows(coupon.name, width, INDENT))
            for label, value in (
                ("Code", coupon.code),
                ("From", _when(coupon.valid_from)),
                ("To", _when(coupon.valid_to)),
            ):
                rows.extend(_text_rows(f"{label:<5}{value}", width, INDENT * 2))
    return rows


def _body(receipt: Receipt, width: int) -> list[str]:
    rows = _meta(receipt, width)
    rows.append(_rule(width))
    for line in receipt.lines:
        rows.extend(_line(line, receipt, width))
    rows.append(_rule(width))
    if receipt.coupons:
        rows.extend(_coupons(receipt, width))
        rows.append(_rule(width))
    rows.extend(_totals(receipt, width))
    if receipt.payments:
        rows.append(_rule(width, "="))
        for payment in receipt.payments:
            rows.extend(_payment(payment, receipt, width))
    if receipt.packs:
        rows.append(_rule(width, "="))
        rows.extend(_centred("YOUR COUPONS", width))
        rows.extend(_packs(receipt, width))
    return rows


def _footer(receipt: Receipt, width: int) -> list[str]:
    rows: list[str] = []
    for paragraph in receipt.footer.splitlines():
        rows.extend(_centred(paragraph.strip(), width))
    return [" " * width, *rows] if rows else []


# ---------------------------------------------------------------- public


def layout_receipt(
    receipt: Receipt, width: int, *, code: str = "barcode", reprint: bool = False
) -> ReceiptLayout:
    """Lay ``receipt`` out at ``width`` (42 or 48) with the ticket id as ``code``."""
    width = check_width(width)
    kind = check_code_kind(code)
    banner = (_centre_one(REPRINT_MARK, width), " " * width) if reprint else ()
    return ReceiptLayout(
        width=width,
        banner=banner,
        header=tuple(_header(receipt, width)),
        body=tuple(_body(receipt, width)),
        footer=tuple(_footer(receipt, width)),
        code=CodeMark(kind, receipt.number or receipt.ticket_id),
    )


def receipt_rows(
    receipt: Receipt, width: int, *, code: str = "barcode", reprint: bool = False
) -> list[str]:
    """The receipt's rows, each exactly ``width`` characters."""
    return layout_receipt(receipt, width, code=code, reprint=reprint).rows()


def preview_text(
    receipt: Receipt, width: int, *, code: str = "barcode", reprint: bool = False
) -> str:
    """The on-screen preview: the rows joined by newlines, for a monospace widget."""
    return "\n".join(receipt_rows(receipt, width, code=code, reprint=reprint))
