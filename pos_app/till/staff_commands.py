"""The commands of the people at the till and of its drawer: signing in and out, a
person added at the till by a manager, the day's opening float and cash put in or taken
out with a reason. :meth:`pos_app.till.till.Till.handle` takes each like any other."""

from __future__ import annotations

from dataclasses import dataclass

RETURN_REASONS = (
    "Damaged or faulty",
    "Wrong item",
    "Changed mind",
    "Not as described",
    "Price dispute",
)
CASH_IN_REASONS = ("Change from the bank", "Float top-up", "Correction")
CASH_OUT_REASONS = ("Bank deposit", "Safe drop", "Paid out to a supplier", "Correction")


@dataclass(frozen=True)
class SignIn:
    """``staff_id`` starts working the till with their PIN; whoever was signed in is
    signed out (a shared till switches)."""

    staff_id: str
    pin: str


@dataclass(frozen=True)
class SignOut:
    """The cashier signed in leaves the till (end of shift)."""


@dataclass(frozen=True)
class AddStaff:
    """A manager adds a cashier or manager at this till (kept here, offline too)."""

    name: str
    role: str
    pin: str


@dataclass(frozen=True)
class SetFloat:
    """The cash put in the drawer at the start of the day (once a day)."""

    amount: object


@dataclass(frozen=True)
class CashIn:
    """Cash put into the drawer outside a sale, with a reason."""

    amount: object
    reason: str


@dataclass(frozen=True)
class CashOut:
    """Cash taken out of the drawer outside a sale, with a reason (a manager approves)."""

    amount: object
    reason: str


STAFF_COMMANDS = (SignIn, SignOut, AddStaff, SetFloat, CashIn, CashOut)
StaffCommand = SignIn | SignOut | AddStaff | SetFloat | CashIn | CashOut
