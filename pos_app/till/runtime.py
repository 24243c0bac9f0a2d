"""The running pieces of one till data directory, as :mod:`pos_app.wiring` builds them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pos_app.store.sync_store import SyncStore
from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock
from pos_app.till.manager import ManagerAccess
from pos_app.till.pack_sales import PackDesk
from pos_app.till.till import Till


@dataclass
class TillRuntime:
    """The database, the till over it, manager access and the sync side of one data
    directory. Screens and commands receive one; only the wiring builds it.
    :meth:`close` lets the database's connections go."""

    data_dir: Path
    database: TillDatabase
    clock: Clock
    till: Till
    sync_store: SyncStore
    pack_desk: PackDesk | None = None  # online pack reservations, when enrolled

    @property
    def access(self) -> ManagerAccess:
        return self.till.access

    def new_till(self, pricing_clock: Clock | None = None) -> Till:
        """Another till on the same database (restores its open ticket), e.g. with a
        pinned pricing clock for a scenario replay."""
        return Till(
            self.database,
            self.clock,
            pricing_clock=pricing_clock,
            access=self.access,
            pack_desk=self.pack_desk,
        )

    def close(self) -> None:
        if self.pack_desk is not None:
            self.pack_desk.close()
        self.database.dispose()
