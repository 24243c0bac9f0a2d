"""What the controllers' signals carry, where a result alone would not say it: small
frozen dataclasses, one per kind of news (each signal's payload type is named where it
is declared, with :func:`~pos_app.ui.typed_signals.typed_signal`)."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.printing import PrinterConfig, Receipt
from pos_app.store.sync_store import ConflictReport
from pos_app.sync.parked import ParkedLine
from pos_app.till.members import MemberCard
from pos_app.till.shift_desk import ParkedSummary, RefundDone
from pos_app.till.ticket_diff import TicketNotice
from pos_app.till.till import TicketChange
from pos_app.till.wallet import Wallet


@dataclass(frozen=True)
class ClosedSale:
    """A sale just closed: what was sold (``change``), its receipt, and the new ticket."""

    change: TicketChange
    receipt: Receipt
    fresh: TicketChange


@dataclass(frozen=True)
class ReturnDone:
    """A return just made: what it gave back and its slip."""

    done: RefundDone
    receipt: Receipt


@dataclass(frozen=True)
class LineSelection:
    """The line the buttons act on now (None: no line)."""

    line_id: str | None


@dataclass(frozen=True)
class TicketNotices:
    """What a recalculation changed on the ticket, in the cashier's words."""

    notices: tuple[TicketNotice, ...]


@dataclass(frozen=True)
class ManagerChange:
    """Who is signed in as manager now (None: nobody; the till is a cashier's)."""

    name: str | None


@dataclass(frozen=True)
class ManagerNames:
    """The till's managers, by name."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class OpenConflicts:
    """The sync conflicts still waiting for a manager's follow-up."""

    conflicts: tuple[ConflictReport, ...]


@dataclass(frozen=True)
class ParkedEvents:
    """The events the back office refused, parked with their reason in words (S5)."""

    events: tuple[ParkedLine, ...]


@dataclass(frozen=True)
class MembersFound:
    """The members a phone number found (maybe none)."""

    cards: tuple[MemberCard, ...]


@dataclass(frozen=True)
class WalletLoaded:
    """The ticket's member's wallet (None: the ticket is for no member)."""

    wallet: Wallet | None


@dataclass(frozen=True)
class ParkedTickets:
    """The held tickets, oldest first."""

    tickets: tuple[ParkedSummary, ...]


@dataclass(frozen=True)
class PrinterSetting:
    """The receipt printer now set up (None: none, receipts are previewed only)."""

    config: PrinterConfig | None


@dataclass(frozen=True)
class RedemptionWarning:
    """A typed or scanned coupon ``code`` whose redemption would raise the bill, and the
    sentence that says so (``text``, money with its currency), asked before it is done."""

    code: str
    text: str
