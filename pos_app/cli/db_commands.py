"""``pos-app db backup|restore|recover``: the till's automatic backups by hand, and a
till rebuilt from its back office (issue 18).

``db restore`` lists the backups (newest first, numbered); ``db restore N`` (or a name
or path) puts one back, moving the database it replaces aside. Run it with the till
closed. Numbers the till gave after the backup are not in it: when the replaced file is
still readable, its sequence is kept, so no number is given twice.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any, TextIO

from pos_app.store.backups import (
    Backup,
    BackupError,
    back_up,
    find_backup,
    list_backups,
    load_backup_settings,
    restore,
)
from pos_app.store.database import database_path
from pos_app.store.till_file import check_database_file
from pos_app.sync.enrollment import EnrollmentError
from pos_app.sync.errors import SyncError
from pos_app.till.clock import local_now
from pos_app.wiring.recovery import recover_till

REASONS = {"z": "Z report", "timer": "timed", "manual": "by hand", "restore": "before a restore"}


def add_db_commands(db_commands: Any) -> None:
    """Add ``backup`` and ``restore`` to ``pos-app db``."""
    db_commands.add_parser("backup", help="take a backup of the till's database now")
    restore_cmd = db_commands.add_parser(
        "restore", help="list the backups, or put one back (the till closed)"
    )
    restore_cmd.add_argument(
        "backup", nargs="?", metavar="BACKUP", help="its number in the list, name or path"
    )
    db_commands.add_parser(
        "recover",
        help="rebuild the till from its back office (enrollment, configuration, numbers)",
    )


def run_db_command(command: str, args: Any, data_dir: Path) -> int | None:
    if command == "backup":
        return take_backup(data_dir)
    if command == "restore":
        return restore_backup(data_dir, args.backup)
    if command == "recover":
        return recover(data_dir)
    return None


def recover(data_dir: Path, out: TextIO | None = None) -> int:
    """Rebuild the till from its back office and say what is gone."""
    out = out or sys.stdout
    try:
        done = recover_till(data_dir)
    except EnrollmentError:
        print(
            "error: this till is not enrolled with a back office, so there is nothing to"
            " rebuild it from; restore a backup instead (`pos-app db restore`)",
            file=sys.stderr,
        )
        return 2
    except SyncError as exc:
        print(
            f"error: the back office cannot be reached ({exc}); nothing was changed",
            file=sys.stderr,
        )
        return 1
    numbers = done.numbers
    print(f"Rebuilt {done.database} from the back office.", file=out)
    if done.replaced is not None:
        print(f"The database it replaced is kept as {done.replaced}.", file=out)
    till = f"{numbers.till_number:02d}" if numbers.till_number is not None else "?"
    print(f"Enrolled as till {till} of store {done.store_id}.", file=out)
    if numbers.last_ticket_number:
        print(
            f"Ticket numbers go on after {numbers.last_ticket_number}, the highest of the"
            f" {numbers.sales_held} sales the back office holds from this till; Z reports"
            f" after No. {numbers.z_reports}.",
            file=out,
        )
    else:
        print("The back office holds no sale from this till: numbers start at 1.", file=out)
    if done.download_error is None:
        print(f"Configuration downloaded ({done.records_applied} records).", file=out)
    else:
        print(
            f"The configuration did not come down ({done.download_error}): run"
            " `pos-app sync --once` before selling.",
            file=out,
        )
    print("Gone (only this till held it):", file=out)
    for item in done.gone:
        print(f"  - {item}", file=out)
    return 0


def _describe(backup: Backup) -> str:
    why = REASONS.get(backup.reason, backup.reason or "copied in")
    return f"{backup.taken_at:%Y-%m-%d %H:%M} ({why}), {backup.size // 1024} KiB"


def take_backup(data_dir: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    database = database_path(data_dir)
    check_database_file(database)  # never copy a damaged file over the good ones
    try:
        taken = back_up(database, local_now(), "manual", load_backup_settings(data_dir).keep)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"backup taken: {taken.path}", file=out)
    return 0


def _last_number(database: Path) -> int | None:
    """The last ticket number the file at ``database`` gave; None when unreadable."""
    try:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT last_ticket_number FROM device").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None


def restore_backup(data_dir: Path, wanted: str | None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    database = database_path(data_dir)
    backups = list_backups(database)
    if wanted is None:
        if not backups:
            print(f"No backups yet in {database.parent / 'backups'}.", file=out)
            return 0
        print(f"Backups of {database}, newest first:", file=out)
        for number, backup in enumerate(backups, start=1):
            print(f"  {number:>2}  {_describe(backup)}  {backup.path.name}", file=out)
        print("Restore one with: pos-app db restore NUMBER (the till closed)", file=out)
        return 0
    try:
        chosen = find_backup(database, wanted)
        replaced_last = _last_number(database) if database.exists() else None
        aside = restore(database, chosen, local_now())
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kept = _keep_sequence(database, replaced_last)
    print(f"Restored {database} from the backup of {_describe(chosen)}.", file=out)
    if aside is not None:
        print(f"The database it replaced is kept as {aside}.", file=out)
    print(
        f"Gone: whatever the till did after {chosen.taken_at:%Y-%m-%d %H:%M} (sales and"
        " returns the back office received are safe there).",
        file=out,
    )
    print(kept, file=out)
    return 0


def _keep_sequence(database: Path, replaced_last: int | None) -> str:
    """Keep the replaced file's ticket sequence, so no number is given twice."""
    restored_last = _last_number(database) or 0
    if replaced_last is None or replaced_last <= restored_last:
        return (
            "Ticket numbers go on from this copy's last one; if the till gave numbers after"
            " it, the back office lists any repeat as a conflict (`pos-app db recover`"
            " continues after the highest number it holds)."
        )
    connection = sqlite3.connect(database)
    try:
        connection.execute("UPDATE device SET last_ticket_number = ?", (replaced_last,))
        connection.commit()
    finally:
        connection.close()
    return f"Ticket numbers go on after {replaced_last}, the last one the replaced file gave."
