"""The fixed-width layout and on-screen preview of a receipt."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest

from pos_app.engine import PriceBook, PricedTicket, Ticket
from pos_app.engine.commands import AddItem
from pos_app.printing import Payment, Receipt, layout_receipt, preview_text, receipt_rows
from tests.printing.conftest import CLOSED_AT, LONG_NAME, STORE

AMOUNT = re.compile(r"[-+]?\d+(?:\.\d+)?$")


def _items_section(rows: list[str]) -> list[str]:
    rules = [i for i, row in enumerate(rows) if set(row) == {"-"}]
    return rows[rules[0] + 1 : rules[1]]


@pytest.mark.parametrize("width", [42, 48])
def test_every_row_is_exactly_the_paper_width(receipt: Receipt, width: int) -> None:
    """Every row, reprint or not, barcode or QR, is exactly 42 / 48 characters."""
    for code in ("barcode", "qr"):
        for reprint in (False, True):
            rows = receipt_rows(receipt, width, code=code, reprint=reprint)
            assert rows
            assert {len(row) for row in rows} == {width}


@pytest.mark.parametrize("width", [0, 32, 40, 80, True])
def test_other_widths_are_refused(receipt: Receipt, width: int) -> None:
    """Only 42 and 48 columns are supported; any other width is a ValueError."""
    with pytest.raises(ValueError, match="42 or 48"):
        receipt_rows(receipt, width)


def test_unknown_code_kind_is_refused(receipt: Receipt) -> None:
    """The ticket id's code is a barcode or a QR code, nothing else."""
    with pytest.raises(ValueError, match="barcode"):
        receipt_rows(receipt, 42, code="pdf417")


@pytest.mark.parametrize("width", [42, 48])
def test_amounts_are_right_aligned(receipt: Receipt, width: int) -> None:
    """Line, adjustment, total and payment amounts end in the last column."""
    rows = receipt_rows(receipt, width)
    fmt = receipt.currency.format
    total_row = next(row for row in rows if row.startswith("TOTAL USD"))
    assert total_row.endswith(fmt(receipt.total))
    burger = next(row for row in rows if row.startswith("Burger"))
    assert burger.endswith(" 12.00")
    for row in _items_section(rows):
        if AMOUNT.search(row.rstrip()):
            assert not row.endswith(" "), row
            assert AMOUNT.search(row)


@pytest.mark.parametrize("width", [42, 48])
def test_printed_amounts_add_up_to_the_total(
    priced: PricedTicket, receipt: Receipt, width: int
) -> None:
    """R3: the items section's grosses and signed adjustments sum to the ticket total."""
    rows = receipt_rows(receipt, width)
    printed = [Decimal(m.group()) for row in _items_section(rows) if (m := AMOUNT.search(row))]
    assert sum(printed) == priced.total
    fmt = receipt.currency.format
    ends = {row.split("  ")[0]: row.split()[-1] for row in rows if row.strip()}
    assert ends["Subtotal"] == fmt(priced.gross)
    assert ends["Savings"] == f"-{fmt(priced.savings)}"
    assert ends["Coupon CV (cash voucher)"] == f"-{fmt(priced.coupons['CV'].amount)}"
    assert ends["TOTAL USD"] == fmt(priced.total) == "24.90"


def test_each_adjustment_is_indented_under_its_line(receipt: Receipt) -> None:
    """R13: a line's adjustments follow it as indented rows, before the next line."""
    rows = _items_section(receipt_rows(receipt, 42))
    latte = rows.index(next(r for r in rows if r.startswith("Latte")))
    assert rows[latte + 1].startswith("  2 x 5.00") and rows[latte + 1].endswith("10.00")
    assert rows[latte + 2].startswith("  Promotion P1") and rows[latte + 2].endswith("-2.00")
    assert rows[latte + 3].startswith("  Coupon CV")
    cola = rows.index(next(r for r in rows if r.startswith("Cola")))
    assert rows[cola + 1].startswith("  Price adjusted") and rows[cola + 1].endswith("-0.50")
    tea = rows.index(next(r for r in rows if r.startswith("Tea")))
    assert rows[tea + 1].startswith("  Presented") and rows[tea + 1].endswith("-1.05")
    burger = rows.index(next(r for r in rows if r.startswith("Burger")))
    assert rows[burger + 1].startswith("  Coupon CV")
    assert rows[burger + 2].startswith(LONG_NAME[:10])


