"""The till's refusal on screen (issue 18): a till that sold, started without its
database, shows a full window naming the file and the commands that bring it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.store.database import database_path
from pos_app.store.till_file import TillFileError
from pos_app.ui.file_refusal import FileRefusalWindow
from pos_app.wiring import open_till
from tests.store.test_till_file import remove_database, sell


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
