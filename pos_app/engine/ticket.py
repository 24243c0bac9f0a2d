"""A ticket being rung up: every cashier action, its refusals, and the recalculation.

:class:`Ticket` is the engine's public face. Each action either succeeds and
recalculates the whole ticket (R4), or raises :class:`Refusal` and leaves the
ticket exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pos_app.engine.bounds import (
    LINES_MESSAGE,
    MAX_LINES,
    QUANTITY_MESSAGE,
    QuantityError,
    parse_quantity,
)
from pos_app.engine.commands import (
    AddItem,
    AdjustPrice,
    ApplyDiscount,
    CancelPromotion,
    Close,
    Present,
    Redeem,
    RemoveCoupon,
    RemoveDiscount,
    RemoveLine,
    SellPack,
    SetQuantity,
    TicketCommand,
    TriggerPromotion,
    Unadjust,
    Unpresent,
)
from pos_app.engine.coupons import GROUP_PURCHASE, CouponDefinition
from pos_app.engine.errors import Refusal, RefusalCode
from pos_app.engine.money import AmountError, parse_amount, parse_percent
from pos_app.engine.packs import PackLine, fixed_price_refusal_text
from pos_app.engine.price_book import PriceBook
from pos_app.engine.priced_ticket import PricedTicket
from pos_app.engine.recalculation import member_discount_lines, recalculate
from pos_app.engine.redemption_preview import RedemptionPreview
from pos_app.engine.ticket_state import (
    GIFT_LINE_PREFIX,
    LineState,
    Redemption,
    StoreDiscount,
    TicketState,
)

Clock = Callable[[], datetime]


def _invalid(message: str) -> Refusal:
    return Refusal(RefusalCode.INVALID, message)


def _text(raw: object, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _invalid(f"{what} is missing")
    return raw


def _quantity(raw: object) -> int:
    try:
        return parse_quantity(raw)
    except QuantityError:
        raise _invalid(QUANTITY_MESSAGE) from None


class Ticket:
    """One open ticket under one price book. Not thread-safe: one owner at a time.

    ``state`` is the persisted intent; ``priced`` the current prices. Actions return
    the new :class:`PricedTicket` or raise :class:`Refusal` and change nothing.
    """

    def __init__(
        self, book: PriceBook, clock: Clock = datetime.now, state: TicketState | None = None
    ) -> None:
        self._book = book
        self._clock = clock
        self._state = state or TicketState()
        self._priced = recalculate(self._state, book, clock())

    # ------------------------------------------------------------ reading

    @property
    def state(self) -> TicketState:
        return self._state

    @property
    def priced(self) -> PricedTicket:
        return self._priced

    @property
    def book(self) -> PriceBook:
        return self._book

    def recalculate(self) -> PricedTicket:
        """Recalculate with the clock's current time (validity windows may have moved)."""
        self._priced = recalculate(self._state, self._book, self._clock(), self._priced)
        return self._priced

    def apply(self, command: TicketCommand) -> PricedTicket:
        """Carry out a cashier's action: the ticket recalculated (R4), or a
        :class:`Refusal` with the ticket exactly as it was."""
        match command:
            case AddItem():
                return self._add_item(command.line_id, command.sku, command.qty)
            case SetQuantity():
                return self._set_quantity(command.line_id, command.qty)
            case RemoveLine():
                return self._remove_line(command.line_id)
            case Present():
                return self._present(command.line_id)
            case Unpresent():
                return self._unpresent(command.line_id)
            case AdjustPrice():
                return self._adjust_price(command.line_id, command.price)
            case Unadjust():
                return self._unadjust(command.line_id)
            case ApplyDiscount():
                return self._apply_discount(command)
            case RemoveDiscount():
                return self._remove_discount(command.discount_id)
            case TriggerPromotion():
                return self._trigger_promotion(command.promotion_id)
            case CancelPromotion():
                return self._cancel_promotion(command.promotion_id)
            case Redeem():
                return self._redeem(command.code)
            case RemoveCoupon():
                return self._remove_coupon(command.code)
            case SellPack():
                return self._sell_pack(command.line_id, command.pack_id, command.member_id)
            case Close():
                return self._close()
            case _:
                raise _invalid(f"Unknown action {type(command).__name__}")

    def refusal_for(self, command: TicketCommand) -> Refusal | None:
        """The refusal ``command`` would meet, tried on a copy: lets a screen enable or
        disable a button live by the engine's rules."""
        try:
            self._trial().apply(command)
        except Refusal as refusal:
            return refusal
        return None

    def preview_redemption(self, code: str) -> RedemptionPreview:
        """What redeeming ``code`` would do, tried on a copy: the coupon's saving, the
        promotions and discounts it displaces and the change of the bill (a group
        purchase worth less than the promotion it replaces raises it, R7 seed §5.1).
        Raises the :class:`Refusal` the redemption would meet; changes nothing."""
        after = self._trial().apply(Redeem(code))
        return RedemptionPreview.between(self._priced, after, code)

    def _trial(self) -> Ticket:
        """A copy of this ticket to try an action on (the state is immutable: shared)."""
        trial = Ticket.__new__(Ticket)
        trial._book, trial._clock = self._book, self._clock
        trial._state, trial._priced = self._state, self._priced
        return trial

    # ------------------------------------------------------------ lines

    def _add_item(self, line_id: object, sku: object, qty: object) -> PricedTicket:
        """Ring up ``qty`` of ``sku`` as a new line at the catalog price."""
        self._require_open()
        self._require_room()
        line_id = self._new_line_id(line_id)
        qty = _quantity(qty)
        item = self._book.items.get(_text(sku, "SKU"))
        if item is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown item {sku}")
        line = LineState(line_id=line_id, sku=item.sku, qty=qty, unit_price=item.price)
        return self._commit(replace(self._state, lines=(*self._state.lines, line)))

    def _set_quantity(self, line_id: object, qty: object) -> PricedTicket:
        """Change a line's quantity. A line a coupon with items claims keeps the units it
        had when the coupon was redeemed (R6, seed §5.1, §6): more of the item is a new
        line; setting the quantity it already has changes nothing."""
        self._require_open()
        qty = _quantity(qty)
        line = self._line(line_id)
        if qty == line.qty:
            return self._priced
        self._require_not_covered(line)
        return self._commit(self._with_line(replace(line, qty=qty)))

    def _remove_line(self, line_id: object) -> PricedTicket:
        """Void a line; its store discounts go with it. A coupon-claimed line is refused (§6).
        A coupon pack's line simply goes."""
        self._require_open()
        if isinstance(line_id, str) and self._state.pack_line(line_id) is not None:
            packs = tuple(p for p in self._state.packs if p.line_id != line_id)
            return self._commit(replace(self._state, packs=packs))
        line = self._line(line_id)
        self._require_not_covered(line)
        return self._commit(
            replace(
                self._state,
                lines=tuple(x for x in self._state.lines if x.line_id != line.line_id),
                discounts=tuple(d for d in self._state.discounts if d.line_id != line.line_id),
            )
        )

    def _present(self, line_id: object) -> PricedTicket:
        """Make a line free (local free item, stage 1)."""
        self._require_open()
        line = self._line(line_id)
        self._require_not_covered(line)
        return self._commit(self._with_line(replace(line, presented=True)))

    def _unpresent(self, line_id: object) -> PricedTicket:
        self._require_open()
        line = self._line(line_id)
        return self._commit(self._with_line(replace(line, presented=False)))

    def _adjust_price(self, line_id: object, price: object) -> PricedTicket:
        """Set a new unit price for a line (stage 1)."""
        self._require_open()
        new_price = self._amount(price, "The new price")
        line = self._line(line_id)
        self._require_not_covered(line)
        return self._commit(self._with_line(replace(line, adjusted_price=new_price)))

    def _unadjust(self, line_id: object) -> PricedTicket:
        self._require_open()
        line = self._line(line_id)
        return self._commit(self._with_line(replace(line, adjusted_price=None)))

    # ------------------------------------------------------------ store discounts

    def _apply_discount(self, command: ApplyDiscount) -> PricedTicket:
        """A store discount (stage 4): percent or amount, on a line or the whole order."""
        self._require_open()
        discount_id = _text(command.discount_id, "Discount id")
        percent, amount, line_id = command.percent, command.amount, command.line_id
        if (percent is None) == (amount is None):
            raise _invalid("A discount needs a percent or an amount, not both")
        try:
            pct = parse_percent(percent) if percent is not None else None
        except AmountError as exc:
            raise _invalid(f"The discount percent {exc}") from None
        amt = self._amount(amount, "The discount amount") if amount is not None else None
        line = self._line(line_id) if line_id is not None else None
        if self._state.discount(discount_id) is not None:
            raise Refusal(RefusalCode.ALREADY_APPLIED, f"Discount {discount_id} is already applied")
        if line is not None:
            self._require_not_covered(line)
        discount = StoreDiscount(
            discount_id, percent=pct, amount=amt, line_id=line.line_id if line else None
        )
        return self._commit(replace(self._state, discounts=(*self._state.discounts, discount)))

    def _remove_discount(self, discount_id: object) -> PricedTicket:
        self._require_open()
        discount_id = _text(discount_id, "Discount id")
        if self._state.discount(discount_id) is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Discount {discount_id} is not on this ticket")
        return self._commit(
            replace(
                self._state,
                discounts=tuple(d for d in self._state.discounts if d.discount_id != discount_id),
            )
        )

    # ------------------------------------------------------------ promotions

    def _trigger_promotion(self, promotion_id: object) -> PricedTicket:
        """Apply a promotion by hand (auto-execute off, or cancelled earlier) (R12)."""
        self._require_open()
        promotion = self._book.promotions.get(_text(promotion_id, "Promotion id"))
        if promotion is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown promotion {promotion_id}")
        label = f"Promotion {promotion.name or promotion.id}"
        if promotion.id in self._priced.promotions:
            raise Refusal(RefusalCode.ALREADY_APPLIED, f"{label} is already applied")
        promotion.validity.check(self._clock(), label)
        state = replace(
            self._state,
            triggered=(*(p for p in self._state.triggered if p != promotion.id), promotion.id),
            cancelled=tuple(p for p in self._state.cancelled if p != promotion.id),
        )
        priced = recalculate(state, self._book, self._clock(), self._priced)
        if promotion.id not in priced.promotions:
            reason = priced.not_applied.get(promotion.id, "no eligible item on the ticket")
            raise Refusal(RefusalCode.NOT_APPLICABLE, f"{label} does not apply: {reason}")
        return self._commit(state, priced)

    def _cancel_promotion(self, promotion_id: object) -> PricedTicket:
        """Take a promotion off this ticket; an automatic one stays off until triggered."""
        self._require_open()
        promotion = self._book.promotions.get(_text(promotion_id, "Promotion id"))
        if promotion is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown promotion {promotion_id}")
        if promotion.id not in self._priced.promotions:
            label = promotion.name or promotion.id
            raise Refusal(RefusalCode.NOT_APPLICABLE, f"Promotion {label} is not in effect")
        cancelled = self._state.cancelled
        if promotion.auto_execute and promotion.id not in cancelled:
            cancelled = (*cancelled, promotion.id)
        return self._commit(
            replace(
                self._state,
                triggered=tuple(p for p in self._state.triggered if p != promotion.id),
                cancelled=cancelled,
            )
        )

    # ------------------------------------------------------------ coupons

    def _redeem(self, code: object) -> PricedTicket:
        """Redeem a coupon under R6–R11; refusals in the rules' precedence order."""
        self._require_open()
        coupon = self._book.coupons.get(_text(code, "Coupon code"))
        if coupon is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown coupon code {code}")
        if self._state.redemption(coupon.code) is not None:
            raise Refusal(RefusalCode.ALREADY_APPLIED, f"Coupon {code} is already on this ticket")
        coupon.validity.check(self._clock(), f"Coupon {code}")
        only_gifts = False  # its items are on the ticket only as gift lines
        if coupon.has_applicable_items:
            lines = [
                line
                for line in self._state.lines
                if (item := self._book.items.get(line.sku)) is not None
                and coupon.items.matches(item)
            ]
            only_gifts = not lines and self._has_gift_of(coupon)
            if not lines and not only_gifts:
                raise Refusal(
                    RefusalCode.NOT_APPLICABLE,
                    f"Coupon {code} applies to none of the items on the ticket"
                    f" ({self._items_of(coupon)})",
                )
        else:
            lines = list(self._state.lines)
            if not lines:
                what = (
                    "holds only coupon packs, which take no coupon"
                    if self._state.packs
                    else "is empty"
                )
                raise Refusal(RefusalCode.NOT_APPLICABLE, f"Coupon {code}: the ticket {what}")
        if not coupon.is_custom and coupon.has_applicable_items:
            if any(line.presented or line.adjusted_price is not None for line in lines):
                raise Refusal(RefusalCode.PRESENT_EXECUTED)
            discounted = self._locally_discounted_lines()
            if any(line.line_id in discounted for line in lines):
                raise Refusal(RefusalCode.DISCOUNT_EXECUTED)
        redemption = Redemption(code=coupon.code)
        if coupon.has_applicable_items:
            before = {}
            for line in lines:
                priced_line = self._priced.line(line.line_id)
                claiming = priced_line.claiming_promotions if priced_line else ()
                before[line.line_id] = frozenset(claiming)
            redemption = Redemption(
                code=coupon.code,
                claimed_lines=tuple(line.line_id for line in lines),
                promotions_before=before,
            )
        state = replace(self._state, redemptions=(*self._state.redemptions, redemption))
        priced = recalculate(state, self._book, self._clock(), self._priced)
        outcome = priced.coupons[coupon.code]
        if not outcome.line_ids and not only_gifts:
            raise Refusal(RefusalCode.NOT_APPLICABLE, self._no_line_left(coupon, lines))
        if not outcome.min_spend_met and coupon.min_spend is not None:
            fmt = self._book.currency.format
            raise Refusal(
                RefusalCode.NOT_APPLICABLE,
                f"Coupon {code}: its minimum spend of {fmt(coupon.min_spend)} is not reached",
            )
        return self._commit(state, priced)

    def _remove_coupon(self, code: object) -> PricedTicket:
        self._require_open()
        code = _text(code, "Coupon code")
        if self._state.redemption(code) is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Coupon {code} is not on this ticket")
        return self._commit(
            replace(
                self._state,
                redemptions=tuple(r for r in self._state.redemptions if r.code != code),
            )
        )

    # ------------------------------------------------------------ member and packs

    def _sell_pack(self, line_id: object, pack_id: object, member_id: object) -> PricedTicket:
        """A coupon pack as a line of its own at its price, sold to ``member_id`` (K12);
        the packs of one ticket go to one member. No pricing rule sees it (see
        :mod:`pos_app.engine.packs`)."""
        self._require_open()
        self._require_room()
        line_id = self._new_line_id(line_id)
        pack = self._book.packs.get(_text(pack_id, "Pack id"))
        if pack is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown coupon pack {pack_id}")
        if not isinstance(member_id, str) or not member_id.strip():
            raise Refusal(
                RefusalCode.NOT_APPLICABLE,
                f"{pack.name} is sold to a member: find the customer by phone first",
            )
        if any(line.member_id != member_id for line in self._state.packs):
            raise Refusal(
                RefusalCode.NOT_APPLICABLE,
                f"The coupon packs on this ticket are sold to another member: {pack.name}"
                " goes on a ticket of its own",
            )
        line = PackLine(line_id, pack.pack_id, pack.name, pack.price, member_id)
        return self._commit(replace(self._state, packs=(*self._state.packs, line)))

    # ------------------------------------------------------------ closing

    def _close(self) -> PricedTicket:
        """Close the ticket; refused while a coupon is worth 0 (§5.2)."""
        self._require_open()
        if not self._priced.can_close:
            raise Refusal(RefusalCode.ZERO_AMOUNT_COUPON)
        # Closing changes no price: keep the priced ticket rather than recalculate.
        self._state = replace(self._state, closed=True)
        self._priced = replace(self._priced, closed=True)
        return self._priced

    # ------------------------------------------------------------ internals

    def _require_open(self) -> None:
        if self._state.closed:
            raise _invalid("The ticket is closed")

    def _require_room(self) -> None:
        """A ticket holds at most 1,000 lines (the INVALID row): the cashier pays this one
        and starts another."""
        if len(self._state.lines) + len(self._state.packs) >= MAX_LINES:
            raise _invalid(LINES_MESSAGE)

    def _new_line_id(self, raw: object) -> str:
        """``raw`` as the id of a new line: given, and no line of the ticket has it."""
        line_id = _text(raw, "Line id")
        if (
            line_id.startswith(GIFT_LINE_PREFIX)
            or self._state.line(line_id) is not None
            or self._state.pack_line(line_id) is not None
        ):
            raise _invalid(f"Line {line_id} already exists")
        return line_id

    def _line(self, line_id: object) -> LineState:
        """An item line; a coupon pack's line takes none of the actions that ask for one."""
        if not isinstance(line_id, str) or not line_id:
            raise _invalid("Line id is missing")
        pack = self._state.pack_line(line_id)
        if pack is not None:
            raise Refusal(RefusalCode.NOT_APPLICABLE, fixed_price_refusal_text(pack.name))
        line = self._state.line(line_id)
        if line is None:
            raise Refusal(RefusalCode.UNKNOWN, f"Unknown line {line_id}")
        return line

    def _require_not_covered(self, line: LineState) -> None:
        if line.line_id in self._claimed_by_non_custom():
            raise Refusal(RefusalCode.COVERED_BY_COUPON)

    def _claimed_by_non_custom(self) -> set[str]:
        return {
            line_id
            for r in self._state.redemptions
            if (c := self._book.coupons.get(r.code)) is not None and c.claims_lines
            for line_id in r.claimed_lines
        }

    def _locally_discounted_lines(self) -> set[str]:
        """Lines under a store discount, in an order discount's scope, or covered by a
        member discount coupon (ENGINE-RULES details)."""
        found = {d.line_id for d in self._state.discounts if d.line_id is not None}
        if any(d.line_id is None for d in self._state.discounts):
            claimed = self._claimed_by_non_custom()
            found.update(x.line_id for x in self._state.lines if x.line_id not in claimed)
        found.update(member_discount_lines(self._priced))
        return {x for x in found if x is not None}

    def _has_gift_of(self, coupon: CouponDefinition) -> bool:
        """Whether one of the coupon's items is on the ticket as a gift line: the coupon is
        then redeemed at 0.00 and blocks closing (Details, seed §5.2, §7)."""
        return any(
            line.is_gift
            and (item := self._book.items.get(line.sku)) is not None
            and coupon.items.matches(item)
            for line in self._priced.lines
        )

    def _items_of(self, coupon: CouponDefinition) -> str:
        names = sorted(
            self._book.items[sku].name if sku in self._book.items else sku
            for sku in coupon.items.skus
        )
        names += sorted(f"any {category}" for category in coupon.items.categories)
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        return f"it takes {shown}"

    def _amount(self, raw: object, what: str) -> Decimal:
        """An amount in the ticket's currency within the bounds, or INVALID naming it."""
        try:
            return parse_amount(raw, self._book.currency.exponent)
        except AmountError as exc:
            raise _invalid(f"{what} {exc}") from None

    def _line_label(self, line: LineState) -> str:
        item = self._book.items.get(line.sku)
        number = self._state.lines.index(line) + 1
        return f"{item.name if item else line.sku} (line {number})"

    def _no_line_left(self, coupon: CouponDefinition, lines: list[LineState]) -> str:
        """Why a redeemed coupon found nothing to deduct from: every unit of its items is
        taken by an earlier group-purchase coupon (R7), or every line it applies to is
        held by a coupon it cannot share a line with (R10)."""
        named = ", ".join(self._line_label(line) for line in lines)
        if coupon.effective_kind == GROUP_PURCHASE:
            return (
                f"Coupon {coupon.code}: every unit of {named} is already covered by another"
                " group-purchase coupon; add the item again as a new line to use it"
            )
        holders = sorted(
            {
                r.code
                for r in self._state.redemptions
                if any(line.line_id in r.claimed_lines for line in lines)
            }
        )
        by = f" by coupon {', '.join(holders)}" if holders else ""
        return f"Coupon {coupon.code}: {named} is already covered{by}"

    def _with_line(self, line: LineState) -> TicketState:
        return replace(
            self._state,
            lines=tuple(line if x.line_id == line.line_id else x for x in self._state.lines),
        )

    def _commit(self, state: TicketState, priced: PricedTicket | None = None) -> PricedTicket:
        if priced is None:
            priced = recalculate(state, self._book, self._clock(), self._priced)
        lapsed = [p for p in state.triggered if p not in priced.promotions]
        if lapsed:  # a triggered promotion left with no effect must be triggered again
            state = replace(state, triggered=tuple(p for p in state.triggered if p not in lapsed))
        self._state = state
        self._priced = priced
        return priced


__all__ = ["Clock", "Ticket"]