@pytest.mark.parametrize("width", [42, 48])
def test_long_names_wrap_with_the_amount_on_the_first_row(receipt: Receipt, width: int) -> None:
    """A name longer than the row wraps onto indented rows; no word is lost."""
    rows = _items_section(receipt_rows(receipt, width))
    first = next(i for i, row in enumerate(rows) if row.startswith("Triple"))
    assert rows[first].endswith(" 6.00")
    continuation = []
    for row in rows[first + 1 :]:
        if not row.startswith("  ") or row.startswith("  Discount"):
            break
        continuation.append(row)
    assert continuation and not AMOUNT.search(continuation[0])
    words = " ".join([rows[first][: -len("6.00")], *continuation]).split()
    assert words == LONG_NAME.split()


def test_header_meta_payments_and_footer(receipt: Receipt) -> None:
    """Store name and address centred, store/till/time/ticket id, payments, footer."""
    rows = receipt_rows(receipt, 42)
    assert rows[0].strip() == "Corner Cafe" and rows[0] == "Corner Cafe".center(42)
    assert rows[1].strip() == "1 High Street"
    assert rows[3].startswith("Store S01") and rows[3].endswith("Till D02")
    assert rows[4].startswith("2024-05-01 14:03") and rows[4].endswith("Ticket S01-D02-000123")
    text = "\n".join(rows)
    assert re.search(r"^Card +10\.00$", text, re.M)
    assert re.search(r"^Cash +14\.90$", text, re.M)
    assert re.search(r"^  Tendered +20\.00$", text, re.M)
    assert re.search(r"^  Change +5\.10$", text, re.M)
    assert any(row.strip() == "Thank you for your visit!" for row in rows)


def test_code_marker_row_names_the_ticket_id(receipt: Receipt) -> None:
    """The last row marks where the CODE128 barcode or QR code of the ticket id goes."""
    assert receipt_rows(receipt, 42)[-1].strip() == "[CODE128 S01-D02-000123]"
    layout = layout_receipt(receipt, 48, code="qr")
    assert (layout.code.kind, layout.code.data) == ("qr", "S01-D02-000123")
    assert layout.rows()[-1].strip() == "[QR S01-D02-000123]"


def test_reprint_adds_a_marker_row_at_the_top(receipt: Receipt) -> None:
    """A reprint starts with a centred *** REPRINT *** row; the rest is unchanged."""
    first = receipt_rows(receipt, 42)
    again = receipt_rows(receipt, 42, reprint=True)
    assert again[0].strip() == "*** REPRINT ***"
    assert again[2:] == first


def test_preview_is_the_rows_joined(receipt: Receipt) -> None:
    """The on-screen preview is exactly the printed rows, one per text line."""
    text = preview_text(receipt, 48, code="qr", reprint=True)
    assert text.split("\n") == receipt_rows(receipt, 48, code="qr", reprint=True)


def test_zero_decimal_currency_prints_whole_amounts() -> None:
    """A JPY ticket prints amounts with no decimals and still fills every row."""
    book = PriceBook.parse(
        {"currency": "JPY", "catalog": [{"sku": "RAMEN", "name": "Ramen", "price": "1200"}]}
    )
    ticket = Ticket(book, clock=lambda: CLOSED_AT)
    priced = ticket.apply(AddItem("L1", "RAMEN", 2))
    receipt = Receipt.from_ticket(
        priced,
        ticket_id="T-9",
        store=STORE,
        device_id="D1",
        closed_at=datetime(2024, 1, 2, 3, 4),
        payments=[Payment.cash(Decimal(2400), Decimal(3000))],
    )
    rows = receipt_rows(receipt, 42)
    assert {len(row) for row in rows} == {42}
    assert any(row.startswith("TOTAL JPY") and row.endswith(" 2400") for row in rows)
    assert any(row.startswith("  Change") and row.endswith(" 600") for row in rows)


@pytest.mark.parametrize("width", [42, 48])
@pytest.mark.parametrize(
    "ticket_id",
    [
        "d07d6372-140f-43af-bce0-6d82100cf1a7",  # "43af-bce0": textwrap breaks there
        "91537be0-2a4a-4e68-8b98-d66d3468e1c3",
        "12345678-1234-1234-1234-123456789012",
        "S01-D02-000123",
    ],
)
def test_the_ticket_id_is_never_broken_across_rows(
    priced: PricedTicket, width: int, ticket_id: str
) -> None:
    """A ticket id that fits on a row is printed whole, whatever its characters (a UUID
    with hyphens next to letters used to be split by hyphen wrapping)."""
    from tests.printing.conftest import make_receipt

    rows = receipt_rows(make_receipt(priced, ticket_id=ticket_id), width)
    assert any(ticket_id in row for row in rows)
    assert {len(row) for row in rows} == {width}
