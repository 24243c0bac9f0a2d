"""The window's timed backups (issue 18): asked on the printer's worker, taken when
due, and a failure said on the message bar in words."""

from __future__ import annotations

from pos_app.store.backups import BACKUP_FOLDER, list_backups
from pos_app.store.database import database_path
from tests.ui.conftest import Screen


def test_the_timed_backup_is_taken_when_due_and_a_failure_is_said(screen: Screen) -> None:
    data_dir = screen.app.runtime.data_dir
    screen.do(screen.devices.back_up_if_due)
    screen.do(screen.devices.back_up_if_due)  # not due again within the half hour
    (taken,) = list_backups(database_path(data_dir))
    assert taken.reason == "timer"
    folder = data_dir / BACKUP_FOLDER
    taken.path.unlink()
    folder.rmdir()
    folder.write_text("not a folder")
    screen.do(screen.devices.back_up_if_due)
    message = screen.window.ticket.message.text()
    assert message.startswith("The backup failed:") and str(folder) in message
