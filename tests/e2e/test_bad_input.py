"""Bad input on either side (S5, S9, S12): the back office refuses what it cannot take and
changes nothing; the till keeps aside what it cannot read and goes on; wrong or foreign
tokens are refused and the till's outbox keeps every event."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from backoffice.models.intake import ReceivedEvent
from backoffice.models.sales import SaleTicket
from pos_app.store.outbox import enqueue_event
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.sync.errors import NotAuthorized
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import EnrolledTill, assert_same_sales, backoffice_sales, run_command
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers or processes

MIB = 1024 * 1024
OTHER_STORE = {"id": "OTHER-1", "name": "Other Diner", "address": "2 Other St", "currency": "EUR"}
PRETZEL = {"sku": "PRETZEL", "name": "Pretzel", "price": "2.00", "category": "snacks"}


def _sale_event(store_id: str, device_id: str) -> dict[str, Any]:
    """A well-formed ``ticket.closed`` event, as a till would upload it."""
    ticket_id = str(uuid.uuid4())
    return {
        "idempotency_key": str(uuid.uuid4()),
        "type": "ticket.closed",
        "version": 1,
        "device_seq": 1,
        "device_time": "2026-11-21T12:00:00+00:00",
        "payload": {
            "ticket_id": ticket_id,
            "store_id": store_id,
            "device_id": device_id,
            "opened_at": "2026-11-21T11:59:00+00:00",
            "closed_at": "2026-11-21T12:00:00+00:00",
            "currency": "USD",
            "total": "3.00",
            "lines": [
                {
                    "line_id": "L1",
                    "sku": "COLA",
                    "name": "Cola",
                    "qty": 1,
                    "unit_price": "3.00",
                    "gross": "3.00",
                    "net": "3.00",
                    "adjustments": [],
                }
            ],
            "payments": [{"method": "card", "amount": "3.00"}],
        },
    }


def _enroll_raw(backoffice: LiveBackOffice, store_id: str = "DEMO-1") -> dict[str, str]:
    reply = requests.post(
        f"{backoffice.url}/api/v1/devices/enroll",
        json={"code": backoffice.device_code(store_id), "device_name": f"raw-{store_id}"},
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    enrolled: dict[str, str] = reply.json()
    return enrolled


def _chunks(size: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """A JSON body of ``size`` bytes sent chunked (no Content-Length to refuse it by)."""
    yield b'{"events": [], "pad": "'
    sent = 23
    while sent < size:
        yield b"x" * chunk
        sent += chunk
    yield b'"}'


def test_back_office_refuses_malformed_oversized_and_unknown_version_uploads(
    backoffice: LiveBackOffice,
) -> None:
    """S9/S12: bad envelopes 400, bodies over 5 MiB 413, bad token 401; nothing is stored."""
    device = _enroll_raw(backoffice)
    sale = _sale_event("DEMO-1", device["device_id"])
    url = f"{backoffice.url}/api/v1/events"
    auth = {"Authorization": f"Bearer {device['token']}"}
    json_type = {**auth, "Content-Type": "application/json"}
    refused: list[tuple[str, int, requests.Response]] = []
    with requests.Session() as http:

        def post(what: str, expected: int, **kwargs: Any) -> None:
            refused.append((what, expected, http.post(url, timeout=30, **kwargs)))

        post("not JSON", 400, data=b'{"events": [', headers=json_type)
        post("not an object", 400, json=[sale], headers=auth)
        post("no events", 400, json={"events": []}, headers=auth)
        post("events not a list", 400, json={"events": sale}, headers=auth)
        post("envelope version 2", 400, json={"version": 2, "events": [sale]}, headers=auth)
        post("501 events", 400, json={"events": [sale] * 501}, headers=auth)
        post(
            "declared body over 5 MiB",
            413,
            data=json.dumps({"events": [sale], "pad": "x" * (5 * MIB)}),
            headers=json_type,
        )
        post("chunked body over 5 MiB", 413, data=_chunks(5 * MIB + 1), headers=json_type)
        post("wrong token", 401, json={"events": [sale]}, headers={"Authorization": "Bearer x"})
        post("no token", 401, json={"events": [sale]})

        for what, expected, response in refused:
            assert response.status_code == expected, f"{what}: {response.text[:300]}"
        assert backoffice.count(ReceivedEvent) == 0
        assert backoffice.count(SaleTicket) == 0

        good = http.post(url, json={"events": [sale]}, headers=auth, timeout=30)
        assert good.status_code == 200 and good.json()["results"][0]["outcome"] == "accepted"
    assert backoffice.count(SaleTicket) == 1


def test_one_bad_event_is_parked_and_the_queue_goes_on(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """S5: an event the back office rejects is parked as failed; the sales around it arrive."""
    till = enroll("till-1")
    till.sync()
    before = till.sell([("BURGER", 1)])
    with UnitOfWork(till.runtime.database.sessions) as uow:
        bad = enqueue_event(
            uow.session, "ticket.teleported", {"store_id": "DEMO-1"}, till.runtime.clock()
        )
        bad_key = bad.idempotency_key
        uow.commit()
    after = till.sell([("COLA", 2)])

    status = till.sync()
    assert (status.pending_events, status.failed_events) == (0, 1)
    assert till.outbox_statuses() == {"accepted": 2, "failed": 1}
    (parked,) = [event for event in till.outbox_events() if event.status == "failed"]
    assert parked.idempotency_key == bad_key
    assert parked.reason is not None and parked.reason.startswith("UNKNOWN_EVENT_TYPE: ")
    ids = {sale.ticket_id for sale in backoffice_sales(backoffice.sales())}
    assert ids == {before.closed_ticket_id, after.closed_ticket_id}


def test_sync_once_exits_0_with_an_event_parked_and_the_outbox_says_why(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """Issue 18 item 6: everything that can be sent was, so `sync --once` exits 0 and
    counts the parked event; `outbox` says what it is and why in words; `--send-again`
    queues it for the next sync (refused again, parked again: nothing is lost)."""
    till = enroll("till-1")
    till.sync()
    with UnitOfWork(till.runtime.database.sessions) as uow:
        bad = enqueue_event(
            uow.session, "ticket.teleported", {"store_id": "DEMO-1"}, till.runtime.clock()
        )
        seq = bad.device_seq
        uow.commit()
    till.sell([("COLA", 1)])
    code, report = till.sync_cli()
    assert (code, report["complete"], report["parked_events"]) == (0, True, 1)
    assert report["pending_events"] == 0
    data_dir = str(till.data_dir)
    text = run_command("pos-app", "--data-dir", data_dir, "sync", "--once")
    assert text.returncode == 0 and "1 event is parked" in text.stdout
    listed = run_command("pos-app", "--data-dir", data_dir, "outbox")
    assert listed.returncode == 0, listed.stderr
    assert "0 waiting, 1 parked" in listed.stdout
    assert "the back office does not know this kind of event" in listed.stdout
    assert f"#{seq} ticket.teleported" in listed.stdout
    as_json = json.loads(run_command("pos-app", "--data-dir", data_dir, "outbox", "--json").stdout)
    assert [(p["seq"], p["reason_code"]) for p in as_json["parked"]] == [
        (seq, "UNKNOWN_EVENT_TYPE")
    ]
    wrong = run_command("pos-app", "--data-dir", data_dir, "outbox", "--send-again", "999")
    assert wrong.returncode == 2 and f"parked: #{seq}" in wrong.stderr
    again = run_command("pos-app", "--data-dir", data_dir, "outbox", "--send-again", str(seq))
    assert again.returncode == 0 and "back in the queue" in again.stdout
    assert till.outbox_statuses()["pending"] == 1
    code, report = till.sync_cli()
    assert (code, report["parked_events"]) == (0, 1)


def test_till_keeps_aside_records_it_cannot_read_and_applies_the_rest(
    backoffice: LiveBackOffice, proxy: FaultProxy, enroll: EnrollTill
) -> None:
    """S9: unknown kinds/versions and unreadable records are kept aside; the rest applies."""
    till = enroll("till-1", url=proxy.url)
    till.sync()
    backoffice.append_raw_change("gift_card", "GC-1", {"code": "GC-1", "balance": "25.00"})
    backoffice.append_raw_change(
        "promotion", "COLA-V2", {"id": "COLA-V2", "type": "percent_off"}, version=2
    )
    backoffice.put_record(
        "items", "COLA", {"sku": "COLA", "name": "Cola", "price": "3.25", "category": "drinks"}
    )
    crafted = [
        "not a record",
        {"kind": "item", "version": 1, "id": "BAD", "deleted": False, "data": {"sku": "BAD"}},
    ]

    def add_crafted(_method: str, path: str, status: int, body: bytes) -> bytes | None:
        if path != "/api/v1/changes" or status != 200:
            return None
        page = json.loads(body)
        return json.dumps({**page, "records": crafted + page["records"]}).encode()

    proxy.set_rewrite(add_crafted)
    run = till.sync_run()
    status = run.run()
    proxy.set_rewrite(None)
    assert status.online
    assert (run.last_report.records_applied, run.last_report.records_set_aside) == (1, 4)
    aside = till.runtime.sync_store.set_aside_records()
    assert [(r.kind, r.version, r.record_id) for r in aside] == [
        ("", "", ""),
        ("item", "1", "BAD"),
        ("gift_card", "1", "GC-1"),
        ("promotion", "2", "COLA-V2"),
    ]
    assert "unknown kind 'gift_card'" in aside[2].reason
    assert "unknown version 2" in aside[3].reason
    assert str(till.runtime.till.book.items["COLA"].price) == "3.25"
    assert "COLA-V2" not in till.runtime.till.book.promotions

    code, report = till.sync_cli()  # sync goes on: the cursor is past the bad records
    assert (code, report["complete"], report["records_set_aside"]) == (0, True, 0)
    till.sell([("COLA", 1)])
    assert till.sync().pending_events == 0
    assert_same_sales(till.closed_sales(), backoffice_sales(backoffice.sales()))


def _foreign_token(backoffice: LiveBackOffice) -> str:
    backoffice.put_record("stores", "OTHER-1", OTHER_STORE)
    backoffice.put_record("items", "PRETZEL", PRETZEL, store_id="OTHER-1")
    return _enroll_raw(backoffice, "OTHER-1")["token"]


@pytest.mark.parametrize("token", ["wrong", "foreign"])
def test_wrong_or_foreign_token_is_refused_and_the_outbox_keeps_everything(
    backoffice: LiveBackOffice, enroll: EnrollTill, token: str
) -> None:
    """S12: an unknown or another store's token: not authorized, nothing sent, nothing lost."""
    till: EnrolledTill = enroll("till-1")
    till.sync()
    own_token = json.loads((till.data_dir / "sync.json").read_text())["token"]
    sale = till.sell([("BURGER", 1), ("FRIES", 1)])
    till.set_token("not-a-token" if token == "wrong" else _foreign_token(backoffice))
    cursor = till.runtime.sync_store.download_cursor()

    with pytest.raises(NotAuthorized) as refused:
        till.sync()
    assert own_token not in str(refused.value)
    code, report = till.sync_cli()
    assert (code, report["complete"], report["online"]) == (1, False, False)
    assert "not authorized" in report["error"]
    assert report["state"] == "not authorized"  # not "offline" (S17)

    assert till.outbox_statuses() == {"pending": 1}  # nothing parked, nothing lost
    assert till.runtime.sync_store.download_cursor() == cursor
    assert "PRETZEL" not in till.runtime.till.book.items
    assert backoffice.sales() == []

    till.set_token(own_token)
    assert till.sync().pending_events == 0
    assert [s["id"] for s in backoffice.sales()] == [sale.closed_ticket_id]
