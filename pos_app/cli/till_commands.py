"""The till's commands for ``pos-app`` (wired in :mod:`pos_app.cli.main`): ``db upgrade``,
``catalog``, ``outbox``, ``ticket show|void`` and ``scenario run|check --persist``.

Each opens the data directory through :mod:`pos_app.wiring`; nothing is built until a
command runs.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from pos_app.cli.db_commands import add_db_commands, run_db_command
from pos_app.scenario.command import check_files, run_files
from pos_app.scenario.replay import result_json
from pos_app.scenario.scenario_file import ScenarioError, load_scenario
from pos_app.store.database import database_path
from pos_app.sync.parked import describe
from pos_app.till.clock import Clock
from pos_app.till.commands import VoidTicket
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.scenario_replay import persisted_replayer
from pos_app.till.till import Till
from pos_app.wiring import default_data_dir, open_till, upgrade

CONFIG_KEYS = ("catalog", "promotions", "coupons")


def add_till_commands(commands: Any) -> None:
    """Add the till's sub-commands to ``pos-app``'s sub-parsers."""
    db = commands.add_parser("db", help="the till's database")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="create or upgrade the database to the latest schema")
    add_db_commands(db_commands)

    catalog = commands.add_parser("catalog", help="list the till's items with prices")
    catalog.add_argument("--json", action="store_true", help="print a JSON array")

    outbox = commands.add_parser(
        "outbox", help="events waiting for the back office, and those it refused (parked)"
    )
    outbox.add_argument("--json", action="store_true", help="print JSON")
    outbox.add_argument(
        "--send-again",
        type=int,
        metavar="SEQ",
        help="put parked event number SEQ back in the queue (after fixing its cause)",
    )

    ticket = commands.add_parser("ticket", help="the till's open ticket")
    ticket_commands = ticket.add_subparsers(dest="ticket_command", required=True)
    ticket_commands.add_parser("show", help="print the open ticket as JSON")
    void = ticket_commands.add_parser("void", help="discard the open ticket (audited)")
    void.add_argument("--manager", required=True, help="the store manager's name")
    void.add_argument(
        "--pin-stdin", action="store_true", help="read the manager's PIN from standard input"
    )
    void.add_argument("--reason", default="", help="why the ticket is voided")


def add_persist_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--persist",
        action="store_true",
        help="replay through the till against the data directory's own configuration,"
        " closing for real and queuing events (the files may omit catalog, promotions"
        " and coupons, and must not carry them)",
    )


def data_dir_of(args: argparse.Namespace) -> Path:
    if args.data_dir:
        return Path(args.data_dir)

    return default_data_dir()


def run_till_command(args: argparse.Namespace) -> int | None:
    """Run a till command; None when ``args`` names none of them."""
    if args.command == "db":
        if args.db_command == "upgrade":
            return db_upgrade(data_dir_of(args))
        return run_db_command(args.db_command, args, data_dir_of(args))
    if args.command == "catalog":
        return print_catalog(data_dir_of(args), as_json=args.json)
    if args.command == "outbox":
        if args.send_again is not None:
            return send_again(data_dir_of(args), args.send_again)
        return print_outbox(data_dir_of(args), as_json=args.json)
    if args.command == "ticket":
        if args.ticket_command == "show":
            return show_ticket(data_dir_of(args))
        return void_ticket(data_dir_of(args), args.manager, args.reason, pin_stdin=args.pin_stdin)
    return None


def db_upgrade(data_dir: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    revision = upgrade(data_dir)
    print(f"{database_path(data_dir)}: at revision {revision}", file=out)
    return 0


def print_catalog(data_dir: Path, *, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    runtime = open_till(data_dir)
    try:
        book = runtime.till.book
        fmt = book.currency.format
        items = [
            {"sku": i.sku, "name": i.name, "price": fmt(i.price), "category": i.category}
            for i in sorted(book.items.values(), key=lambda i: i.sku)
        ]
    finally:
        runtime.close()
    if as_json:
        json.dump(items, out, indent=1)
        out.write("\n")
    else:
        for item in items:
            print(
                f"{item['sku']:<16} {item['price']:>10}  {item['name']} ({item['category']})",
                file=out,
            )
    return 0


def print_outbox(data_dir: Path, *, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    runtime = open_till(data_dir)
    try:
        counts = runtime.sync_store.outbox_counts()
        events = runtime.sync_store.pending_events(limit=1000)
        parked = [describe(event) for event in runtime.sync_store.parked_events()]
    finally:
        runtime.close()
    if as_json:
        json.dump(
            {
                "pending": counts.pending,
                "failed": counts.failed,
                "parked": [
                    {
                        "seq": line.seq,
                        "what": line.what,
                        "made_at": line.when,
                        "why": line.why,
                        "reason_code": line.code,
                        "idempotency_key": line.key,
                    }
                    for line in parked
                ],
                "open_conflicts": counts.open_conflicts,
                "events": events,
            },
            out,
            indent=1,
        )
        out.write("\n")
    else:
        print(
            f"{counts.pending} waiting, {counts.failed} parked,"
            f" {counts.open_conflicts} open conflicts",
            file=out,
        )
        for event in events:
            print(f"  #{event['device_seq']} {event['type']} {event['device_time']}", file=out)
        if parked:
            print("Parked (refused by the back office; send again once fixed):", file=out)
        for line in parked:
            print(f"  #{line.seq} {line.what}, made {line.when}: {line.why}", file=out)
    return 0


def send_again(data_dir: Path, seq: int, out: TextIO | None = None) -> int:
    """Put parked event number ``seq`` back in the queue; the next sync sends it."""
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        parked = {event.device_seq: event for event in runtime.sync_store.parked_events()}
        event = parked.get(seq)
        if event is None:
            numbers = ", ".join(f"#{n}" for n in sorted(parked)) or "none"
            print(f"error: no parked event #{seq} (parked: {numbers})", file=sys.stderr)
            return 2
        runtime.sync_store.requeue_failed(event.idempotency_key)
    finally:
        runtime.close()
    print(f"#{seq} {describe(event).what} is back in the queue for the next sync", file=out)
    return 0


def show_ticket(data_dir: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout

    runtime = open_till(data_dir)
    try:
        till = runtime.till
        currency = till.book.currency
        obj = {
            "ticket_id": till.ticket_id,
            **result_json(till.priced),
            "payments": [p.to_json(currency) for p in till.payments],
            "amount_due": currency.format(till.amount_due),
        }
    finally:
        runtime.close()
    json.dump(obj, out, indent=1)
    out.write("\n")
    return 0


def read_pin(name: str, pin_stdin: bool) -> str:
    """A manager's PIN: one line of standard input, or asked without echo on a terminal.
    Never a command-line argument (it would show in the process list)."""
    if pin_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass(f"PIN for {name}: ")


def void_ticket(
    data_dir: Path,
    manager: str,
    reason: str,
    *,
    pin_stdin: bool = False,
    out: TextIO | None = None,
) -> int:
    """Discard the open ticket as ``manager`` (their PIN proves it; audited)."""
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        till = runtime.till
        ticket_id = till.ticket_id
        session = till.access.verify_pin(manager, read_pin(manager, pin_stdin))
        till.handle(VoidTicket(reason), Actor(session))
        till.access.end_session(session)
    except TillRefusal as refusal:
        print(f"error: {refusal.message}", file=sys.stderr)
        return 2
    finally:
        runtime.close()
    print(f"voided ticket {ticket_id}", file=out)
    return 0


def persisted_scenarios(
    data_dir: Path,
    files: Sequence[str],
    *,
    check: bool,
    explain: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``scenario run|check --persist``: every file is validated first; a file that
    carries its own catalog, promotions or coupons is refused (exit 2) before anything
    is replayed, since the data directory's configuration is what the till prices with.
    Steps act on the till's open ticket: one left open by an earlier run is continued
    (a note goes to stderr). A file's ``currency`` is ignored (the store's prices);
    its ``now`` pins the clock validity is checked against, while the times recorded
    (opened, closed, device time) are the device's own clock."""
    out = out or sys.stdout
    err = err or sys.stderr

    for path in files:
        try:
            scenario = load_scenario(path, needs_book=False)
        except ScenarioError as exc:
            print(f"error: {exc}", file=err)
            return 2
        carried = [key for key in CONFIG_KEYS if key in scenario.raw]
        if carried:
            print(
                f"error: {path}: carries its own {', '.join(carried)}; --persist prices with"
                f" the data directory's configuration ({data_dir}): remove them, or replay"
                " without --persist",
                file=err,
            )
            return 2
    runtime = open_till(data_dir)

    def till_for(pricing_clock: Clock | None) -> Till:
        till = runtime.new_till(pricing_clock)
        if till.state.lines:
            print(
                f"note: continuing open ticket {till.ticket_id} ({len(till.state.lines)} lines)",
                file=err,
            )
        return till

    try:
        command = check_files if check else run_files
        return command(
            files,
            explain=explain,
            replayer=persisted_replayer(till_for),
            needs_book=False,
            out=out,
            err=err,
        )
    finally:
        runtime.close()
