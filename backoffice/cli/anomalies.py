"""`pos-backoffice anomalies`: the sales held out of revenue (issue 18), and accepting one.

``anomalies`` lists them (``--json`` for a JSON array, ``--held`` for only those not yet
accepted); ``anomalies accept ID`` accepts one, recording who (``--by``, default the
operating-system user) and when.
"""

from __future__ import annotations

import argparse
import getpass
import json

from backoffice.cli.errors import CommandError
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.reports.anomalies import AnomalyError, accept_anomaly, list_anomalies


def add_anomaly_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    database: argparse.ArgumentParser,
) -> None:
    """Add ``anomalies`` (listing) and ``anomalies accept ID`` to the command line."""
    anomalies = commands.add_parser(
        "anomalies", parents=[database], help="sales held out of revenue, and accepting them"
    )
    anomalies.add_argument("--json", action="store_true", help="print a JSON array")
    anomalies.add_argument("--store", default=None, help="only this store's")
    anomalies.add_argument("--held", action="store_true", help="only those not yet accepted")
    sub = anomalies.add_subparsers(dest="anomaly_command")
    accept = sub.add_parser(
        "accept", parents=[database], help="accept a held sale: it counts as revenue"
    )
    accept.add_argument("anomaly_id", type=int, help="the anomaly's number, as listed")
    accept.add_argument("--by", default=None, help="who accepts it (default: your user name)")


def run_anomalies(args: argparse.Namespace, url: str) -> int:
    """List the anomalies, or accept one."""
    database = Database(url)
    try:
        if getattr(args, "anomaly_command", None) == "accept":
            return _accept(args, database)
        with database.sessions.begin() as session:
            found = list_anomalies(session, store_id=args.store, held_only=args.held)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(found, indent=1, ensure_ascii=False))
        return 0
    for anomaly in found:
        state = "held" if anomaly["state"] == "held" else f"accepted by {anomaly['accepted_by']}"
        print(
            f"{anomaly['id']}  {anomaly['number']}  {anomaly['store']}  {anomaly['till']}"
            f"  {anomaly['total_shown']}  {state}"
        )
        for reason in anomaly["reasons"]:
            print(f"    - {reason}")
    held = sum(1 for anomaly in found if anomaly["state"] == "held")
    print(f"{len(found)} anomal{'y' if len(found) == 1 else 'ies'}, {held} held")
    return 0


def _accept(args: argparse.Namespace, database: Database) -> int:
    who = (args.by or "").strip() or getpass.getuser()
    try:
        with database.sessions.begin() as session:
            number = accept_anomaly(session, args.anomaly_id, f"cli:{who}", utc_now())
    except AnomalyError as bad:
        raise CommandError(bad.message) from None
    print(f"accepted sale {number}: it now counts as revenue (accepted by {who})")
    return 0
