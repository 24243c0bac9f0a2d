"""The cash drawer beside the sales: the day's opening float, and cash put in or taken
out with a reason, each recorded with who did it (and who approved it) in the open
business day. The Z report counts them into the cash expected in the drawer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_app.engine.money import AmountError, parse_amount
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock, aware
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.errors import TillCode, TillRefusal

FLOAT = "float"
CASH_IN = "in"
CASH_OUT = "out"
MAX_REASON = 200


@dataclass(frozen=True)
class CashMoved:
    """A cash move just written: its kind, amount and reason (the drawer opens)."""

    kind: str
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class Drawer:
    """The drawer's cash moves over the till's database. The till's owner thread only."""

    database: TillDatabase
    configuration: LiveConfiguration
    clock: Clock

    def needs_float(self) -> bool:
        """Whether the open business day has no opening float yet."""
        with self.database.unit_of_work() as uow:
            shift = uow.shifts.current()
            if shift is None:
                return True
            return not any(m.kind == FLOAT for m in uow.staff.cash_moves(shift.shift_id))

    def move(
        self,
        kind: str,
        amount: object,
        reason: object,
        *,
        cashier: str,
        approved_by: str | None = None,
    ) -> CashMoved:
        """Write one cash move in the open day (opened now if none is)."""
        value = self._amount(amount, allow_zero=kind == FLOAT)
        text = reason.strip() if isinstance(reason, str) else ""
        if kind != FLOAT and not text:
            raise TillRefusal(TillCode.REASON_REQUIRED, "Choose or type a reason")
        if len(text) > MAX_REASON:
            raise TillRefusal(
                TillCode.REASON_REQUIRED, f"A reason is at most {MAX_REASON} characters"
            )
        now = aware(self.clock())
        with self.database.unit_of_work() as uow:
            shift = uow.shifts.current() or uow.shifts.open(now)
            if kind == FLOAT and any(m.kind == FLOAT for m in uow.staff.cash_moves(shift.shift_id)):
                raise TillRefusal(
                    TillCode.FLOAT_ALREADY_SET, "Today's opening float is already counted"
                )
            uow.staff.add_cash_move(
                shift.shift_id,
                kind,
                value,
                reason=text,
                cashier=cashier,
                approved_by=approved_by,
                now=now,
            )
            uow.commit()
        return CashMoved(kind, value, text)

    def _amount(self, amount: object, *, allow_zero: bool) -> Decimal:
        currency = self.configuration.currency
        try:
            value = parse_amount(amount.strip() if isinstance(amount, str) else amount)
        except AmountError as exc:
            raise TillRefusal(TillCode.INVALID_AMOUNT, f"Amount: {exc}") from None
        if currency.round(value) != value:
            raise TillRefusal(
                TillCode.INVALID_AMOUNT,
                f"{value} has more decimal places than {currency.code} allows",
            )
        if value < 0 or (value == 0 and not allow_zero):
            raise TillRefusal(TillCode.INVALID_AMOUNT, "The amount must be more than zero")
        return value
