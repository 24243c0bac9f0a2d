"""The screens' one door to the till: every cashier and manager command as a background
op, and the ticket on screen redrawn from what it did.

Screens never call the :class:`~pos_app.till.till.Till` themselves. They build a command
(the engine's ticket commands, :mod:`pos_app.till.commands`) and hand it to
:meth:`TicketController.do`, which returns at once; the till handles it on the op runner
for the cashier or the signed-in manager, its follow-up (:mod:`.command_outcomes`) gathers
what else the screens need; the outcome comes back on the main thread as
signals: ``succeeded`` with the whole :class:`CommandOutcome` (the other controllers
take their part from it), ``changed`` with the ticket, and a refusal on the shared
:class:`~pos_app.ui.controllers.messages.Messages`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pos_app.engine import PriceBook, PricedLine
from pos_app.printing import StoreHeader
from pos_app.till.commands import TillCommand
from pos_app.till.manager import Actor
from pos_app.till.names import Names
from pos_app.till.receipts import store_header
from pos_app.till.runtime import TillRuntime
from pos_app.till.shift_commands import Scan
from pos_app.till.till import TicketChange
from pos_app.ui.controllers.command_outcomes import (
    CommandOutcome,
    CommandScene,
    LineChoice,
    carry_out,
)
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.controllers.notices import notice_for
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.controllers.payloads import (
    ClosedSale,
    LineSelection,
    RedemptionWarning,
    TicketNotices,
)
from pos_app.ui.controllers.problems import INVALID, NO_LINE, Problem
from pos_app.ui.controllers.redemption_check import scan_unless_warned
from pos_app.ui.line_actions import ActionStates, action_states
from pos_app.ui.ops import OpRunner
from pos_app.ui.typed_signals import typed_signal

ACTIONS_DELAY_MS = 30


@dataclass(frozen=True)
class _Startup:
    change: TicketChange
    book: PriceBook
    store: StoreHeader


class TicketController(OpsController):
    """Carries out commands and keeps the ticket the screens show: ``change`` (the
    till's last :class:`TicketChange`), ``book``, the ``selected`` line, what the line
    buttons may do (``actions``), the ticket's coupon and discount ``names``.

    Signals (every one emitted on the main thread, from an op's result):

    - ``succeeded`` (:class:`CommandOutcome`): a command went through; first of its
      signals (the other controllers take a closed sale's receipt, a return, a report,
      permissions, the execution order or conflicts from it).
    - ``changed`` (:class:`TicketChange`): the ticket after a command, a reload or the
      start.
    - ``book_changed`` (:class:`PriceBook`): at the start, after a reload or an
      auto-execute switch.
    - ``selection_changed`` (:class:`LineSelection`): the line the buttons act on.
    - ``actions_changed`` (:class:`ActionStates`): what the line buttons may do, asked
      of the engine once the queue is drained.
    - ``ticket_notices`` (:class:`TicketNotices`): what a recalculation changed.
    - ``scroll_to`` (``str``): a line id to bring into view.
    - ``sale_closed`` (:class:`ClosedSale`): a sale closed, with its receipt.
    - ``redemption_warning`` (:class:`RedemptionWarning`): a scanned coupon would raise
      the bill; nothing was done (the answer is :meth:`redeem_anyway`, or nothing).
    """

    succeeded = typed_signal(CommandOutcome)
    changed = typed_signal(TicketChange)
    book_changed = typed_signal(PriceBook)
    selection_changed = typed_signal(LineSelection)
    actions_changed = typed_signal(ActionStates)
    ticket_notices = typed_signal(TicketNotices)
    scroll_to = typed_signal(str)
    sale_closed = typed_signal(ClosedSale)
    redemption_warning = typed_signal(RedemptionWarning)

    def __init__(
        self,
        runtime: TillRuntime,
        ops: OpRunner,
        messages: Messages,
        actor: Callable[[], Actor],
    ) -> None:
        super().__init__(runtime, ops, messages)
        self._till = runtime.till
        self._actor = actor  # who acts: the cashier, or the signed-in manager
        self.change: TicketChange | None = None
        self.book: PriceBook | None = None
        self.selected: str | None = None
        self.store = StoreHeader("")
        self.actions = ActionStates()
        self.names = Names()
        self._actions_dirty = False
        ops.when_drained(self._refresh_actions_if_dirty)

    # ------------------------------------------------------------ the one door

    def do(self, command: TillCommand) -> None:
        """Have the till carry out ``command`` for the cashier (or the signed-in manager):
        ``succeeded``, ``changed`` and a notice on success, a refusal otherwise. A new
        line is selected; a closed sale comes with its receipt (``sale_closed``)."""
        scene = self._scene()
        self._run(lambda: carry_out(command, scene), self._done)

    def _scene(self) -> CommandScene:
        runtime = self._runtime
        return CommandScene(
            till=self._till,
            actor=self._actor(),
            store=self.store,
            clock=runtime.clock,
            database=runtime.database,
            sync_store=runtime.sync_store,
        )

    def do_on_line(self, make: Callable[[str], TillCommand]) -> None:
        """``do`` the command ``make`` builds for the selected line (none: say so)."""
        if self.selected is None or self.selected_line() is None:
            self.messages.report(Problem(NO_LINE, "Select a line on the ticket first"))
            return
        self.do(make(self.selected))

    def scan(self, code: str) -> None:
        """A typed or scanned code: an item's barcode rings the item up, any other code
        is redeemed as a coupon; an empty one is refused before the till is asked. A
        coupon that would raise the bill is not redeemed: ``redemption_warning`` asks
        first (:meth:`redeem_anyway` is the answer that redeems it)."""
        code = code.strip()
        if not code:
            self.messages.refuse_input(INVALID, "Type or scan a coupon code")
            return
        scene = self._scene()
        self._run(lambda: scan_unless_warned(code, scene), self._scanned)

    def redeem_anyway(self, code: str) -> None:
        """The cashier read the warning and redeems the coupon all the same."""
        self.do(Scan(code))

    def _scanned(self, result: CommandOutcome | RedemptionWarning) -> None:
        if isinstance(result, RedemptionWarning):
            self.redemption_warning.emit(result)
        else:
            self._done(result)

    def _done(self, outcome: CommandOutcome) -> None:
        if outcome.names is not None:
            self.names = outcome.names
        self.succeeded.emit(outcome)
        if outcome.selection is LineChoice.CLEAR:
            self.selected = None
        elif outcome.selection is LineChoice.NEW_LINE and outcome.change.line_id is not None:
            self.selected = outcome.change.line_id
        if outcome.book is not None:
            self.book = outcome.book
            self.book_changed.emit(outcome.book)
        self._apply(outcome.change)
        if outcome.selection is not LineChoice.KEEP:
            self.selection_changed.emit(LineSelection(self.selected))
        if outcome.sale is not None:
            self.sale_closed.emit(outcome.sale)
        text = notice_for(outcome.command, outcome.change, self.book, self.names)
        if text:
            self.messages.say(text)
        if outcome.notices:
            self.ticket_notices.emit(TicketNotices(outcome.notices))
        line = next((n.line_id for n in outcome.notices if n.line_id), outcome.scroll_to)
        if line is not None:
            self.scroll_to.emit(line)

    # ------------------------------------------------------------ the ticket

    def start(self) -> None:
        """Load the open ticket, the price book and the store header."""
        till, sessions = self._till, self._runtime.database

        def work() -> _Startup:
            return _Startup(change=till.current(), book=till.book, store=store_header(sessions))

        def done(startup: _Startup) -> None:
            self.book = startup.book
            self.store = startup.store
            self.book_changed.emit(startup.book)
            self._apply(startup.change)

        self._run(work, done)

    def reload_configuration(self) -> None:
        """Re-read the configuration (after sync applied changes) and re-price."""
        till = self._till

        def done(result: tuple[TicketChange, PriceBook]) -> None:
            change, book = result
            self.book = book
            self.book_changed.emit(book)
            self._apply(change)

        self._run(lambda: (till.reload_configuration(), till.book), done)

    def _apply(self, change: TicketChange) -> None:
        self.change = change
        if self.selected is not None and change.priced.line(self.selected) is None:
            self.selected = None
            self.selection_changed.emit(LineSelection(None))
        self._actions_dirty = True
        self.changed.emit(change)

    # ------------------------------------------------------------ the selected line

    def select(self, line_id: str | None) -> None:
        """The cashier picked a line (None: no line); the buttons follow."""
        if line_id == self.selected:
            return
        self.selected = line_id
        self.selection_changed.emit(LineSelection(line_id))
        self.refresh_actions()

    def selected_line(self) -> PricedLine | None:
        if self.change is None or self.selected is None:
            return None
        return self.change.priced.line(self.selected)

    def refresh_actions(self) -> None:
        """Ask the engine again what the line buttons may do (the selection, who is
        signed in or a permission changed): now if no op is running, else once drained."""
        self._actions_dirty = True
        if not self.ops.busy:
            self._refresh_actions_if_dirty()

    def _refresh_actions_if_dirty(self) -> None:
        """Ask the engine about the buttons once the queue is drained, a moment later:
        the ticket repaints first (the engine's trial runs would compete with the paint
        for the GIL), and a burst of taps costs one refresh."""
        if not self._actions_dirty:
            return
        self._actions_dirty = False
        till, line_id, actor = self._till, self.selected, self._actor()
        self.ops.run_after(
            ACTIONS_DELAY_MS,
            lambda: action_states(till, line_id, actor),
            success=self._set_actions,
            failure=self.messages.refuse,
        )

    def _set_actions(self, states: ActionStates) -> None:
        if states.line_id != self.selected and self.selected is not None:
            self._actions_dirty = True  # the selection moved meanwhile: ask again
        self.actions = states
        self.actions_changed.emit(states)
