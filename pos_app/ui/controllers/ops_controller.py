"""What every controller of the screens shares: the till's data directory, an op runner
for its background work, and the message channel its failures go to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject

from pos_app.till.runtime import TillRuntime
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.ops import OpRunner

T = TypeVar("T")


class OpsController(QObject):
    """Base of the screens' controllers: a request's work runs as an op on ``ops`` (one
    at a time, in order: the till is not thread-safe), its result comes back on the
    main thread; a failure is reported on ``messages`` unless the request says
    otherwise.

    Thread: lives on the main thread; methods return at once and must be called from
    it; signals are emitted on it. The till and the database are used only inside ops.
    """

    def __init__(
        self,
        runtime: TillRuntime,
        ops: OpRunner,
        messages: Messages,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self.ops = ops
        self.messages = messages

    def _run(
        self,
        work: Callable[[], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.ops.run(work, success=success, failure=failure or self.messages.refuse)
