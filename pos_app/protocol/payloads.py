"""The upload's shapes (protocol "Upload"): the envelope, one event, and each event
type's payload, as pydantic models the back office validates with and the till's own
payloads are tested against.

The envelope is checked as a whole (a bad one is a 400); each event is checked
on its own, so one malformed event is ``rejected`` and the rest go on (S5).
Money is a decimal string, never a JSON number; times carry an offset.

The till builds every payload it sends as one of these models and stores it as
:func:`payload_text` writes it; :func:`event_type_of` names its event type.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from functools import partial
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

from pos_app.protocol import bounds
from pos_app.protocol.events import ENVELOPE_VERSION, MAX_EVENTS, EventType


def _uuid_string(value: str) -> str:
    try:
        uuid.UUID(value)
    except ValueError:
        raise ValueError("must be a UUID") from None
    return value


def _money(value: str) -> str:
    return bounds.check_money_text(value)


def _instant(value: datetime) -> datetime:
    return bounds.check_instant(value)


Money = Annotated[StrictStr, AfterValidator(_money)]
Instant = Annotated[AwareDatetime, AfterValidator(_instant)]
IdempotencyKey = Annotated[StrictStr, Field(max_length=64), AfterValidator(_uuid_string)]
IDEMPOTENCY_KEY = TypeAdapter(IdempotencyKey)
Text = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.ID))]
StoreId = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.STORE_ID))]
Key = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.KEY))]
Name = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.NAME_OR_EMPTY))]
Note = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.LONG_TEXT))]
Currency = Annotated[StrictStr, AfterValidator(partial(bounds.check_text, bound=bounds.CURRENCY))]
Quantity = Annotated[
    StrictInt, AfterValidator(partial(bounds.check_integer, bound=bounds.QUANTITY))
]
Stage = Annotated[StrictInt, AfterValidator(partial(bounds.check_integer, bound=bounds.STAGE))]
DeviceSeq = Annotated[
    StrictInt, AfterValidator(partial(bounds.check_integer, bound=bounds.COUNTER))
]
Version = Annotated[StrictInt, AfterValidator(partial(bounds.check_integer, bound=bounds.INT32))]


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
    type: Key
    version: Version
    device_seq: DeviceSeq
    device_time: Instant
    payload: dict[str, Any]


class Adjustment(_Shape):
    """One adjustment of a line: the stage, what made it, the rule, the amount (R13)."""

    stage: Stage | Text
    kind: Text
    source: Text
    rule: Text
    amount: Money


class TicketLine(_Shape):
    """One ticket line with the till's amounts."""

    line_id: Text
    sku: Text
    name: Name
    qty: Quantity
    unit_price: Money
    gross: Money
    net: Money
    adjustments: list[Adjustment] = []
    tax_rate: Money | None = None  # the item's tax rate, a percent ("20")
    tax: Money | None = None  # the line's share of its rate's tax


class CouponUse(_Shape):
    """A coupon or entitlement code redeemed on the ticket, and the lines it covered."""

    code: Text
    kind: Text
    amount: Money
    lines: list[Text] = []
    provisional: StrictBool = False  # accepted offline to be verified later (S14)


class Payment(_Shape):
    """How (part of) the ticket was paid."""

    method: Text
    amount: Money
    tendered: Money | None = None
    change: Money | None = None


class RateTax(_Shape):
    """One tax rate of a ticket: the nets at that rate and its tax (protocol "Taxes")."""

    rate: Money
    base: Money
    tax: Money


class TicketPack(_Shape):
    """A coupon pack sold on the ticket: its line, at its price. The ticket's ``total``
    counts it; the sale itself travels once, in its own ``pack.sold`` event."""

    line_id: Text
    pack_id: Text
    name: Name
    price: Money
    sale_id: IdempotencyKey


class TicketClosed(_Shape):
    """``ticket.closed`` v1: a sale, as the till priced it (item lines in ``lines``,
    coupon packs in ``packs``)."""

    ticket_id: Text
    store_id: StoreId
    device_id: Text
    opened_at: Instant
    closed_at: Instant
    currency: Currency
    total: Money
    lines: list[TicketLine]
    promotions: dict[Text, Money] = {}
    coupons: list[CouponUse] = []
    discounts: dict[Text, Money] = {}
    payments: list[Payment] = []
    number: Key | None = None  # "D1-02-000147"
    member_id: Text | None = None
    tax_inclusive: StrictBool | None = None
    taxes: list[RateTax] = []
    tax_total: Money | None = None
    amount_paid: Money | None = None  # the nets, plus the tax in a tax-exclusive store
    packs: list[TicketPack] = []
    cashier: Name = ""  # who closed the ticket ("" : no one signed in)


class OverrideChanged(_Shape):
    """``override.changed`` v1: a store manager's local auto-execute override (R12)."""

    store_id: StoreId
    promotion_id: Text
    auto_execute: StrictBool
    manager: Name
    changed_at: Instant


