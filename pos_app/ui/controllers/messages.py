"""One channel for what every controller and panel tells the person at the till."""

from __future__ import annotations

from PySide6.QtCore import QObject

from pos_app.ui.controllers.problems import Problem, problem_of
from pos_app.ui.typed_signals import typed_signal


class Messages(QObject):
    """Refusals and notices from every controller, in one place.

    ``refused`` (the till or a controller said no) is shown on the message bar and in
    whichever dialog is in front; ``notice`` (a line of good news) likewise;
    ``input_refused`` (the screen found what was typed wrong before asking the till)
    on the message bar only. Lives on the main thread; every signal is emitted there.
    """

    refused = typed_signal(Problem)
    notice = typed_signal(str)
    input_refused = typed_signal(Problem)

    def report(self, problem: Problem) -> None:
        self.refused.emit(problem)

    def refuse(self, exc: BaseException) -> None:
        """An op failed: its problem (:func:`problem_of`) is reported."""
        self.refused.emit(problem_of(exc))

    def say(self, text: str) -> None:
        self.notice.emit(text)

    def refuse_input(self, code: str, message: str) -> None:
        self.input_refused.emit(Problem(code, message))
