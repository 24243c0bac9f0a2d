"""The shift's commands for ``pos-app`` (wired in :mod:`pos_app.cli.main`):
``tickets``, ``refund``, ``report x|z`` and ``receipt``.

Amounts are decimal strings. Bad input exits 2 with the reason on stderr and writes
nothing (every refusal comes from the till before it writes).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from pos_app.engine import Refusal
from pos_app.printing import PrinterError, preview_text, print_rows, report_text_rows
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import CASHIER
from pos_app.till.receipts import closed_ticket_receipt
from pos_app.till.returns import RefundDone
from pos_app.till.shift_commands import CloseShift, RefundSale
from pos_app.till.shift_report import X_REPORT, ShiftReport, report_rows
from pos_app.ui.printer_settings import PrinterSettingsError, load_printer_config
from pos_app.wiring import open_till

RECEIPT_WIDTH = 42


def add_shift_commands(commands: Any) -> None:
    """Add the shift's sub-commands to ``pos-app``'s sub-parsers."""
    tickets = commands.add_parser("tickets", help="list the till's closed tickets")
    tickets.add_argument("--json", action="store_true", help="print a JSON array")

    refund = commands.add_parser("refund", help="return lines of a closed ticket")
    refund.add_argument("number", metavar="NUMBER", help="the ticket's number, e.g. D1-01-000007")
    refund.add_argument(
        "--line", action="append", default=[], metavar="LINE_ID", help="a line to return"
    )
    refund.add_argument(
        "--qty", action="append", default=[], metavar="N", help="how many of that line"
    )
    refund.add_argument("--method", required=True, choices=("cash", "card"))
    refund.add_argument("--day", default="", help=_DAY_HELP)

    report = commands.add_parser("report", help="the X (so far) or Z (close the day) report")
    report.add_argument("kind", choices=("x", "z"))
    report.add_argument("--json", action="store_true", help="print JSON")
    report.add_argument("--print", action="store_true", help="print on the receipt printer")
    report.add_argument("--counted", default=None, help="the cash counted in the drawer (Z)")

    receipt = commands.add_parser("receipt", help="print a closed ticket's receipt as text")
    receipt.add_argument("number", metavar="NUMBER", help="the ticket's number, e.g. D1-01-000007")
    receipt.add_argument("--day", default="", help=_DAY_HELP)


# Numbers are unique for the till's whole life; only tickets numbered before that rule
# (numbers started again each day) may need their business day to be told apart.
_DAY_HELP = "the business day (YYYY-MM-DD) of a number two days gave before lifetime numbers"


def _with_day(number: str, day: str) -> str:
    """The lookup text: the number, and its business day when one is given."""
    return f"{number.strip()} {day.strip()}" if day.strip() else number


def run_shift_command(args: argparse.Namespace, data_dir: Path) -> int | None:
    """Run a shift command; None when ``args`` names none of them."""
    if args.command == "tickets":
        return list_tickets(data_dir, as_json=args.json)
    if args.command == "refund":
        return refund(data_dir, _with_day(args.number, args.day), args.line, args.qty, args.method)
    if args.command == "report":
        return report(
            data_dir, args.kind, as_json=args.json, to_printer=args.print, counted=args.counted
        )
    if args.command == "receipt":
        return receipt(data_dir, _with_day(args.number, args.day))
    return None


def _fail(message: str, err: TextIO | None = None) -> int:
    print(f"error: {message}", file=err or sys.stderr)
    return 2


def list_tickets(data_dir: Path, *, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        sales = runtime.till.desk.closed_tickets()
        currency = runtime.till.currency
    finally:
        runtime.close()
    fmt = currency.format
    tickets = [
        {
            "number": sale.number,
            "ticket_id": sale.ticket_id,
            "closed_at": sale.closed_at.isoformat(),
            "total": fmt(sale.total),
            "tax": fmt(sale.tax) if sale.tax is not None else None,
            "member": sale.member_name,
            "lines": [
                {
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "name": line.name,
                    "qty": line.qty,
                    "net": fmt(line.net),
                }
                for line in sale.lines
            ],
        }
        for sale in sales
    ]
    if as_json:
        json.dump(tickets, out, indent=1)
        out.write("\n")
    else:
        for ticket in tickets:
            count = len(ticket["lines"]) if isinstance(ticket["lines"], list) else 0
            print(f"{ticket['number'] or '-':<14} {ticket['total']:>10}  {count} line(s)", file=out)
    return 0


def refund(
    data_dir: Path,
    number: str,
    lines: list[str],
    quantities: list[str],
    method: str,
    out: TextIO | None = None,
) -> int:
    """Return some lines (``--line`` with ``--qty``, 1 if none) or all of a sale."""
    out = out or sys.stdout
    if quantities and len(quantities) != len(lines):
        return _fail("give one --qty per --line (or none: one of each)")
    wanted: tuple[tuple[str, object], ...] | None = None
    if lines:
        counts = quantities or ["1"] * len(lines)
        wanted = tuple(
            (line, int(qty) if qty.strip().isdigit() else qty)
            for line, qty in zip(lines, counts, strict=True)
        )
    runtime = open_till(data_dir)
    try:
        change = runtime.till.handle(RefundSale(number, method, wanted), CASHIER)
    except (TillRefusal, Refusal) as refusal:
        return _fail(refusal.message)
    finally:
        runtime.close()
    done = change.outcome
    assert isinstance(done, RefundDone)
    fmt = done.plan.sale.currency.format
    json.dump(
        {
            "number": done.number,
            "refund_of": done.refund_of,
            "amount": fmt(done.amount),
            "method": done.method,
            "restored_codes": list(done.plan.restored_codes),
        },
        out,
    )
    out.write("\n")
    return 0


def report(
    data_dir: Path,
    kind: str,
    *,
    as_json: bool,
    to_printer: bool,
    counted: str | None = None,
    out: TextIO | None = None,
) -> int:
    """The X report (nothing changes) or the Z report (closes the day)."""
    out = out or sys.stdout
    printer = None
    if to_printer:
        try:
            printer = load_printer_config(data_dir)
        except PrinterSettingsError as exc:
            return _fail(str(exc))
        if printer is None:
            return _fail("no printer is set up for this till (manager mode, Printer)")
    if kind == "x" and counted is not None:
        return _fail("--counted belongs to the Z report, which closes the day")
    runtime = open_till(data_dir)
    try:
        if kind == "x":
            shift_report = runtime.till.desk.report(X_REPORT)
        else:
            change = runtime.till.handle(CloseShift(counted), CASHIER)
            assert isinstance(change.outcome, ShiftReport)
            shift_report = change.outcome
    except (TillRefusal, Refusal) as refusal:
        return _fail(refusal.message)
    finally:
        runtime.close()
    rows = report_text_rows(report_rows(shift_report), printer.width if printer else 42)
    if printer is not None:
        try:
            print_rows(printer, rows)
        except PrinterError as exc:
            print(f"warning: {exc}", file=sys.stderr)
    if as_json:
        json.dump(shift_report.to_json(), out, indent=1)
        out.write("\n")
    else:
        out.write("\n".join(row.rstrip() for row in rows) + "\n")
    return 0


def receipt(data_dir: Path, number: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        found = closed_ticket_receipt(runtime.database, runtime.till.book, number)
    except TillRefusal as refusal:
        return _fail(refusal.message)
    finally:
        runtime.close()
    out.write(preview_text(found, RECEIPT_WIDTH) + "\n")
    return 0
