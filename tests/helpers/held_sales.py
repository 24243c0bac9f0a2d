"""Sales a served back office holds as anomalies (issue 18), sent the way a till sends
them: a till enrolled with a one-time code, then ``POST /api/v1/events``."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from tests.backoffice.factories import event, ticket_payload
from tests.helpers.live_admin import ServedBackOffice


def enrolled_headers(office: ServedBackOffice, name: str) -> tuple[str, dict[str, str]]:
    """A till enrolled into DEMO-1 under ``name``: its device id and bearer headers."""
    enrolled = requests.post(
        f"{office.url}/api/v1/devices/enroll",
        json={"code": office.device_code(), "device_name": name},
        timeout=10,
    ).json()
    return enrolled["device_id"], {"Authorization": f"Bearer {enrolled['token']}"}


def upload(office: ServedBackOffice, headers: dict[str, str], events: list[Any]) -> list[str]:
    """The outcomes of ``events`` uploaded with ``headers``."""
    response = requests.post(
        f"{office.url}/api/v1/events", json={"events": events}, headers=headers, timeout=30
    )
    response.raise_for_status()
    return [result["outcome"] for result in response.json()["results"]]


def send_held_sales(office: ServedBackOffice, till_name: str, first: int) -> list[str]:
    """One clean sale and three that the back office holds (a total far above its lines,
    a payment of 0.01, an unknown item in another currency), numbered from ``first``
    (``D1-01-000147``); their numbers, clean first."""
    device_id, headers = enrolled_headers(office, till_name)
    numbers = [f"D1-01-{first + n:06d}" for n in range(4)]
    clean, inflated, short, foreign = (
        ticket_payload("DEMO-1", device_id, ticket_id=f"T-{uuid.uuid4().hex[:8]}") for _ in numbers
    )
    inflated.update(total="999999.00")
    short["payments"] = [{"method": "card", "amount": "0.01"}]
    foreign["currency"] = "XXX"
    foreign["lines"][1]["sku"] = "MYSTERY-SODA"
    payloads = [clean, inflated, short, foreign]
    for payload, number in zip(payloads, numbers, strict=True):
        payload["number"] = number
    events = [event("ticket.closed", payload, seq=n) for n, payload in enumerate(payloads, 1)]
    assert upload(office, headers, events) == ["accepted"] * 4
    return numbers
