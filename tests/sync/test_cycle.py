"""One sync attempt's steps against a fake back office: pages fetched ahead but applied
in order with their cursors (S7, S8), refused batches split until the bad event is
found (S5)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pytest

from pos_app.protocol.outcomes import Outcome
from pos_app.protocol.sync_api import EventResult, UploadReply
from pos_app.store.changes import PageOutcome
from pos_app.sync.client import ChangesPage
from pos_app.sync.cycle import SyncRun
from pos_app.sync.errors import BackOfficeUnavailable, RequestRefused


class FakeStore:
    """Records what the sync run asks of the till's store."""

    def __init__(self, fail_on_page: int | None = None) -> None:
        self.cursor: str | None = None
        self.applied: list[tuple[list[str], str | None]] = []
        self.outcomes: list[EventResult] = []
        self.fail_on_page = fail_on_page
        self.pending: list[dict[str, Any]] = []

    def download_cursor(self) -> str | None:
        return self.cursor

    def apply_changes_page(
        self, records: Iterable[object], new_cursor: str | None, **snapshot: bool
    ) -> Any:
        ids = [str(r["id"]) for r in records]  # type: ignore[index]
        if self.fail_on_page is not None and len(self.applied) + 1 == self.fail_on_page:
            raise RuntimeError("disk full")
        self.applied.append((ids, new_cursor))
        self.cursor = new_cursor
        return PageOutcome(len(ids), 0, (), new_cursor)

    def pending_events(self, limit: int = 500) -> list[dict[str, Any]]:
        batch, self.pending = self.pending[:limit], self.pending[limit:]
        return batch

    def record_outcomes(self, results: Iterable[EventResult]) -> None:
        self.outcomes.extend(results)


class FakeClient:
    """Pages of two records; uploads refused whole when they hold a bad event."""

    base_url = "http://office"

    def __init__(self, pages: int, *, offline_after: int | None = None) -> None:
        self.pages = pages
        self.offline_after = offline_after
        self.fetched: list[str | None] = []
        self.threads: set[str] = set()
        self.uploads: list[list[str]] = []

    def fetch_changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        self.fetched.append(cursor)
        self.threads.add(threading.current_thread().name)
        number = int(cursor or 0) + 1
        if self.offline_after is not None and number > self.offline_after:
            raise BackOfficeUnavailable("office: ConnectionError")
        records = [{"kind": "item", "id": f"P{number}-{n}"} for n in range(2)]
        return ChangesPage(records, str(number), number < self.pages)

    def upload_events(self, events: Sequence[Mapping[str, Any]]) -> UploadReply:
        keys = [str(e["idempotency_key"]) for e in events]
        self.uploads.append(keys)
        if any(key.startswith("bad") for key in keys):
            raise RequestRefused("office/api/v1/events: refused (400): malformed", 400)
        return UploadReply(
            results=[EventResult(idempotency_key=k, outcome=Outcome.ACCEPTED) for k in keys]
        )


def run_with(store: FakeStore, client: FakeClient, **options: Any) -> SyncRun:
    return SyncRun(store, client, **options)  # type: ignore[arg-type]


def test_pages_are_fetched_ahead_and_applied_in_order_with_their_cursors() -> None:
    """S7/S8: each page is applied with its own cursor, in order; the next one is
    fetched from that cursor while it is applied."""
    store, client = FakeStore(), FakeClient(pages=4)
    changed: list[bool] = []
    run = run_with(store, client, on_configuration_changed=lambda: changed.append(True))
    assert run.pull_changes() == (8, 0, 4)
    assert store.applied == [
        (["P1-0", "P1-1"], "1"),
        (["P2-0", "P2-1"], "2"),
        (["P3-0", "P3-1"], "3"),
        (["P4-0", "P4-1"], "4"),
    ]
    assert client.fetched == [None, "1", "2", "3"]
    assert any(name.startswith("sync-fetch") for name in client.threads)
    assert changed == [True]
    store.cursor = "4"
    client.pages = 4
    client.fetched.clear()
    assert run.pull_changes() == (2, 0, 1)  # from the stored cursor


def test_a_page_that_fails_stops_after_the_last_page_applied() -> None:
    """S8: a failed page leaves the cursor of the page before it; nothing runs on."""
    store, client = FakeStore(fail_on_page=2), FakeClient(pages=5)
    with pytest.raises(RuntimeError, match="disk full"):
        run_with(store, client).pull_changes()
    assert store.applied == [(["P1-0", "P1-1"], "1")]
    assert store.cursor == "1"
    # the page fetched ahead was either cancelled before it started or waited for
    assert client.fetched in ([None, "1"], [None, "1", "2"])


def test_going_offline_between_pages_keeps_what_was_applied() -> None:
    """S8/S10: the pages applied before the connection dropped stay applied."""
    store, client = FakeStore(), FakeClient(pages=5, offline_after=2)
    with pytest.raises(BackOfficeUnavailable):
        run_with(store, client).pull_changes()
    assert [cursor for _, cursor in store.applied] == ["1", "2"]


def test_a_refused_batch_is_split_until_the_bad_event_is_parked() -> None:
    """S4/S5: the good events go in order; the bad one is parked; far fewer requests
    than one per event."""
    keys = [f"ok-{n:02d}" for n in range(32)]
    keys[21] = "bad-21"
    store, client = FakeStore(), FakeClient(pages=1)
    store.pending = [{"idempotency_key": key} for key in keys]
    run = run_with(store, client, batch_size=32)
    assert run.drain_outbox() == (32, 1, 0)
    assert [o.idempotency_key for o in store.outcomes] == keys
    outcomes = {o.idempotency_key: o.outcome for o in store.outcomes}
    assert outcomes["bad-21"] == "rejected"
    assert sum(outcome == "accepted" for outcome in outcomes.values()) == 31
    accepted_in_order = [
        key
        for upload in client.uploads
        if not any(k.startswith("bad") for k in upload)
        for key in upload
    ]
    assert accepted_in_order == [key for key in keys if key != "bad-21"]  # each once, in order
    assert len(client.uploads) <= 2 * 5 + 1  # log2(32) levels, two requests each
