"""``pos-app packs`` and ``pos-app sell-pack``: coupon packs from a script, without a
screen (COUPON-PACK-RULES K12-K15).

``packs --json`` lists the packs this till sells with an order now, with the units it
has left of each limited one. ``sell-pack PACK_ID --phone PHONE [--pay cash|card]``
sells one pack to the member with that phone number on a ticket of its own, pays it
exactly and closes it, and prints the ticket and the coupons it issued as JSON.
``return-pack NUMBER --line L --manager NAME`` refunds the whole pack sold on line L of
ticket NUMBER (the manager's PIN on standard input; K14): refused in words when one of
its coupons was used. Bad input, or a sale the checks refuse, exits 2 with the reason;
nothing is written.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from pos_app.cli.till_commands import read_pin
from pos_app.engine import Close, Refusal, RemoveLine, SellPack
from pos_app.till.commands import ClearPayments, PayCard, PayCash, ReturnPackLine
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.pack_sales import PackOnSale, SoldPack
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import DetachMember
from pos_app.till.till import TicketChange
from pos_app.wiring import open_till

PAY_METHODS = ("cash", "card")


def add_pack_commands(commands: Any) -> None:
    """Add ``packs`` and ``sell-pack`` to ``pos-app``'s sub-parsers."""
    packs = commands.add_parser("packs", help="coupon packs this till sells with an order now")
    packs.add_argument("--json", action="store_true", help="print a JSON array")
    sell = commands.add_parser(
        "sell-pack", help="sell a coupon pack to a member on a ticket of its own, pay and close"
    )
    sell.add_argument("pack_id", metavar="PACK_ID")
    sell.add_argument("--phone", required=True, help="the member's phone number")
    sell.add_argument("--pay", choices=PAY_METHODS, default="cash", help="default: cash")
    back = commands.add_parser(
        "return-pack", help="refund a whole coupon pack of a closed ticket (a manager's PIN)"
    )
    back.add_argument("number", metavar="NUMBER", help="the ticket's number")
    back.add_argument("--line", required=True, help="the pack's line on the ticket")
    back.add_argument("--manager", required=True, help="the store manager's name")
    back.add_argument(
        "--pin-stdin", action="store_true", help="read the manager's PIN from standard input"
    )
    back.add_argument("--pay", choices=PAY_METHODS, default="cash", help="default: cash")
    back.add_argument("--reason", default="", help="why it is refunded")


def run_pack_command(args: argparse.Namespace, data_dir: Path) -> int | None:
    """Run ``packs`` or ``sell-pack``; None when ``args`` names neither."""
    if args.command == "packs":
        return print_packs(data_dir, as_json=args.json)
    if args.command == "sell-pack":
        return sell_pack(data_dir, args.pack_id, args.phone, args.pay)
    if args.command == "return-pack":
        return return_pack(data_dir, args)
    return None


