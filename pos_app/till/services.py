"""The till's service objects, as its handlers reach them."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.store.unit_of_work import TillDatabase
from pos_app.till.clock import Clock
from pos_app.till.configuration import LiveConfiguration
from pos_app.till.drawer import Drawer
from pos_app.till.held_tickets import HeldTickets
from pos_app.till.manager import ManagerAccess
from pos_app.till.members import Members
from pos_app.till.open_ticket import OpenTicket
from pos_app.till.pack_sales import PackSales
from pos_app.till.returns import Returns
from pos_app.till.shift import BusinessDay
from pos_app.till.staff import StaffDesk


@dataclass(frozen=True)
class TillServices:
    """One till's services over one database, wired by :class:`~pos_app.till.till.Till`:
    each keeps its own state and is reached only through its public methods; they share
    the database's units of work (one per action). ``clock`` is the device clock."""

    database: TillDatabase
    clock: Clock
    configuration: LiveConfiguration
    ticket: OpenTicket
    access: ManagerAccess
    held: HeldTickets
    day: BusinessDay
    returns: Returns
    packs: PackSales
    members: Members
    staff: StaffDesk
    drawer: Drawer
