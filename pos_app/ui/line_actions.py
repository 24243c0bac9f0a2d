"""Which cashier actions are possible right now, and why not: asked of the till
(``Till.refusal_for``: the cashier permissions and manager session, then the engine's
rules, each action tried on a copy of the ticket).

No Qt here. :func:`action_states` runs on the op thread (it touches the till).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pos_app.engine import (
    AdjustPrice,
    ApplyDiscount,
    Close,
    Present,
    Refusal,
    RemoveLine,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.ticket_state import GIFT_LINE_PREFIX
from pos_app.till.commands import TillCommand
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.till import Till

NO_LINE = "Select a line on the ticket first"
GIFT_LINE = "A free gift line: it follows its promotion"
EMPTY_TICKET = "The ticket is empty"


@dataclass(frozen=True)
class ActionState:
    """Whether an action can be taken; ``reason`` (the rule's message) when it cannot."""

    enabled: bool
    reason: str = ""

    @classmethod
    def of(cls, refusal: Refusal | TillRefusal | None) -> ActionState:
        return cls(True) if refusal is None else cls(False, refusal.message)


OFF = ActionState(False, NO_LINE)


@dataclass(frozen=True)
class PromotionChoice:
    """A promotion the cashier may trigger or cancel on this ticket."""

    promotion_id: str
    name: str
    sequence: int
    auto_execute: bool
    in_effect: bool
    trigger: ActionState
    cancel: ActionState


@dataclass(frozen=True)
class ActionStates:
    """Every button's state for the selected line (``line_id``) and the ticket."""

    line_id: str | None = None
    presented: bool = False
    adjusted: bool = False
    present: ActionState = OFF
    adjust_price: ActionState = OFF
    discount_line: ActionState = OFF
    discount_order: ActionState = ActionState(False, EMPTY_TICKET)
    void_line: ActionState = OFF
    quantity: ActionState = OFF
    why: ActionState = OFF
    close: ActionState = ActionState(False, EMPTY_TICKET)
    promotions: tuple[PromotionChoice, ...] = field(default=())

    @property
    def discount(self) -> ActionState:
        """The Discount button: a line discount or an order discount is possible."""
        if self.discount_line.enabled or self.discount_order.enabled:
            return ActionState(True)
        return self.discount_line if self.line_id else self.discount_order

    @property
    def promotion(self) -> ActionState:
        """The Promotion button: some manual promotion can be triggered or cancelled."""
        for choice in self.promotions:
            if choice.trigger.enabled or choice.cancel.enabled:
                return ActionState(True)
        reasons = [c.trigger.reason for c in self.promotions if c.trigger.reason]
        return ActionState(False, reasons[0] if reasons else "No promotion to trigger")


def action_states(till: Till, line_id: str | None, actor: Actor) -> ActionStates:
    """Ask the till about every action on ``line_id`` and the ticket, for ``actor``. Op
    thread only."""
    priced = till.priced
    state = till.state

    def ask(command: TillCommand) -> ActionState:
        return ActionState.of(till.refusal_for(command, actor))

    has_lines = bool(state.lines)
    states = ActionStates(
        discount_order=(
            ask(ApplyDiscount(None, percent="10"))
            if has_lines
            else ActionState(False, EMPTY_TICKET)
        ),
        close=ask(Close()) if has_lines else ActionState(False, EMPTY_TICKET),
        promotions=_promotion_choices(till, actor),
    )
    line = priced.line(line_id) if line_id else None
    if line is None or line_id is None:
        return states
    if line.is_gift or line_id.startswith(GIFT_LINE_PREFIX):
        gift = ActionState(False, GIFT_LINE)
        return replace(
            states,
            line_id=line_id,
            present=gift,
            adjust_price=gift,
            discount_line=gift,
            void_line=gift,
            quantity=gift,
            why=ActionState(True),
        )
    presented = line.presented
    adjusted = line.adjusted_price is not None
    return replace(
        states,
        line_id=line_id,
        presented=presented,
        adjusted=adjusted,
        present=ask(Unpresent(line_id)) if presented else ask(Present(line_id)),
        adjust_price=(
            ask(Unadjust(line_id)) if adjusted else ask(AdjustPrice(line_id, line.unit_price))
        ),
        discount_line=ask(ApplyDiscount(None, percent="10", line_id=line_id)),
        void_line=ask(RemoveLine(line_id)),
        quantity=ActionState(True),
        why=ActionState(True),
    )


def _promotion_choices(till: Till, actor: Actor) -> tuple[PromotionChoice, ...]:
    """Promotions that are manual here (auto-execute off, or cancelled on this ticket)
    or in effect, in execution order."""
    priced, state = till.priced, till.state
    choices = []
    for promotion in sorted(till.book.promotions.values(), key=lambda p: p.order_key):
        in_effect = promotion.id in priced.promotions
        manual = not promotion.auto_execute or promotion.id in state.cancelled
        if not manual and not in_effect:
            continue
        if in_effect:
            trigger = ActionState(False, "Already in effect on this ticket")
        elif not state.lines:
            trigger = ActionState(False, EMPTY_TICKET)
        else:
            trigger = ActionState.of(till.refusal_for(TriggerPromotion(promotion.id), actor))
        cancel = ActionState(True) if in_effect else ActionState(False, "Not in effect")
        choices.append(
            PromotionChoice(
                promotion_id=promotion.id,
                name=promotion.name or promotion.id,
                sequence=promotion.sequence,
                auto_execute=promotion.auto_execute,
                in_effect=in_effect,
                trigger=trigger,
                cancel=cancel,
            )
        )
    return tuple(choices)
