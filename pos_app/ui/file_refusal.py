"""The screen a till shows instead of selling when its database cannot be used (issue
18): missing or empty after the till held sales, damaged, read-only, full, locked or of
another version. It names the file and what to do, in the cashier's and operator's
words; nothing is written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from pos_app.store.till_file import TillFileError
from pos_app.ui.style import touch_button

TITLE = "The till cannot open its database"


class FileRefusalWindow(QWidget):
    """A full window: the title, the refusal naming the file, the commands that bring
    the till back, and a Close button. Main thread only."""

    def __init__(self, error: TillFileError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"pos-app: {TITLE}")
        title = QLabel(f"<h1>{TITLE}</h1>")
        self.message = QLabel(str(error))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setObjectName("refusal")
        self.message.setStyleSheet("font-size: 20px;")
        help_text = QLabel(
            "<p><b>Nothing was written.</b> Sales already sent to the back office are safe"
            " there.</p>"
            "<p>At the till's computer, in a terminal:</p>"
            "<p><code>pos-app db restore</code> lists the automatic backups;"
            " <code>pos-app db restore BACKUP</code> puts one back.</p>"
            "<p><code>pos-app db recover</code> rebuilds the till from the back office"
            " (enrollment, configuration, and ticket numbers continuing after the last"
            " one it holds) and says what is gone.</p>"
        )
        help_text.setWordWrap(True)
        help_text.setTextFormat(Qt.TextFormat.RichText)
        help_text.setStyleSheet("font-size: 17px;")
        self.close_button = touch_button("Close", "primary")
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(20)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addWidget(help_text)
        layout.addStretch(1)
        layout.addWidget(self.close_button)


def show_file_refusal(error: TillFileError) -> int:
    """Show the refusal until it is closed (a QApplication must exist); returns the exit
    code of a till refused because of its database (3)."""
    window = FileRefusalWindow(error)
    window.resize(1024, 768)
    window.show()
    app = QApplication.instance()
    if app is not None:
        app.exec()
    return 3
