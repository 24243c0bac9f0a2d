"""`pos-backoffice tills`: the fleet as operators see it (issue 18): every till with its
store, software version, last sync, outbox depth and parked events at its last ping,
and SILENT for one not heard from longer than ``--silent-after-minutes`` (default:
``$POS_BACKOFFICE_SILENT_AFTER_MINUTES``, else 60)."""

from __future__ import annotations

import argparse
import json
import os
from datetime import timedelta

from backoffice.cli.errors import CommandError
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.reports.tills import list_tills
from backoffice.settings import silent_after


def add_tills_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database: argparse.ArgumentParser,
) -> None:
    """Add ``tills`` to the command line."""
    tills = commands.add_parser(
        "tills", parents=[database], help="every till: version, last sync, outbox, silence"
    )
    tills.add_argument("--json", action="store_true", help="print a JSON array")
    tills.add_argument(
        "--silent-after-minutes",
        type=float,
        default=None,
        help="flag a till not heard from for longer (default: the server's setting, 60)",
    )


def run_tills(args: argparse.Namespace, url: str) -> int:
    """List the tills, silent ones flagged."""
    if args.silent_after_minutes is not None and args.silent_after_minutes <= 0:
        raise CommandError("--silent-after-minutes must be positive")
    after = (
        silent_after(os.environ)
        if args.silent_after_minutes is None
        else timedelta(minutes=args.silent_after_minutes)
    )
    database = Database(url)
    try:
        with database.sessions.begin() as session:
            tills = list_tills(session, utc_now(), after)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(tills, indent=1, ensure_ascii=False))
        return 0
    for till in tills:
        state = (
            "revoked"
            if till["revoked"]
            else ("SILENT " + till["silent_for"])
            if till["silent"]
            else "ok"
        )
        print(
            f"{till['store']}  {till['name']}  version {till['software_version'] or '?'}"
            f"  last sync {till['last_sync_at'] or 'never'}  outbox {_count(till['outbox_depth'])}"
            f"  parked {_count(till['parked_events'])}  {state}"
        )
    silent = sum(1 for till in tills if till["silent"])
    print(f"{len(tills)} till(s), {silent} silent")
    return 0


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)
