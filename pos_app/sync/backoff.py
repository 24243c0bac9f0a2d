"""Exponential backoff with full jitter for probing the back office (S10)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays of 1 s growing ×2 per failure to at most 60 s, each drawn with jitter.

    ``next_delay()`` after a failure; ``reset()`` after a success.
    """

    initial: float = 1.0
    maximum: float = 60.0
    factor: float = 2.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def ceiling(self) -> float:
        """The delay bound for the current number of failures."""
        return float(min(self.maximum, self.initial * self.factor ** max(0, self.failures - 1)))

    def next_delay(self) -> float:
        """Record a failure and return how long to wait: between half and all of the
        ceiling, so many tills coming back at once do not stampede."""
        self.failures += 1
        ceiling = self.ceiling()
        return ceiling / 2 + self.rng.random() * ceiling / 2

    def reset(self) -> None:
        self.failures = 0