class ConflictResolved(_Shape):
    """``conflict.resolved`` v1: the recorded follow-up of a conflict (S6)."""

    store_id: StoreId
    conflict_key: Key
    resolution: Text
    note: Note = ""
    manager: Name


class RefundedLine(_Shape):
    """Units of one sale line taken back, with their share of its net and tax."""

    line_id: Text
    sku: Text
    qty: Quantity
    amount: Money
    tax: Money
    tax_rate: Money


class TicketRefunded(_Shape):
    """``ticket.refunded`` v1: a return of some or all lines of a sale (``refund_of``)."""

    refund_id: Text
    number: Key
    store_id: StoreId
    device_id: Text
    refund_of: Text
    refund_of_number: Annotated[StrictStr, Field(max_length=32)] = ""
    refunded_at: Instant
    business_day: Annotated[StrictStr, Field(max_length=10)] = ""
    currency: Currency
    method: Literal["cash", "card"]
    amount: Money
    tax: Money
    tax_inclusive: StrictBool = True
    lines: list[RefundedLine] = Field(min_length=1)
    restored_codes: list[Text] = []
    cashier: Name = ""  # who gave the money back ("" : no one signed in)
    reason: Name = ""  # why the customer returned it
    approved_by: Name = ""  # the manager whose PIN allowed it, if one was needed


class ShiftClosed(_Shape):
    """``shift.closed`` v1: a till's Z report, closing its business day."""

    shift_id: Text
    store_id: StoreId
    device_id: Text
    business_day: Annotated[StrictStr, Field(min_length=10, max_length=10)]
    opened_at: Instant
    closed_at: Instant
    currency: Currency
    sales: Money
    returns: Money
    net: Money
    report: dict[str, Any]


class IssuedCoupon(_Shape):
    """A coupon the till issued with a pack, under a code of one of its blocks (K15), and
    its window as the entitlement record carries it (inclusive local times)."""

    code: Key
    coupon_code: Text
    valid_from: Instant
    valid_to: Instant


class PackSold(_Shape):
    """``pack.sold`` v1: a coupon pack sold with an order at the till (K12-K15), once per
    ``sale_id``: who bought which pack, at what price, on which local day, the online
    reservation it used (if any) and the coupons the till issued."""

    sale_id: IdempotencyKey
    store_id: StoreId
    device_id: Text
    ticket_id: Text
    line_id: Text
    pack_id: StoreId
    pack_name: Name
    member_id: Text
    member_name: Name = ""
    price: Money
    currency: Currency
    sold_at: Instant
    local_date: date
    reservation_key: IdempotencyKey | None = None
    coupons: list[IssuedCoupon] = Field(min_length=1)


class PackRefunded(_Shape):
    """``pack.refunded`` v1: the recorded reversal of a pack sale the back office could not
    accept (K14): the price paid back, how, by which manager; the coupons are withdrawn."""

    sale_id: IdempotencyKey
    store_id: StoreId
    amount: Money
    currency: Currency
    method: Literal["cash", "card"]
    manager: Name
    refunded_at: Instant
    conflict_key: Key | None = None
    note: Note = ""


PAYLOADS: dict[tuple[str, int], type[_Shape]] = {
    (EventType.TICKET_CLOSED, 1): TicketClosed,
    (EventType.OVERRIDE_CHANGED, 1): OverrideChanged,
    (EventType.CONFLICT_RESOLVED, 1): ConflictResolved,
    (EventType.TICKET_REFUNDED, 1): TicketRefunded,
    (EventType.SHIFT_CLOSED, 1): ShiftClosed,
    (EventType.PACK_SOLD, 1): PackSold,
    (EventType.PACK_REFUNDED, 1): PackRefunded,
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


EventPayload = (
    TicketClosed
    | OverrideChanged
    | ConflictResolved
    | TicketRefunded
    | ShiftClosed
    | PackSold
    | PackRefunded
)
"""A payload the till sends, of any event type."""

_EVENT_TYPES: dict[type[_Shape], str] = {
    model: event_type for (event_type, _), model in PAYLOADS.items()
}


def event_type_of(payload: EventPayload) -> str:
    """The event type ``payload`` travels as (``ticket.closed`` for a TicketClosed ...)."""
    return _EVENT_TYPES[type(payload)]


def wire_instant(moment: datetime) -> datetime:
    """An instant as the till writes it on the wire: in the device's local offset, to
    the second (``2026-11-21T13:05:00+01:00``)."""
    return moment.astimezone().replace(microsecond=0)


def _wire_value(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a wire value")


def wire_json(message: BaseModel) -> str:
    """``message`` as the till sends it: JSON of the fields it was built with (a field
    left out stays out), times in ISO 8601 with the offset they were given in, keys
    sorted, no spaces."""
    return json.dumps(
        message.model_dump(exclude_unset=True),
        separators=(",", ":"),
        sort_keys=True,
        default=_wire_value,
    )


def payload_text(payload: EventPayload) -> str:
    """An event's ``payload`` as the till stores and uploads it (:func:`wire_json`)."""
    return wire_json(payload)
