"""`pos-backoffice serve`, `devices` and `changes`: running at chain scale (S16, S17).

``serve --workers N`` starts N server processes on one port (uvicorn's workers); any
number of `serve` commands may share one PostgreSQL database. Each worker builds its
app from the environment (:func:`backoffice.app.app_from_environment`).
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta

import uvicorn

from backoffice.cli.errors import CommandError
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.settings import (
    DEFAULT_INTERVAL_S,
    DEFAULT_RETENTION,
    DEFAULT_SILENT_AFTER,
    PUBLIC_URL_ENV,
    SERVER_THREADS,
    PublicUrlError,
    ServerSettings,
    checked_public_url,
)
from backoffice.sync.change_feed import compact
from backoffice.trust.device_tokens import UnknownDevice, list_devices, revoke_device

APP_FACTORY = "backoffice.app:app_from_environment"


def add_chain_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database: argparse.ArgumentParser,
) -> None:
    serve = commands.add_parser("serve", parents=[database], help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--public-url",
        default=None,
        help="the address people reach this server at, which image URLs, share links and QR"
        f" codes start with (default ${PUBLIC_URL_ENV}, else http://HOST:PORT)",
    )
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes on this port (default 1)"
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=SERVER_THREADS,
        help=f"requests each process runs at once, one connection each (default {SERVER_THREADS})",
    )
    serve.add_argument(
        "--retention-days",
        type=float,
        default=DEFAULT_RETENTION.days,
        help="the change log keeps superseded entries this long (default 30)",
    )
    serve.add_argument(
        "--silent-after-minutes",
        type=float,
        default=DEFAULT_SILENT_AFTER.total_seconds() / 60,
        help="flag a till not heard from for longer on /admin/tills (default 60)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--chores-interval",
        type=float,
        default=DEFAULT_INTERVAL_S,
        help="seconds between the scheduler's passes in the leading process (default 60)",
    )

    devices = commands.add_parser("devices", help="enrolled tills and their tokens")
    device_commands = devices.add_subparsers(dest="devices_command", required=True)
    listing = device_commands.add_parser("list", parents=[database], help="list the devices")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--store", default=None)
    revoke = device_commands.add_parser(
        "revoke", parents=[database], help="revoke a device: its token stops working"
    )
    revoke.add_argument("device_id", help="the device's id (`devices list` shows it)")

    changes = commands.add_parser("changes", help="the change log the tills download")
    change_commands = changes.add_subparsers(dest="changes_command", required=True)
    compact_command = change_commands.add_parser(
        "compact", parents=[database], help="drop superseded entries past the retention window"
    )
    compact_command.add_argument("--retention-days", type=float, default=DEFAULT_RETENTION.days)


def run_serve(args: argparse.Namespace, url: str) -> int:
    if args.workers < 1 or args.threads < 1:
        raise CommandError("--workers and --threads must be at least 1")
    if args.chores_interval <= 0:
        raise CommandError("--chores-interval must be positive")
    public_url = (
        args.public_url or os.environ.get(PUBLIC_URL_ENV) or f"http://{args.host}:{args.port}"
    )
    try:
        public_url = checked_public_url(public_url)
    except PublicUrlError as bad:
        raise CommandError(str(bad)) from None
    if args.silent_after_minutes <= 0:
        raise CommandError("--silent-after-minutes must be positive")
    settings = ServerSettings(
        url,
        public_url=public_url,
        threads=args.threads,
        retention=timedelta(days=args.retention_days),
        chores_interval=args.chores_interval,
        silent_after=timedelta(minutes=args.silent_after_minutes),
    )
    settings.export(os.environ)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=args.access_log,
    )
    return 0


def run_devices(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            if args.devices_command == "revoke":
                try:
                    changed = revoke_device(session, args.device_id, utc_now())
                except UnknownDevice as missing:
                    raise CommandError(str(missing)) from None
                print(
                    f"revoked device {args.device_id}"
                    if changed
                    else f"device {args.device_id} was already revoked"
                )
                return 0
            found = list_devices(session, store_id=args.store)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(found, indent=1))
        return 0
    for device in found:
        state = f"revoked {device['revoked_at']}" if device["revoked_at"] else "active"
        print(
            f"{device['device_id']}  {device['store_id']}  {device['name']}  {state}"
            f"  token until {device['token_expires_at'] or 'its next rotation'}"
        )
    print(f"{len(found)} device(s)")
    return 0


def run_changes(args: argparse.Namespace, url: str) -> int:
    database = Database(url)
    try:
        done = compact(database.sessions, utc_now(), timedelta(days=args.retention_days))
    finally:
        database.dispose()
    print(f"dropped {done.dropped} change-log entries; horizon {done.horizon}")
    return 0
