"""`pos-backoffice packs ...` and `pos-backoffice scheduler`: packs for an administrator.

``packs create --file pack.yaml`` takes the same configuration as
``POST /api/v1/admin/packs`` (JSON or YAML; see :mod:`backoffice.packs.definition`);
``list`` prints a table, ``show`` the details (K10), ``copy``, ``publish``,
``archive``, ``gift``, ``distribute``, ``qr`` (a PNG or SVG file, K11), ``sales`` (the
pack sales the tills uploaded, K12-K15) and
``mall-token`` (a token that may only buy packs) do what they say. Errors name the
file, field or pack at fault.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from getpass import getuser
from pathlib import Path
from typing import Any

import yaml

from backoffice.cli.errors import CommandError
from backoffice.clock import iso_time, utc_now
from backoffice.database import Database
from backoffice.packs import details, gifting, lifecycle, pack_refund, share_link
from backoffice.packs.errors import PackError
from backoffice.packs.purchase import MALL_ROLE
from backoffice.packs.scheduler import run_due_work
from backoffice.reports.pack_sales import till_pack_sales
from backoffice.trust.admin_tokens import issue_admin_token

ACTOR = "cli"


def add_pack_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database: argparse.ArgumentParser,
) -> None:
    """Add ``packs`` (with its sub-commands) and ``scheduler`` to the command line."""
    packs = commands.add_parser("packs", help="coupon packs: create, list, show, gift, qr, ...")
    sub = packs.add_subparsers(dest="packs_command", required=True)

    create = sub.add_parser("create", parents=[database], help="create a pack from a file")
    create.add_argument("--file", type=Path, required=True, help="a .json, .yaml or .yml file")
    create.add_argument("--draft", action="store_true", help="keep it a draft")

    listing = sub.add_parser("list", parents=[database], help="list packs as a table")
    listing.add_argument("--type", choices=["campaign", "paid"], default=None)
    listing.add_argument("--status", choices=["draft", "active", "archived"], default=None)
    listing.add_argument("--name", default=None, help="part of the name, any case")
    listing.add_argument("--json", action="store_true", help="print a JSON array")

    show = sub.add_parser("show", parents=[database], help="a pack's details and statistics")
    show.add_argument("pack_id", type=int)
    show.add_argument("--json", action="store_true", help="print the details as JSON")

    for name, text in (
        ("copy", "copy a pack into a new draft"),
        ("publish", "put a draft on sale or into distribution"),
        ("archive", "stop a pack's sales and distribution"),
    ):
        command = sub.add_parser(name, parents=[database], help=text)
        command.add_argument("pack_id", type=int)

    gift = sub.add_parser("gift", parents=[database], help="gift packs to a member by phone")
    gift.add_argument("pack_id", type=int)
    gift.add_argument("--phone", required=True, help="the member's phone number")
    gift.add_argument("--quantity", type=int, default=1)

    distribute = sub.add_parser(
        "distribute", parents=[database], help="distribute a campaign pack to members"
    )
    distribute.add_argument("pack_id", type=int)
    who = distribute.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", action="append", dest="members", help="a member id (repeat)")
    who.add_argument("--phone", action="append", dest="phones", help="a phone number (repeat)")
    who.add_argument("--all-members", action="store_true")
    distribute.add_argument("--start", default=None, help="ISO 8601 instant (default: now)")
    distribute.add_argument("--key", default=None, help="a key that makes a repeat harmless")

    refund = sub.add_parser(
        "refund", parents=[database], help="refund a whole pack purchase with no coupon used"
    )
    refund.add_argument("sale", help="the purchase's order id (a till's pack sale id)")
    refund.add_argument("--reason", required=True, help="why it is refunded (kept with it)")

    qr = sub.add_parser("qr", parents=[database], help="write a paid pack's QR code")
    qr.add_argument("pack_id", type=int)
    qr.add_argument("--out", type=Path, required=True, help="a .png or .svg file")
    qr.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000/mall",
        help="the mall's base URL the link starts with (default: %(default)s)",
    )
    qr.add_argument("--scale", type=int, default=8, help="pixels per module")

    sales = sub.add_parser(
        "sales", parents=[database], help="pack sales uploaded by the tills, with their outcome"
    )
    sales.add_argument("--store", default=None, help="only this store's sales")
    sales.add_argument("--json", action="store_true", help="print a JSON array")

    token = sub.add_parser(
        "mall-token", parents=[database], help="print a token that may only buy packs"
    )
    token.add_argument("--name", required=True, help="who the token is for (the mall)")

    scheduler = commands.add_parser(
        "scheduler", parents=[database], help="issue due pack cycles and refunds"
    )
    scheduler.add_argument("--once", action="store_true", help="one pass, then exit")
    scheduler.add_argument("--now", default=None, help="ISO 8601 instant to run as (tests)")
    scheduler.add_argument("--interval", type=float, default=60.0, help="seconds between passes")


def _instant(raw: str | None, option: str) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"{option}: {raw!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise CommandError(f"{option}: {raw!r} needs an offset, e.g. +00:00")
    return moment.astimezone(UTC)


def read_pack_file(path: Path) -> Any:
    """A pack configuration from a JSON or YAML file (by its suffix)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise CommandError(f"{path}: not JSON: {exc}") from None
    if suffix in (".yaml", ".yml"):
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CommandError(f"{path}: not YAML: {exc}") from None
    raise CommandError(f"{path}: the file must end in .json, .yaml or .yml")


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    cells = [[("" if row.get(c) is None else str(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def _describe(details: dict[str, Any]) -> str:
    definition = details["definition"]
    stats = details["statistics"]
    lines = [
        f"pack {details['id']}: {definition['name']} ({definition['type']}, {details['status']})",
        f"  time zone: {definition['time_zone']}",
    ]
    for entry in definition["content"]:
        delay = f" {entry['delay']}" if entry.get("delay") else ""
        lines.append(
            f"  content: {entry['quantity']} x {entry['coupon_code']}, {entry['effective']}"
            f"{delay}, valid {entry['validity_days']} day(s)"
        )
    if definition["type"] == "campaign":
        lines.append(f"  distribution: {json.dumps(definition['distribution'])}")
        for entry in definition.get("subsequent_content") or []:
            lines.append(f"  subsequent: {entry['quantity']} x {entry['coupon_code']}")
    else:
        period = definition["sales_period"]
        lines += [
            f"  price: {definition['price']}  channels: {', '.join(definition['channels'])}",
            f"  on sale: {period['first_day']} to {period['last_day']}"
            f"  at: {', '.join(definition['stores'])}",
            f"  inventory: {definition['inventory'] or 'unlimited'}  sold: {details['sold']}",
            f"  limits: {json.dumps(definition['limits'])}  auto refund:"
            f" {'yes' if definition['auto_refund'] else 'no'}",
        ]
    lines.append(
        f"  issued: {stats['packs_issued']} pack(s), {stats['coupons_issued']} coupon(s);"
        f" redeemed: {stats['coupons_redeemed']}; refunded: {stats['purchases_refunded']}"
    )
    records = details["records"]
    lines.append(
        f"  records: {len(records['purchases'])} purchase(s), {len(records['gifts'])} gift(s),"
        f" {len(records['distributions'])} distribution(s)"
    )
    return "\n".join(lines)


def _with_session(url: str, work: Callable[[Any], Any]) -> Any:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            return work(session)
    except PackError as error:
        raise CommandError(str(error)) from None
    finally:
        database.dispose()


def run_packs_command(args: argparse.Namespace, url: str) -> int:
    """Run one ``packs`` sub-command against the database at ``url``."""
    command = args.packs_command
    now = utc_now()
    if command == "create":
        data = read_pack_file(args.file)
        try:
            shown = _with_session(
                url,
                lambda s: details.pack_details(
                    s, lifecycle.create_pack(s, data, now=now, actor=ACTOR, draft=args.draft)
                ),
            )
        except CommandError as error:
            raise CommandError(f"{args.file}: {error}") from None
        print(f"created pack {shown['id']}: {shown['definition']['name']} ({shown['status']})")
        return 0
    if command == "list":
        wanted = lifecycle.PackFilter(args.type, args.status, args.name)
        rows = _with_session(
            url,
            lambda s: [
                details.pack_summary(p) for p in lifecycle.list_packs(s, wanted, limit=10_000)[0]
            ],
        )
        if args.json:
            print(json.dumps(rows, indent=1))
            return 0
        columns = ["id", "type", "status", "name", "price", "inventory", "sold", "distribution"]
        print(_table(rows, columns))
        print(f"{len(rows)} pack(s)")
        return 0
    if command == "show":
        shown = _with_session(
            url, lambda s: details.pack_details(s, lifecycle.get_pack(s, args.pack_id))
        )
        print(json.dumps(shown, indent=1) if args.json else _describe(shown))
        return 0
    if command in ("copy", "publish", "archive"):
        operations: dict[str, Callable[[Any], Any]] = {
            "copy": lambda s: lifecycle.copy_pack(s, args.pack_id, now=now, actor=ACTOR),
            "publish": lambda s: lifecycle.publish_pack(s, args.pack_id, now=now),
            "archive": lambda s: lifecycle.archive_pack(s, args.pack_id, now=now),
        }
        pack = _with_session(url, operations[command])
        print(f"pack {pack.id}: {pack.name} ({pack.status})")
        return 0
    if command == "gift":
        result = _with_session(
            url,
            lambda s: gifting.gift_pack(
                s, args.pack_id, phone=args.phone, quantity=args.quantity, now=now, actor=ACTOR
            ),
        )
        print(
            f"gifted {result.gift.quantity} pack(s) to member {result.gift.member_id}:"
            f" {result.issued.coupons} coupon(s) issued"
        )
        return 0
    if command == "distribute":
        audience: dict[str, Any] = (
            {"member_ids": args.members}
            if args.members
            else {"phones": args.phones}
            if args.phones
            else {"all_members": True}
        )
        starts_at = _instant(args.start, "--start")
        result = _with_session(
            url,
            lambda s: gifting.distribute_pack(
                s,
                args.pack_id,
                audience=audience,
                starts_at=starts_at,
                request_key=args.key,
                now=now,
                actor=ACTOR,
            ),
        )
        print(
            f"distribution {result.distribution.id}: {result.distribution.member_count}"
            f" member(s) from {iso_time(result.distribution.starts_at)};"
            f" {result.issued.coupons} coupon(s) issued now"
            + (" (the same key was used before: nothing new)" if result.repeated else "")
        )
        return 0
    if command == "refund":
        return _refund(args, url)
    if command == "sales":
        return _till_sales(args, url)
    if command == "qr":
        return _qr(args, url)
    if command == "mall-token":
        return _mall_token(args, url)
    raise CommandError(f"packs {command}: unknown command")


def _refund(args: argparse.Namespace, url: str) -> int:
    """``packs refund SALE --reason R``: the one refund path (K4, K5, K14)."""

    def work(session: Any) -> pack_refund.RefundResult:
        purchase = pack_refund.find_purchase(session, args.sale)
        return pack_refund.refund_purchase(
            session, purchase.id, note=args.reason, now=utc_now(), actor=f"cli:{getuser()}"
        )

    result = _with_session(url, work)
    print(
        f"refunded {result.refund.amount} {result.refund.currency} for sale"
        f" {result.purchase.order_id}; {len(result.withdrawn)} coupon(s) withdrawn"
    )
    return 0


def _till_sales(args: argparse.Namespace, url: str) -> int:
    """``packs sales``: every pack sale the tills uploaded (K12-K15): accepted, in
    conflict, refunded; nothing is ever deleted (K14)."""
    rows = _with_session(url, lambda s: till_pack_sales(s, store_id=args.store))
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for row in rows:
        row["coupons"] = len(row["codes"])
    columns = ["local_date", "store_id", "pack_name", "member_id", "price", "status", "reason"]
    print(_table(rows, [*columns, "coupons"]))
    print(f"{len(rows)} pack sale(s)")
    return 0


def _qr(args: argparse.Namespace, url: str) -> int:
    try:
        image_format = share_link.format_of_path(args.out)
    except PackError as error:
        raise CommandError(error.problem) from None
    link = _with_session(
        url, lambda s: share_link.pack_link(lifecycle.get_pack(s, args.pack_id), args.base_url)
    )
    try:
        image = share_link.qr_image(link, image_format, args.scale)
    except PackError as error:
        raise CommandError(f"--scale: {error.problem}") from None
    try:
        args.out.write_bytes(image)
    except OSError as exc:
        raise CommandError(f"{args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out} ({image_format}): {link}")
    return 0


def _mall_token(args: argparse.Namespace, url: str) -> int:
    name = args.name.strip()
    if not name:
        raise CommandError("--name: must not be empty")
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            token = issue_admin_token(session, name, utc_now(), role=MALL_ROLE)
    finally:
        database.dispose()
    print(token)
    return 0


def run_scheduler_command(args: argparse.Namespace, url: str) -> int:
    """One pass (``--once``, optionally ``--now``), or passes every ``--interval`` seconds."""
    fixed_now = _instant(args.now, "--now")
    if fixed_now is not None and not args.once:
        raise CommandError("--now: only with --once")
    if args.interval <= 0:
        raise CommandError("--interval: must be positive")
    database = Database(url)
    try:
        while True:
            report = run_due_work(database, fixed_now or utc_now())
            print(report.summary(), flush=True)
            if args.once:
                return 0
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        database.dispose()
