"""Manager mode's "Connect to back office": the back office's address and the one-time
code it gave for this till, typed by touch; what went wrong said in plain words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.ui.style import repolish, touch_button

ADDRESS_HINT = "Back office address, e.g. http://192.168.1.20:8000"
CODE_HINT = "One-time code (pos-backoffice device-code)"


class ConnectDialog(QDialog):
    """Address and code fields, Connect and Cancel; ``connect_requested(address,
    code)`` on Connect. :meth:`show_problem` keeps what was typed and says what is
    wrong; :meth:`show_connected` says which store and till this is now. Main thread
    only."""

    connect_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to back office")
        self.setModal(True)
        self.setMinimumWidth(640)
        intro = QLabel(
            "The back office's address and the one-time code it gave for this till. Once"
            " connected, the till sends what it sold and takes the store's items,"
            " promotions and coupons from the back office straight away."
        )
        intro.setWordWrap(True)
        self.address = QLineEdit()
        self.address.setPlaceholderText(ADDRESS_HINT)
        self.code = QLineEdit()
        self.code.setPlaceholderText(CODE_HINT)
        self.status = QLabel("")
        self.status.setObjectName("dialog_status")
        self.status.setWordWrap(True)
        self.connect_button = touch_button("Connect", "primary", name="connect_back_office")
        self.connect_button.clicked.connect(self._connect)
        self.cancel = touch_button("Close", name="connect_close")
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.connect_button, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Address"))
        layout.addWidget(self.address)
        layout.addWidget(QLabel("Code"))
        layout.addWidget(self.code)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def start(self, address: str = "") -> None:
        """Open with the last address (if any) and an empty code."""
        if address:
            self.address.setText(address)
        self.code.clear()
        self._say("", "")
        self.connect_button.setEnabled(True)
        self.open()

    def _connect(self) -> None:
        self.connect_button.setEnabled(False)
        self._say("Connecting…", "")
        self.connect_requested.emit(self.address.text(), self.code.text())

    def show_problem(self, message: str) -> None:
        self.connect_button.setEnabled(True)
        self._say(message, "error")

    def show_connected(self, text: str) -> None:
        self.connect_button.setEnabled(False)
        self.cancel.setText("Done")
        self._say(text, "")

    def _say(self, text: str, kind: str) -> None:
        self.status.setText(text)
        self.status.setProperty("kind", kind)
        repolish(self.status)
