"""The till and its sync daemon write from different threads without losing a number."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from pos_app.store.outbox import enqueue_event
from pos_app.store.sync_store import SyncStore
from pos_app.store.unit_of_work import UnitOfWork
from tests.store.conftest import NOW

THREADS = 4
EVENTS_PER_THREAD = 15


def test_concurrent_writers_get_distinct_consecutive_sequence_numbers(
    sessions: sessionmaker[Session],
) -> None:
    """S13/S1: immediate transactions serialise writers; device_seq has no gap or repeat."""
    store = SyncStore(sessions, lambda: NOW)

    def make_events(worker: int) -> None:
        for i in range(EVENTS_PER_THREAD):
            with UnitOfWork(sessions) as uow:
                enqueue_event(uow.session, "ticket.closed", {"w": worker, "i": i}, NOW)
                uow.commit()

    def apply_pages() -> None:
        for page in range(EVENTS_PER_THREAD):
            sku = f"SKU{page}"
            store.apply_changes_page(
                [
                    {
                        "kind": "item",
                        "version": 1,
                        "id": sku,
                        "data": {"sku": sku, "name": sku, "price": "1.00"},
                    }
                ],
                str(page),
            )

    with ThreadPoolExecutor(THREADS + 1) as pool:
        futures = [pool.submit(make_events, w) for w in range(THREADS)]
        futures.append(pool.submit(apply_pages))
        for future in futures:
            future.result()
    events = store.pending_events(limit=1000)
    total = THREADS * EVENTS_PER_THREAD
    assert [e["device_seq"] for e in events] == list(range(1, total + 1))
    assert store.download_cursor() == str(EVENTS_PER_THREAD - 1)
