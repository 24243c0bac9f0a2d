"""The `pos-backoffice` command line.

Every command takes ``--database-url`` (default: an SQLite file in the user data
directory, or ``$POS_BACKOFFICE_DATABASE_URL``) and brings that database to the
newest migration before doing anything else, so commands can share one database.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from backoffice.admin.users import USER_ROLES, AdminUserError, add_admin_user
from backoffice.chain.change_log import record_is_live
from backoffice.chain.demo_chain import DemoChainError, load_chain, read_chain_file
from backoffice.cli.anomalies import add_anomaly_commands, run_anomalies
from backoffice.cli.chain import add_chain_commands, run_changes, run_devices, run_serve
from backoffice.cli.errors import CommandError
from backoffice.cli.packs import add_pack_commands, run_packs_command, run_scheduler_command
from backoffice.cli.tills import add_tills_command, run_tills
from backoffice.clock import utc_now
from backoffice.database import Database, default_database_url
from backoffice.migrate import upgrade_database
from backoffice.reports.sales import list_sales
from backoffice.reports.shifts import list_shifts
from backoffice.sync.conflicts import list_conflicts
from backoffice.trust.admin_tokens import GROUP_ADMIN, issue_admin_token
from backoffice.trust.enrollment import issue_enrollment_code

PROG = "pos-backoffice"


def _parser() -> argparse.ArgumentParser:
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL, e.g. sqlite:///backoffice.sqlite3 or "
        "postgresql+psycopg://user@host/db (default: an SQLite file in the user data dir)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG, description="Reference back office of the offline-first till"
    )
    parser.add_argument("--database-url", default=None, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)

    add_chain_commands(commands, database)

    demo = commands.add_parser("demo", parents=[database], help="load the demo chain (DEMO-1)")
    demo.add_argument("--file", type=Path, default=None, help="another chain file to load")

    code = commands.add_parser(
        "device-code", parents=[database], help="print a one-time device enrollment code"
    )
    code.add_argument("--store", required=True, help="the store the device will act for")
    code.add_argument("--valid-hours", type=float, default=24.0)

    token = commands.add_parser(
        "admin-token", parents=[database], help="print a new group_admin token"
    )
    token.add_argument("--name", required=True, help="who the token is for")

    user = commands.add_parser("admin-user", help="administrator accounts for the admin pages")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add_user = user_commands.add_parser(
        "add", parents=[database], help="add an account; asks for its password"
    )
    add_user.add_argument("email", help="the administrator's e-mail address (signs in with it)")
    add_user.add_argument("--role", choices=USER_ROLES, default=GROUP_ADMIN)
    add_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add_user.add_argument(
        "--store",
        action="append",
        default=[],
        help="a store a store manager looks after (repeat for several)",
    )

    sales = commands.add_parser("sales", parents=[database], help="list received tickets")
    sales.add_argument("--json", action="store_true", help="print a JSON array")
    sales.add_argument("--store", default=None)

    shifts = commands.add_parser(
        "shifts", parents=[database], help="list the tills' closed business days (Z reports)"
    )
    shifts.add_argument("--json", action="store_true", help="print a JSON array")
    shifts.add_argument("--store", default=None)

    conflicts = commands.add_parser(
        "conflicts", parents=[database], help="list conflicts found in uploads"
    )
    conflicts.add_argument("--json", action="store_true", help="print a JSON array")
    conflicts.add_argument("--store", default=None)

    add_anomaly_commands(commands, database)
    add_tills_command(commands, database)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", parents=[database], help="apply every migration")
    add_pack_commands(commands, database)
    return parser


def _demo(args: argparse.Namespace, url: str) -> int:
    path: Path | None = args.file
    database = Database(url)
    try:
        chain = read_chain_file(path)
        with database.sessions.begin() as session:
            counts = load_chain(session, chain, utc_now(), source=str(path or "demo"))
    except DemoChainError as bad:
        raise CommandError(str(bad)) from None
    finally:
        database.dispose()
    summary = ", ".join(f"{kind} x{count}" for kind, count in counts.items())
    print(f"loaded store {chain['store']['id']}: {summary}")
    return 0


def _device_code(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            if not record_is_live(session, "store", args.store):
                raise CommandError(
                    f"unknown store {args.store!r}: load it with `{PROG} demo` or "
                    f"PUT /api/v1/admin/stores/{args.store}"
                )
            code = issue_enrollment_code(
                session, args.store, utc_now(), timedelta(hours=args.valid_hours)
            )
    finally:
        database.dispose()
    print(code)
    return 0


def _admin_token(args: argparse.Namespace, url: str) -> int:
    if not args.name.strip():
        raise CommandError("--name: must not be empty")
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            token = issue_admin_token(session, args.name.strip(), utc_now())
    finally:
        database.dispose()
    print(token)
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise CommandError("the two passwords differ: nothing was saved")
    return password


def _admin_user(args: argparse.Namespace, url: str) -> int:
    password = _read_password(args.password_stdin)
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            user = add_admin_user(
                session,
                args.email,
                password,
                role=args.role,
                now=utc_now(),
                store_ids=tuple(args.store),
            )
            email, role = user.email, user.role
    except AdminUserError as bad:
        raise CommandError(f"{bad.field}: {bad.problem}") from None
    finally:
        database.dispose()
    print(f"added {email} ({role}): sign in at /admin")
    return 0


def _sales(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            sales = list_sales(session, store_id=args.store)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(sales, indent=1))
        return 0
    for sale in sales:
        flag = f"  CONFLICT {sale['conflict']}" if sale["conflict"] else ""
        returned = f"  returned {sale['refunded']}" if sale["refunds"] else ""
        print(
            f"{sale['number'] or sale['id']}  {sale['store']}  {sale['device']}  "
            f"{sale['currency']} {sale['total']}  {len(sale['lines'])} line(s){returned}{flag}"
        )
    print(f"{len(sales)} ticket(s)")
    return 0


def _shifts(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            shifts = list_shifts(session, store_id=args.store)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(shifts, indent=1))
        return 0
    for shift in shifts:
        print(
            f"{shift['business_day']}  {shift['store']}  {shift['device']}  sales"
            f" {shift['sales']}  returns {shift['returns']}  net {shift['net']}"
        )
    print(f"{len(shifts)} closed day(s)")
    return 0


def _conflicts(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            found = list_conflicts(session, store_id=args.store)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(found, indent=1))
        return 0
    for conflict in found:
        state = "resolved" if conflict["resolved"] else "open"
        print(f"{conflict['conflict_key']}  {conflict['store_id']}  {conflict['reason']}  {state}")
    print(f"{len(found)} conflict(s)")
    return 0


def _db(_args: argparse.Namespace, url: str) -> int:
    print(f"database is at the newest migration: {_shown(url)}")
    return 0


def _packs(args: argparse.Namespace, url: str) -> int:
    return run_packs_command(args, url)


def _scheduler(args: argparse.Namespace, url: str) -> int:
    return run_scheduler_command(args, url)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


COMMANDS: dict[str, Callable[[argparse.Namespace, str], int]] = {
    "serve": run_serve,
    "devices": run_devices,
    "changes": run_changes,
    "demo": _demo,
    "device-code": _device_code,
    "admin-token": _admin_token,
    "admin-user": _admin_user,
    "sales": _sales,
    "shifts": _shifts,
    "conflicts": _conflicts,
    "anomalies": run_anomalies,
    "tills": run_tills,
    "db": _db,
    "packs": _packs,
    "scheduler": _scheduler,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = args.database_url or default_database_url()
    try:
        upgrade_database(url)
        return COMMANDS[args.command](args, url)
    except CommandError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
