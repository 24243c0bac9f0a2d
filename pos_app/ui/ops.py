"""Background ops: work off the UI thread, results back on it through one signal.

Modelled on Anki's ``CollectionOp``/``QueryOp``: an :class:`Op` wraps a function to run
in the background, with ``success`` and ``failure`` callbacks that run on the main
thread. An :class:`OpRunner` owns a thread pool of one thread, so its ops run one at a
time in the order they were started (the till is not thread-safe); each finished op
comes back through the runner's single ``finished`` signal, queued to the main thread.

The till gets one runner (every till, manager and database op); printing gets another,
so a slow printer never holds up the ticket.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")

# A callback on the UI thread slower than this is logged: the screen must not freeze.
UI_BUDGET_MS = 50.0


@dataclass(frozen=True)
class OpOutcome:
    """What came back from one op: its result, or the exception it raised."""

    op_id: int
    result: Any = None
    error: BaseException | None = None
    seconds: float = 0.0


class Op(Generic[T]):
    """One piece of background work with its main-thread callbacks.

    ``runner.op(work).success(fn).failure(fn).run_in_background()``. ``work`` runs on the
    runner's thread and must not touch widgets; ``success(result)`` and
    ``failure(exception)`` run on the main thread.
    """

    def __init__(self, runner: OpRunner, work: Callable[[], T]) -> None:
        self._runner = runner
        self.work = work
        self.on_success: Callable[[T], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self.on_failure = callback
        return self

    def run_in_background(self) -> None:
        self._runner.submit(self)


class _Job(QRunnable):
    """Runs an op's work on a pool thread and reports through the runner's signal."""

    def __init__(self, runner: OpRunner, op_id: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._op_id = op_id
        self._work = work

    def run(self) -> None:
        started = time.perf_counter()
        try:
            outcome = OpOutcome(self._op_id, result=self._work())
        except BaseException as exc:  # handed to the op's failure callback
            outcome = OpOutcome(self._op_id, error=exc)
        seconds = time.perf_counter() - started
        self._runner.finished.emit(OpOutcome(outcome.op_id, outcome.result, outcome.error, seconds))


class OpRunner(QObject):
    """Runs :class:`Op` s one at a time on a private one-thread pool.

    Lives on the main thread; its callbacks run there. ``finished`` is the one signal
    from the pool thread back to the main thread; ``busy_changed`` and ``idle`` tell
    screens (and tests) when work starts and when the queue is empty. Functions given
    to :meth:`when_drained` run when the queue empties, before ``idle``, and may start
    more ops (``idle`` then waits for those too).
    """

    finished = Signal(object)
    busy_changed = Signal(bool)
    idle = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setObjectName(f"{name}-pool")
        self._ops: dict[int, Op[Any]] = {}
        self._next_id = 0
        self._drain_hooks: list[Callable[[], None]] = []
        self._closed = False
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        """Ops started and not yet delivered."""
        return len(self._ops)

    @property
    def busy(self) -> bool:
        return bool(self._ops)

    def op(self, work: Callable[[], T]) -> Op[T]:
        return Op(self, work)

    def run(
        self,
        work: Callable[[], T],
        success: Callable[[T], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Shorthand for ``op(work).success(...).failure(...).run_in_background()``."""
        op = Op(self, work)
        op.on_success = success
        op.on_failure = failure
        self.submit(op)

    def submit(self, op: Op[Any], delay_ms: int = 0) -> None:
        """Queue ``op``; with ``delay_ms`` it joins the queue only after that delay (the
        runner counts as busy from now, so ``idle`` waits for it)."""
        if self._closed:
            log.debug("%s: closed, op dropped", self.objectName())
            return
        self._next_id += 1
        op_id = self._next_id
        was_idle = not self._ops
        self._ops[op_id] = op
        if was_idle:
            self.busy_changed.emit(True)
        if delay_ms <= 0:
            self._pool.start(_Job(self, op_id, op.work))
        else:
            QTimer.singleShot(delay_ms, self, lambda: self._start_later(op_id))

    def run_after(
        self,
        delay_ms: int,
        work: Callable[[], T],
        success: Callable[[T], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """:meth:`run`, but queued ``delay_ms`` from now: for work that should wait until
        the screen has repainted (it would otherwise compete with the paint for the GIL)."""
        op = Op(self, work)
        op.on_success = success
        op.on_failure = failure
        self.submit(op, delay_ms)

    def _start_later(self, op_id: int) -> None:
        op = self._ops.get(op_id)
        if op is None or self._closed:
            return
        self._pool.start(_Job(self, op_id, op.work))

    def when_drained(self, hook: Callable[[], None]) -> None:
        self._drain_hooks.append(hook)

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the pool thread is done (shutdown, tests); results stay queued."""
        return bool(self._pool.waitForDone(timeout_ms))

    def close(self, timeout_ms: int = 30000) -> None:
        """Accept no more ops and wait for the running ones to finish."""
        self._closed = True
        self._pool.waitForDone(timeout_ms)
        self._ops.clear()

    def _deliver(self, outcome: OpOutcome) -> None:
        op = self._ops.get(outcome.op_id)
        if op is None:  # closed meanwhile
            return
        started = time.perf_counter()
        try:
            if outcome.error is None:
                if op.on_success is not None:
                    op.on_success(outcome.result)
            elif op.on_failure is not None:
                op.on_failure(outcome.error)
            else:
                log.error(
                    "%s: op failed",
                    self.objectName(),
                    exc_info=(type(outcome.error), outcome.error, outcome.error.__traceback__),
                )
        finally:
            del self._ops[outcome.op_id]
            spent = (time.perf_counter() - started) * 1000
            if spent > UI_BUDGET_MS:
                callback = op.on_success if outcome.error is None else op.on_failure
                log.warning(
                    "%s: %s held the UI thread %.0f ms",
                    self.objectName(),
                    getattr(callback, "__qualname__", "a callback"),
                    spent,
                )
            if not self._ops and not self._closed:
                for hook in list(self._drain_hooks):
                    hook()
            if not self._ops:
                self.busy_changed.emit(False)
                self.idle.emit()
