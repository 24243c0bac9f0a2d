"""The intake's outcomes against the rules, for random uploads, on SQLite and PostgreSQL
(S3, S4, S6, S15): Hypothesis builds batches of new sales (some redeeming one
single-use entitlement), exact resends, tickets sent again under a new key, other event
types, and events with one field out of bounds. Every event is answered in order; each
sale is stored once; a repeat is answered ``duplicate`` with the first outcome; a bad
event is ``rejected`` naming its field and the rest of the batch is stored; a resend of
the whole batch changes nothing."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backoffice.chain.change_log import put_record
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import RedeemedCode, SaleLine, SaleTicket
from backoffice.sync.intake.upload import UploadIntake
from backoffice.sync.intake.verdict import EventResult
from backoffice.trust.device_tokens import DeviceIdentity
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code
from pos_app.protocol.outcomes import Outcome
from tests.backoffice.conftest import MovableClock
from tests.backoffice.factories import event, ticket_closed

STORE = "DEMO-1"

Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: object) -> Mutation:
    def mutate(sale: dict[str, Any]) -> None:
        target: Any = sale
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


# name: (what makes the event bad, the field the rejection names, its reason)
BAD_CASES: dict[str, tuple[Mutation, str, str]] = {
    "key not a UUID": (
        _set(("idempotency_key",), "not-a-key"),
        "idempotency_key",
        "MALFORMED_EVENT",
    ),
    "device_seq past 64 bits": (_set(("device_seq",), 2**63), "device_seq", "MALFORMED_EVENT"),
    "device_time in year 1": (
        _set(("device_time",), "0001-01-01T00:00:00+01:00"),
        "device_time",
        "MALFORMED_EVENT",
    ),
    "unknown type": (_set(("type",), "ticket.exploded"), "type", "UNKNOWN_EVENT_TYPE"),
    "another store": (
        _set(("payload", "store_id"), "OTHER-1"),
        "payload.store_id",
        "FOREIGN_STORE",
    ),
    "money over 40 characters": (
        _set(("payload", "total"), "1" * 41),
        "payload.total",
        "MALFORMED_EVENT",
    ),
    "money 1E+400": (
        _set(("payload", "lines", 0, "unit_price"), "1E+400"),
        "payload.lines[0].unit_price",
        "MALFORMED_EVENT",
    ),
    "quantity past 9,999": (
        _set(("payload", "lines", 0, "qty"), 2**31),
        "payload.lines[0].qty",
        "MALFORMED_EVENT",
    ),
    "name over 256 characters": (
        _set(("payload", "lines", 0, "name"), "n" * 257),
        "payload.lines[0].name",
        "MALFORMED_EVENT",
    ),
    "NUL in a name": (
        _set(("payload", "lines", 0, "name"), "a\x00b"),
        "payload.lines[0].name",
        "MALFORMED_EVENT",
    ),
    "lone surrogate in a name": (
        _set(("payload", "lines", 0, "name"), "\ud800"),
        "payload.lines[0].name",
        "MALFORMED_EVENT",
    ),
}

STEPS = st.one_of(
    st.tuples(st.just("sale"), st.booleans()),  # a new sale; True: it redeems the code
    st.tuples(st.just("resend"), st.integers(0, 40)),  # an earlier event, exactly
    st.tuples(st.just("again"), st.integers(0, 40)),  # an earlier sale under a new key
    st.tuples(st.just("override"), st.just(0)),  # another event type, one at a time
    st.tuples(st.just("bad"), st.sampled_from(sorted(BAD_CASES))),
)


@dataclass(frozen=True)
class Expected:
    """What the rules say one event gets."""

    outcome: Outcome
    reason: str | None = None
    field: str | None = None  # a rejection's detail starts with it
    first_outcome: Outcome | None = None


@dataclass
class Upload:
    """A batch built from steps, and what the rules expect of it (the oracle)."""

    code: str
    events: list[dict[str, Any]] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    first: dict[str, Expected] = field(default_factory=dict)  # by key: what it got first
    sale_keys: list[str] = field(default_factory=list)  # keys of sales stored, in order
    tickets: dict[str, str] = field(default_factory=dict)  # stored ticket -> its key
    code_holder: str | None = None  # the ticket whose sale claimed the code

    def add(self, built: dict[str, Any], expected: Expected) -> None:
        self.events.append(built)
        self.expected.append(expected)
        key = built["idempotency_key"]
        if expected.field != "idempotency_key":
            self.first.setdefault(key, expected)

    def sale(self, redeem: bool, ticket_id: str | None = None) -> None:
        built = ticket_closed(
            STORE,
            "device",
            ticket_id=ticket_id or f"T-{uuid.uuid4().hex}",
            coupons=[self.code] if redeem else [],
        )
        ticket = built["payload"]["ticket_id"]
        if ticket in self.tickets:  # S3: a store's ticket is one sale
            self.add(built, Expected(Outcome.DUPLICATE, "TICKET_ALREADY_RECEIVED"))
            return
        self.tickets[ticket] = built["idempotency_key"]
        self.sale_keys.append(built["idempotency_key"])
        if redeem and self.code_holder is not None:  # S6: the code was spent by another
            self.add(built, Expected(Outcome.CONFLICT, "COUPON_ALREADY_REDEEMED"))
            return
        if redeem:
            self.code_holder = ticket
        self.add(built, Expected(Outcome.ACCEPTED))

    def resend(self, index: int) -> None:
        if not self.events:
            self.sale(redeem=False)
            return
        earlier = self.events[index % len(self.events)]
        key = earlier["idempotency_key"]
        if key not in self.first:  # no usable key: never stored, refused again
            self.add(copy.deepcopy(earlier), self.expected[index % len(self.events)])
            return
        first = self.first[key]
        self.add(
            copy.deepcopy(earlier),
            Expected(Outcome.DUPLICATE, first.reason, first.field, first.outcome),
        )

    def again(self, index: int) -> None:
        if not self.sale_keys:
            self.sale(redeem=False)
            return
        key = self.sale_keys[index % len(self.sale_keys)]
        ticket = next(t for t, k in self.tickets.items() if k == key)
        self.sale(redeem=False, ticket_id=ticket)

    def override(self) -> None:
        payload = {
            "store_id": STORE,
            "promotion_id": "COMBO-MEAL",
            "auto_execute": False,
            "manager": "Mia",
            "changed_at": "2026-11-21T12:00:00+00:00",
        }
        self.add(event("override.changed", payload), Expected(Outcome.ACCEPTED))

    def bad(self, case: str) -> None:
        mutate, named, reason = BAD_CASES[case]
        built = ticket_closed(STORE, "device")
        mutate(built)
        self.add(built, Expected(Outcome.REJECTED, reason, named))


def _built(steps: list[tuple[str, Any]], code: str) -> Upload:
    upload = Upload(code)
    for kind, argument in steps:
        if kind == "sale":
            upload.sale(redeem=argument)
        elif kind == "resend":
            upload.resend(argument)
        elif kind == "again":
            upload.again(argument)
        elif kind == "override":
            upload.override()
        else:
            upload.bad(argument)
    return upload


def _assert_answers(results: list[EventResult], upload: Upload, expected: list[Expected]) -> None:
    assert len(results) == len(expected)  # S4: one result per event, in order
    for sent, result, wanted in zip(upload.events, results, expected, strict=True):
        where = f"{sent['type']} {sent['idempotency_key']}: {result}"
        assert result.outcome is wanted.outcome, where
        if wanted.reason is not None:
            assert result.reason == wanted.reason, where
        if wanted.outcome is Outcome.REJECTED or wanted.first_outcome is Outcome.REJECTED:
            assert result.detail is not None and result.detail.startswith(f"{wanted.field}:"), where
        if wanted.outcome is Outcome.DUPLICATE and wanted.first_outcome is not None:
            assert result.first_outcome is wanted.first_outcome, where
        if Outcome.CONFLICT in (wanted.outcome, wanted.first_outcome):
            assert result.conflict_key == sent["idempotency_key"], where


def _stored(database: Database, upload: Upload) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Sales by ticket (how many times), stored events' outcomes by key, claims of the code."""
    keys = list(upload.first)
    with database.sessions.begin() as session:
        sales = session.execute(
            select(SaleTicket.ticket_id, func.count(SaleTicket.id))
            .where(SaleTicket.ticket_id.in_(list(upload.tickets)), SaleTicket.store_id == STORE)
            .group_by(SaleTicket.ticket_id)
        ).all()
        events = session.execute(
            select(ReceivedEvent.idempotency_key, ReceivedEvent.outcome).where(
                ReceivedEvent.idempotency_key.in_(keys)
            )
        ).all()
        lines = session.scalar(
            select(func.count(SaleLine.id))
            .join(SaleTicket, SaleTicket.id == SaleLine.sale_id)
            .where(SaleTicket.ticket_id.in_(list(upload.tickets)))
        )
        claims = list(
            session.scalars(select(RedeemedCode.ticket_id).where(RedeemedCode.code == upload.code))
        )
    assert lines == 2 * len(sales)  # every stored sale with its two lines
    outcomes: dict[str, str] = {}
    for key, outcome in events:
        assert key not in outcomes, f"event {key} stored twice"
        outcomes[key] = outcome
    return dict(sales), outcomes, claims


