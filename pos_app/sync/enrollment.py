"""Where an enrolled till keeps its back office address and device token (S12).

A small JSON file in the data directory, readable by its owner only. The token
never goes into the database, a log line or an error message.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SETTINGS_FILE = "sync.json"


class EnrollmentError(Exception):
    """The till is not enrolled, or its enrollment file is unreadable (names the file)."""


@dataclass(frozen=True)
class SyncSettings:
    """The back office URL, this device's token, and whether TLS is verified."""

    url: str
    token: str
    device_id: str
    store_id: str
    verify_tls: bool = True

    def __repr__(self) -> str:  # keep the token out of logs and tracebacks
        return (
            f"SyncSettings(url={self.url!r}, device_id={self.device_id!r},"
            f" store_id={self.store_id!r}, verify_tls={self.verify_tls})"
        )


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def save_settings(data_dir: Path, settings: SyncSettings) -> Path:
    """Write the settings atomically with owner-only permissions."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = settings_path(data_dir)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(settings), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    return path


def load_settings(data_dir: Path) -> SyncSettings:
    path = settings_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EnrollmentError(
            f"{path}: this till is not enrolled; run `pos-app enroll URL CODE` first"
        ) from None
    except (OSError, ValueError) as exc:
        raise EnrollmentError(f"{path}: unreadable enrollment settings ({exc})") from None
    try:
        return SyncSettings(
            url=str(raw["url"]),
            token=str(raw["token"]),
            device_id=str(raw["device_id"]),
            store_id=str(raw["store_id"]),
            verify_tls=bool(raw.get("verify_tls", True)),
        )
    except (KeyError, TypeError):
        raise EnrollmentError(f"{path}: enrollment settings are incomplete") from None
