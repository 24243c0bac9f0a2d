"""The op runner: work off the UI thread, one op at a time in order, results and
failures back on the main thread through one signal, and ``idle`` when drained."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.ui.ops import OpRunner
from tests.ui.conftest import settle


def main_thread() -> QThread:
    app = QApplication.instance()
    assert app is not None
    return app.thread()


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[OpRunner]:
    ops = OpRunner("test-ops")
    yield ops
    ops.close()


def test_work_runs_off_the_main_thread_and_results_come_back_on_it(
    qtbot: QtBot, runner: OpRunner
) -> None:
    """``work`` runs on the pool thread; ``success`` on the main thread."""
    main = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work_thread"] = threading.get_ident()
        return 42

    def success(result: int) -> None:
        seen["result"] = result
        seen["success_thread"] = threading.get_ident()
        seen["is_main"] = QThread.currentThread() is main_thread()

    runner.run(work, success=success)
    assert runner.busy
    settle(qtbot, runner)
    assert seen["work_thread"] != main
    assert seen["success_thread"] == main and seen["is_main"]
    assert seen["result"] == 42


def test_ops_run_one_at_a_time_in_order(qtbot: QtBot, runner: OpRunner) -> None:
    """The till is not thread-safe: ops never overlap and finish in submission order."""
    running = threading.Lock()
    overlaps: list[int] = []
    done: list[int] = []

    def work(n: int) -> int:
        if not running.acquire(blocking=False):
            overlaps.append(n)
            return n
        try:
            return n
        finally:
            running.release()

    for n in range(20):
        runner.run(partial(work, n), success=done.append)
    settle(qtbot, runner)
    assert overlaps == []
    assert done == list(range(20))


def test_a_failure_goes_to_the_failure_callback(qtbot: QtBot, runner: OpRunner) -> None:
    """An exception in ``work`` reaches ``failure`` (main thread), not ``success``."""
    failures: list[BaseException] = []
    successes: list[object] = []

    def work() -> None:
        raise ValueError("no")

    runner.op(work).success(successes.append).failure(failures.append).run_in_background()
    settle(qtbot, runner)
    assert successes == []
    assert [str(f) for f in failures] == ["no"]


def test_drain_hooks_run_before_idle_and_may_start_more_work(
    qtbot: QtBot, runner: OpRunner
) -> None:
    """``when_drained`` hooks run when the queue empties; ``idle`` waits for what they
    start, and is emitted once."""
    events: list[str] = []
    started = {"follow_up": False}

    def hook() -> None:
        events.append("drained")
        if not started["follow_up"]:
            started["follow_up"] = True
            runner.run(lambda: "follow-up", success=events.append)

    runner.when_drained(hook)
    runner.idle.connect(lambda: events.append("idle"))
    with qtbot.waitSignal(runner.idle):
        runner.run(lambda: "first", success=events.append)
    assert events == ["first", "drained", "follow-up", "drained", "idle"]


def test_a_closed_runner_takes_no_more_work(qtbot: QtBot, runner: OpRunner) -> None:
    """After close, ops are dropped (shutdown)."""
    runner.close()
    runner.run(lambda: 1)
    assert not runner.busy