@pytest.fixture
def device(database: Database, demo_chain: None) -> DeviceIdentity:
    """A till enrolled into DEMO-1."""
    with database.sessions.begin() as session:
        code = issue_enrollment_code(session, STORE, utc_now())
        enrolled = enroll_device(session, code, "till-properties", utc_now())
    return DeviceIdentity(enrolled.device_id, enrolled.store_id, "till-properties")


@pytest.fixture
def intake(database: Database, clock: MovableClock) -> Iterator[UploadIntake]:
    yield UploadIntake(database, clock)


def _single_use_code(database: Database) -> str:
    """A member's entitlement of its own: its code may be redeemed once (S6)."""
    code = f"ENT-{uuid.uuid4().hex[:12].upper()}"
    data = {
        "code": code,
        "member_id": "M-1001",
        "coupon_code": "MV-4",
        "valid_from": "2026-11-01T00:00:00+00:00",
        "valid_to": "2026-12-31T00:00:00+00:00",
        "status": "active",
    }
    with database.sessions.begin() as session:
        put_record(session, "entitlement", code, data, store_id=None, now=utc_now(), actor="test")
    return code


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=30))
def test_every_event_gets_the_outcome_the_rules_give(
    database: Database, device: DeviceIdentity, intake: UploadIntake, steps: list[Any]
) -> None:
    """S3 S4 S6 S15: valid sales stored once and accepted (or a conflict when the code was
    spent), repeats answered duplicate with the first outcome, bad events rejected naming
    their field, the rest of the batch stored; sending it all again changes nothing."""
    upload = _built(steps, _single_use_code(database))
    for built in upload.events:
        if built["payload"].get("device_id") == "device":
            built["payload"]["device_id"] = device.device_id

    first = intake.receive_events(device, copy.deepcopy(upload.events))
    _assert_answers(first.results, upload, upload.expected)
    sales, outcomes, claims = _stored(database, upload)
    assert sales == {ticket: 1 for ticket in upload.tickets}
    assert outcomes == {key: wanted.outcome.value for key, wanted in upload.first.items()}
    assert claims == ([upload.code_holder] if upload.code_holder else [])

    again = intake.receive_events(device, copy.deepcopy(upload.events))
    resent = [
        wanted
        if wanted.field == "idempotency_key"
        else Expected(
            Outcome.DUPLICATE,
            upload.first[built["idempotency_key"]].reason,
            upload.first[built["idempotency_key"]].field,
            upload.first[built["idempotency_key"]].outcome,
        )
        for built, wanted in zip(upload.events, upload.expected, strict=True)
    ]
    _assert_answers(again.results, upload, resent)
    assert _stored(database, upload) == (sales, outcomes, claims)
