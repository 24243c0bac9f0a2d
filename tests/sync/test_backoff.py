"""S10: the daemon's probe delays grow from 1 s to at most 60 s, with jitter."""

from __future__ import annotations

import random

from pos_app.sync.backoff import Backoff


def test_delays_double_from_one_second_up_to_sixty() -> None:
    """S10: ceilings 1, 2, 4, ... capped at 60 s."""
    backoff = Backoff(rng=random.Random(1))
    ceilings = []
    for _ in range(10):
        backoff.next_delay()
        ceilings.append(backoff.ceiling())
    assert ceilings == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]


def test_each_delay_is_jittered_within_half_and_all_of_its_ceiling() -> None:
    """S10: jitter keeps every delay in [ceiling/2, ceiling] and they are not all equal."""
    backoff = Backoff(rng=random.Random(7))
    delays = []
    for _ in range(30):
        delay = backoff.next_delay()
        assert backoff.ceiling() / 2 <= delay <= backoff.ceiling()
        delays.append(delay)
    assert len(set(delays[-20:])) > 1


def test_reset_after_success_starts_again_at_one_second() -> None:
    """S10: the first failure after a success waits about 1 s again."""
    backoff = Backoff(rng=random.Random(3))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1.0
