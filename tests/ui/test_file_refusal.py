"""The till's refusal on screen (issue 18): a till that sold, started without its
database, shows a full window naming the file and the commands that bring it back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from pos_app.store.database import database_path
from pos_app.store.till_file import TillFileError
from pos_app.ui.file_refusal import FileRefusalWindow
from pos_app.wiring import open_till
from tests.store.test_till_file import remove_database, sell
from tests.ui.conftest import Screen


def test_the_refusal_names_the_file_and_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "till"
    runtime = open_till(data_dir)
    try:
        sell(runtime)
    finally:
        runtime.close()
    remove_database(data_dir)
    with pytest.raises(TillFileError) as refused:
        open_till(data_dir)
    window = FileRefusalWindow(refused.value)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    assert str(database_path(data_dir)) in window.message.text()
    assert "pos-app db restore" in window.message.text()
    qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_a_full_disk_during_a_sale_is_said_and_the_ticket_stays(screen: Screen) -> None:
    """SQLite's "database or disk is full" (a page limit at today's size) on the message
    bar, naming the file; the lines rung up stay on screen."""
    engine = screen.app.runtime.database.engine

    @event.listens_for(engine, "connect")
    def _limit(connection: sqlite3.Connection, _record: object) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    screen.tap_product("TEA")
    engine.dispose()
    for n in range(300):  # the ticket grows until the file would need a page more
        screen.tap_product(("COOKIE", "TEA")[n % 2])  # a new line each tap (not tap again)
        if "is full" in screen.window.ticket.message.text():
            break
    message = screen.window.ticket.message.text()
    assert f"{database_path(screen.app.runtime.data_dir)} is full" in message
    assert "Traceback" not in message and "OperationalError" not in message
    assert screen.line_ids()  # the sale in progress is still on screen
