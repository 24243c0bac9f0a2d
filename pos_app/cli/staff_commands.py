"""``pos-app staff list [--json]``: the people who may sign in at this till (wired in
:mod:`pos_app.cli.main`). Names and roles only: a PIN or its hash is never printed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from pos_app.wiring import open_till


def add_staff_commands(commands: Any) -> None:
    """Add ``staff`` to ``pos-app``'s sub-parsers."""
    staff = commands.add_parser("staff", help="the cashiers and managers of this till")
    actions = staff.add_subparsers(dest="staff_command", required=True)
    listing = actions.add_parser("list", help="who may sign in, and who is signed in")
    listing.add_argument("--json", action="store_true", help="print JSON")


def run_staff_command(args: argparse.Namespace, data_dir: Path) -> int | None:
    """Run a staff command; None when ``args`` names none."""
    if args.command != "staff":
        return None
    return list_staff(data_dir, as_json=args.json)


def list_staff(data_dir: Path, *, as_json: bool, out: TextIO | None = None) -> int:
    """Everyone who may sign in: name, role, where they come from, signed in or not."""
    out = out or sys.stdout
    runtime = open_till(data_dir)
    try:
        desk = runtime.till.staff
        people = desk.everyone()
        current = desk.current
    finally:
        runtime.close()
    rows = [
        {
            "name": person.name,
            "role": person.role,
            "source": person.source,
            "signed_in": current is not None and current.staff_id == person.staff_id,
        }
        for person in people
    ]
    if as_json:
        json.dump({"staff": rows}, out, indent=1)
        out.write("\n")
        return 0
    if not rows:
        print("No staff yet: add them in the back office, or as a manager at the till.", file=out)
    for row in rows:
        mark = "  (signed in)" if row["signed_in"] else ""
        where = "added at this till" if row["source"] == "local" else "from the back office"
        print(f"{row['name']:<30} {row['role']:<8} {where}{mark}", file=out)
    return 0