def return_pack(data_dir: Path, args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Refund the pack on ``args.line`` of ticket ``args.number`` as ``args.manager``."""
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        till = runtime.till
        session = till.access.verify_pin(args.manager, read_pin(args.manager, args.pin_stdin))
        try:
            command = ReturnPackLine(args.number, args.line, args.pay, args.reason)
            till.handle(command, Actor(session))
        finally:
            till.access.end_session(session)
    except TillRefusal as refusal:
        print(f"error: {refusal.message}", file=sys.stderr)
        return 2
    finally:
        runtime.close()
    print(f"refunded the coupon pack on line {args.line} of {args.number} ({args.pay})", file=out)
    return 0


def pack_json(pack: PackOnSale, currency: Any) -> dict[str, Any]:
    return {
        "pack_id": pack.pack_id,
        "name": pack.name,
        "price": currency.format(pack.price),
        "currency": currency.code,
        "coupons": [{"coupon_code": code, "quantity": n} for code, n in pack.coupons],
        "units_left": pack.units_left,
        "sales_period": {
            "first_day": pack.first_day.isoformat(),
            "last_day": pack.last_day.isoformat(),
        },
        "sellable": pack.sellable,
        "reason": pack.refusal or None,
    }


def print_packs(data_dir: Path, *, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        currency = runtime.till.book.currency
        packs = [pack_json(p, currency) for p in runtime.till.packs_on_sale()]
    finally:
        runtime.close()
    if as_json:
        json.dump(packs, out, indent=1)
        out.write("\n")
        return 0
    for pack in packs:
        left = "unlimited" if pack["units_left"] is None else f"{pack['units_left']} left"
        state = "" if pack["sellable"] else f"  ({pack['reason']})"
        print(f"{pack['pack_id']:<8} {pack['price']:>10}  {pack['name']} [{left}]{state}", file=out)
    if not packs:
        print("no coupon pack is on sale at this till now", file=out)
    return 0


def _refuse(reason: str, err: TextIO) -> int:
    print(f"error: {reason}", file=err)
    return 2


def sell_pack(
    data_dir: Path,
    pack_id: str,
    phone: str,
    pay: str,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Sell ``pack_id`` to the member with ``phone`` on a ticket of its own, pay it in full
    with ``pay`` and close it; print the sale as JSON. A refusal writes nothing."""
    out, err = out or sys.stdout, err or sys.stderr
    if pay not in PAY_METHODS:
        return _refuse(f"--pay: {pay!r} is not cash or card", err)
    runtime = open_till(data_dir)
    try:
        till = runtime.till
        if not till.state.is_empty or till.payments:
            return _refuse(
                f"the till has an open ticket ({till.ticket_id}): close or void it first", err
            )
        with runtime.database.unit_of_work() as uow:
            members = uow.members.by_phone(phone)
        if len(members) != 1:
            return _refuse(
                f"--phone: no member has phone number {phone!r}"
                if not members
                else f"--phone: {len(members)} members match {phone!r}; give the whole number",
                err,
            )
        try:
            sold = till.handle(SellPack(pack_id, member_id=members[0].member_id))
        except (Refusal, TillRefusal) as refusal:
            return _refuse(refusal.message, err)
        try:
            due = till.currency.format(till.amount_due)
            till.handle(PayCash(due) if pay == "cash" else PayCard(due))
            closed = till.handle(Close())
        except (Refusal, TillRefusal) as refusal:
            _take_back(runtime, sold)
            return _refuse(f"pack {pack_id} cannot be paid: {refusal.message}", err)
        json.dump(sale_json(runtime, closed), out, indent=1)
        out.write("\n")
        return 0
    finally:
        runtime.close()


def _take_back(runtime: TillRuntime, sold: TicketChange) -> None:
    """Leave the till as ``sell-pack`` found it: the payments and the pack's line taken
    off, the member detached, so the next sale finds no open ticket."""
    till = runtime.till
    if till.payments:
        till.handle(ClearPayments())
    if sold.line_id is not None:
        till.handle(RemoveLine(sold.line_id))
    with contextlib.suppress(TillRefusal):  # no member on it
        till.handle(DetachMember())


def _sold_json(pack: SoldPack, currency: Any) -> dict[str, Any]:
    return {
        "sale_id": pack.sale_id,
        "line_id": pack.line_id,
        "pack_id": pack.pack_id,
        "name": pack.name,
        "price": currency.format(pack.price),
        "member": {"member_id": pack.member_id, "name": pack.member_name},
        "coupons": [
            {
                "code": c.code,
                "coupon_code": c.coupon_code,
                "name": c.name,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
            }
            for c in pack.coupons
        ],
    }


def sale_json(runtime: TillRuntime, closed: TicketChange) -> dict[str, Any]:
    """A closed ticket holding packs: the ticket, its payments, the packs and the codes."""
    currency = closed.priced.currency
    return {
        "ticket_id": closed.closed_ticket_id,
        "number": closed.number,
        "currency": currency.code,
        "total": currency.format(closed.priced.total),
        "payments": [p.to_json(currency) for p in closed.payments],
        "packs": [_sold_json(pack, currency) for pack in closed.packs_sold],
        "codes": [c.code for pack in closed.packs_sold for c in pack.coupons],
        "outbox_pending": closed.outbox_pending,
    }
