"""What the cashier sees of sync at a glance (S11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

CLOCK_SKEW_LIMIT = timedelta(minutes=5)


class SyncProblem(StrEnum):
    """Why the last attempt failed, as the cashier reads it (S11, S17): a till whose
    back office answers 500, or revoked it, does not say "offline"."""

    OFFLINE = "offline"
    SERVER_ERROR = "server error"
    REVOKED = "device revoked: enroll again"
    TOKEN_EXPIRED = "token expired: enroll again"
    NOT_AUTHORIZED = "not authorized"
    REFUSED = "refused by the back office"


@dataclass(frozen=True)
class SyncStatus:
    """Online or offline, events waiting, conflicts, last success, last problem, and
    whether the till's clock is more than 5 minutes off the back office's (S13)."""

    online: bool = False
    pending_events: int = 0
    failed_events: int = 0
    open_conflicts: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    clock_skew: timedelta | None = None
    problem: SyncProblem | None = None  # why it is not online (None: offline or online)

    @property
    def state(self) -> str:
        """ "online", "offline", "server error", "device revoked: enroll again", ..."""
        if self.online:
            return "online"
        return (self.problem or SyncProblem.OFFLINE).value

    @property
    def clock_warning(self) -> bool:
        return self.clock_skew is not None and abs(self.clock_skew) > CLOCK_SKEW_LIMIT

    def summary(self) -> str:
        """One short line for a status bar."""
        parts = [self.state, f"{self.pending_events} waiting"]
        if self.failed_events:
            parts.append(f"{self.failed_events} parked")
        if self.open_conflicts:
            parts.append(f"{self.open_conflicts} conflicts")
        if self.last_success:
            parts.append(f"last sync {self.last_success:%H:%M:%S}")
        if self.clock_warning:
            parts.append("check the clock")
        return " · ".join(parts)
