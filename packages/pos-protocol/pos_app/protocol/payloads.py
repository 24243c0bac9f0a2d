"""The upload's shapes (protocol "Upload"): the envelope, one event, and each event
type's payload, as pydantic models the back office validates with and the till's own
payloads are tested against.

The envelope is checked as a whole (a bad one is a 400); each event is checked
on its own, so one malformed event is ``rejected`` and the rest go on (S5).
Money is a decimal string, never a JSON number; times carry an offset.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)

from pos_app.protocol.events import ENVELOPE_VERSION, MAX_EVENTS, EventType


def _decimal_string(value: str) -> str:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError("must be a decimal string such as '12.00'") from None
    if not amount.is_finite():
        raise ValueError("must be a finite decimal string")
    return value


def _uuid_string(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError:
        raise ValueError("must be a UUID") from None
    return value


Money = Annotated[StrictStr, AfterValidator(_decimal_string)]
IdempotencyKey = Annotated[StrictStr, Field(max_length=64), AfterValidator(_uuid_string)]
IDEMPOTENCY_KEY = TypeAdapter(IdempotencyKey)
Text = Annotated[StrictStr, Field(min_length=1, max_length=128)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class UploadRequest(_Shape):
    """``POST /api/v1/events``: 1-500 events, each validated on its own."""

    version: Literal[1] = Field(
        default=ENVELOPE_VERSION, description="envelope version; absent means 1"
    )
    events: list[Any] = Field(
        min_length=1,
        max_length=MAX_EVENTS,
        description="event objects; each is checked on its own and may be rejected alone",
    )


class EventHeader(_Shape):
    """What every event carries besides its payload (S3, S13)."""

    idempotency_key: IdempotencyKey
    type: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    version: StrictInt
    device_seq: Annotated[StrictInt, Field(ge=0)]
    device_time: AwareDatetime
    payload: dict[str, Any]


class Adjustment(_Shape):
    """One adjustment of a line: the stage, what made it, the rule, the amount (R13)."""

    stage: StrictInt | StrictStr
    kind: StrictStr
    source: StrictStr
    rule: StrictStr
    amount: Money


class TicketLine(_Shape):
    """One ticket line with the till's amounts."""

    line_id: Text
    sku: Text
    name: Annotated[StrictStr, Field(max_length=256)]
    qty: StrictInt
    unit_price: Money
    gross: Money
    net: Money
    adjustments: list[Adjustment] = []
    tax_rate: Money | None = None  # the item's tax rate, a percent ("20")
    tax: Money | None = None  # the line's share of its rate's tax


class CouponUse(_Shape):
    """A coupon or entitlement code redeemed on the ticket, and the lines it covered."""

    code: Text
    kind: StrictStr
    amount: Money
    lines: list[StrictStr] = []
    provisional: StrictBool = False  # accepted offline to be verified later (S14)


class Payment(_Shape):
    """How (part of) the ticket was paid."""

    method: StrictStr
    amount: Money
    tendered: Money | None = None
    change: Money | None = None


class RateTax(_Shape):
    """One tax rate of a ticket: the nets at that rate and its tax (protocol "Taxes")."""

    rate: Money
    base: Money
    tax: Money


class TicketClosed(_Shape):
    """``ticket.closed`` v1: a sale, as the till priced it."""

    ticket_id: Text
    store_id: Text
    device_id: Text
    opened_at: AwareDatetime
    closed_at: AwareDatetime
    currency: Annotated[StrictStr, Field(min_length=1, max_length=8)]
    total: Money
    lines: list[TicketLine]
    promotions: dict[str, Money] = {}
    coupons: list[CouponUse] = []
    discounts: dict[str, Money] = {}
    payments: list[Payment] = []
    number: Annotated[StrictStr, Field(max_length=32)] | None = None  # "D1-02-000147"
    member_id: Annotated[StrictStr, Field(max_length=128)] | None = None
    tax_inclusive: StrictBool | None = None
    taxes: list[RateTax] = []
    tax_total: Money | None = None
    amount_paid: Money | None = None  # the nets, plus the tax in a tax-exclusive store


class OverrideChanged(_Shape):
    """``override.changed`` v1: a store manager's local auto-execute override (R12)."""

    store_id: Text
    promotion_id: Text
    auto_execute: StrictBool
    manager: StrictStr
    changed_at: AwareDatetime


class ConflictResolved(_Shape):
    """``conflict.resolved`` v1: the recorded follow-up of a conflict (S6)."""

    store_id: Text
    conflict_key: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    resolution: Annotated[StrictStr, Field(min_length=1, max_length=128)]
    note: StrictStr = ""
    manager: StrictStr


class RefundedLine(_Shape):
    """Units of one sale line taken back, with their share of its net and tax."""

    line_id: Text
    sku: Text
    qty: Annotated[StrictInt, Field(ge=1, le=9_999)]
    amount: Money
    tax: Money
    tax_rate: Money


class TicketRefunded(_Shape):
    """``ticket.refunded`` v1: a return of some or all lines of a sale (``refund_of``)."""

    refund_id: Text
    number: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    store_id: Text
    device_id: Text
    refund_of: Text
    refund_of_number: Annotated[StrictStr, Field(max_length=32)] = ""
    refunded_at: AwareDatetime
    business_day: Annotated[StrictStr, Field(max_length=10)] = ""
    currency: Annotated[StrictStr, Field(min_length=1, max_length=8)]
    method: Literal["cash", "card"]
    amount: Money
    tax: Money
    tax_inclusive: StrictBool = True
    lines: list[RefundedLine] = Field(min_length=1)
    restored_codes: list[Text] = []


class ShiftClosed(_Shape):
    """``shift.closed`` v1: a till's Z report, closing its business day."""

    shift_id: Text
    store_id: Text
    device_id: Text
    business_day: Annotated[StrictStr, Field(min_length=10, max_length=10)]
    opened_at: AwareDatetime
    closed_at: AwareDatetime
    currency: Annotated[StrictStr, Field(min_length=1, max_length=8)]
    sales: Money
    returns: Money
    net: Money
    report: dict[str, Any]


PAYLOADS: dict[tuple[str, int], type[_Shape]] = {
    (EventType.TICKET_CLOSED, 1): TicketClosed,
    (EventType.OVERRIDE_CHANGED, 1): OverrideChanged,
    (EventType.CONFLICT_RESOLVED, 1): ConflictResolved,
    (EventType.TICKET_REFUNDED, 1): TicketRefunded,
    (EventType.SHIFT_CLOSED, 1): ShiftClosed,
}
KNOWN_TYPES = frozenset(event_type for event_type, _ in PAYLOADS)


def describe_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """The first problem of ``exc`` as "field.path: message"."""
    first = exc.errors()[0]
    parts = [prefix] if prefix else []
    for part in first["loc"]:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]}[{part}]"] if parts else [f"[{part}]"]
        else:
            parts.append(str(part))
    where = ".".join(parts) or "event"
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{where}: {first['msg']}{more}"
