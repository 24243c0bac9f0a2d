"""Automatic backups of the till's database (issue 18), with SQLite's online backup API:
a consistent copy taken while the till works, at each Z report and every N minutes,
kept to a count; and putting one back (``pos-app db restore``).

Backups live in ``backups/`` beside the database, named by the time they were taken
(``till-20261121-123000-z.sqlite3``). ``backup.json`` in the data directory may set
``{"every_minutes": 30, "keep": 20}``. Each copy is checked (``PRAGMA quick_check``)
before it counts; a restore checks the backup again and moves the database it replaces
aside (``till.sqlite3.replaced-...``), never deleting it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

BACKUP_FOLDER = "backups"
SETTINGS_FILE = "backup.json"
DEFAULT_EVERY_MINUTES = 30
DEFAULT_KEEP = 20
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(Exception):
    """A backup could not be taken, read or put back; the message names the file."""


@dataclass(frozen=True)
class BackupSettings:
    """How often a backup is taken (minutes) and how many are kept."""

    every_minutes: int = DEFAULT_EVERY_MINUTES
    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was taken, why (``z``, ``timer``, ``manual``), its size."""

    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_folder(database: Path) -> Path:
    return database.parent / BACKUP_FOLDER


def load_backup_settings(data_dir: Path) -> BackupSettings:
    """``backup.json``'s settings, or the defaults when there is none."""
    path = data_dir / SETTINGS_FILE
    if not path.exists():
        return BackupSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: cannot read the backup settings ({exc})") from None
    every = raw.get("every_minutes", DEFAULT_EVERY_MINUTES) if isinstance(raw, dict) else None
    keep = raw.get("keep", DEFAULT_KEEP) if isinstance(raw, dict) else None
    if not isinstance(every, int) or isinstance(every, bool) or not 1 <= every <= 1440:
        raise BackupError(f"{path}: every_minutes must be a whole number from 1 to 1440")
    if not isinstance(keep, int) or isinstance(keep, bool) or not 1 <= keep <= 1000:
        raise BackupError(f"{path}: keep must be a whole number from 1 to 1000")
    return BackupSettings(every, keep)


def list_backups(database: Path) -> list[Backup]:
    """The backups of ``database``, newest first."""
    folder = backup_folder(database)
    found = []
    for path in folder.glob("till-*.sqlite3") if folder.is_dir() else ():
        parts = path.stem.split("-")  # till, date, time, reason
        try:
            taken = datetime.strptime(f"{parts[1]}-{parts[2]}", _STAMP)
        except (IndexError, ValueError):
            continue
        found.append(Backup(path, taken, parts[3] if len(parts) > 3 else "", path.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _quick_check(path: Path) -> str | None:
    """None when ``path`` is a sound SQLite database; what is wrong otherwise."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:3])


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` into ``target`` (replaced atomically)."""
    scratch = target.with_name(target.name + ".tmp")
    scratch.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(scratch)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        with scratch.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(scratch, target)
    except (sqlite3.Error, OSError) as exc:
        scratch.unlink(missing_ok=True)
        raise BackupError(f"cannot copy {source} to {target}: {exc}") from None


def back_up(database: Path, now: datetime, reason: str, keep: int = DEFAULT_KEEP) -> Backup:
    """Take a backup of ``database`` now, check it, and keep only the ``keep`` newest."""
    folder = backup_folder(database)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {folder}: {exc.strerror}") from None
    target = folder / f"till-{now.strftime(_STAMP)}-{reason}.sqlite3"
    _copy(database, target)
    problem = _quick_check(target)
    if problem is not None:
        target.unlink(missing_ok=True)
        raise BackupError(f"the backup {target} did not check out ({problem}); removed")
    for old in list_backups(database)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, now.replace(microsecond=0, tzinfo=None), reason, target.stat().st_size)


def backup_due(database: Path, now: datetime, every_minutes: int) -> bool:
    """Whether the newest backup is older than ``every_minutes`` (or there is none)."""
    newest = next(iter(list_backups(database)), None)
    naive = now.replace(tzinfo=None)
    return newest is None or naive - newest.taken_at >= timedelta(minutes=every_minutes)


def find_backup(database: Path, wanted: str) -> Backup:
    """The backup ``wanted`` names: its number in the list (1 = newest), its file name,
    or a path."""
    backups = list_backups(database)
    if wanted.isdigit() and 1 <= int(wanted) <= len(backups):
        return backups[int(wanted) - 1]
    for backup in backups:
        if wanted in (backup.path.name, str(backup.path)):
            return backup
    path = Path(wanted)
    if path.is_file():
        return Backup(path, datetime.fromtimestamp(path.stat().st_mtime), "", path.stat().st_size)
    raise BackupError(
        f"no backup {wanted!r}: give its number or name from `pos-app db restore`"
        f" ({len(backups)} in {backup_folder(database)})"
    )


def restore(database: Path, backup: Backup, now: datetime) -> Path | None:
    """Put ``backup`` back as ``database``. The database it replaces (with its WAL
    files) is moved aside, never deleted: returns where, or None when there was none."""
    problem = _quick_check(backup.path)
    if problem is not None:
        raise BackupError(f"the backup {backup.path} is damaged ({problem}); choose another")
    aside = move_aside(database, now)
    _copy(backup.path, database)
    return aside


def move_aside(database: Path, now: datetime) -> Path | None:
    """Move ``database`` (with its WAL files) aside as ``<name>.replaced-<time>``, never
    deleting it; returns where, or None when there was no file."""
    stamp = now.strftime(_STAMP)
    aside = None
    if database.exists():
        aside = database.with_name(f"{database.name}.replaced-{stamp}")
        os.replace(database, aside)
    for suffix in ("-wal", "-shm"):  # the replaced file's log stays with it
        extra = Path(f"{database}{suffix}")
        if extra.exists():
            os.replace(extra, Path(f"{aside}{suffix}" if aside else f"{extra}.replaced-{stamp}"))
    return aside
