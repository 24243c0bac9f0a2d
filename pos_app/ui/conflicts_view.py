"""The conflict list (S6, manager mode): each conflict the back office reported, what it
means, what to do about it, and buttons that record the follow-up."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos_app.protocol.events import EventType
from pos_app.store.sync_store import ConflictReport
from pos_app.till.commands import RefundPackSale, ResolveConflict, TillCommand
from pos_app.till.payments import CASH
from pos_app.ui.style import touch_button


@dataclass(frozen=True)
class ConflictGuide:
    """What a conflict reason means for the store, and the follow-ups to choose from
    (resolution code, button text)."""

    title: str
    advice: str
    resolutions: tuple[tuple[str, str], ...]


GUIDES: dict[str, ConflictGuide] = {
    "COUPON_ALREADY_REDEEMED": ConflictGuide(
        "Coupon redeemed twice",
        "The same single-use coupon was taken at another till while this one was offline."
        " Ask the customer for payment of the coupon's value if they are still here, or"
        " write it off; if it looks like fraud, pass it to the back office.",
        (
            ("collected", "Amount collected"),
            ("written_off", "Write off"),
            ("escalated", "Pass to back office"),
        ),
    ),
    "COUPON_WITHDRAWN": ConflictGuide(
        "Coupon of a refunded pack",
        "A member's coupon was taken while this till was offline, but its pack had been"
        " refunded and the coupon withdrawn. Ask the customer for payment of the coupon's"
        " value if they are still here, or write it off; or pass it to the back office.",
        (
            ("collected", "Amount collected"),
            ("written_off", "Write off"),
            ("escalated", "Pass to back office"),
        ),
    ),
    "PACK_REFUND_REFUSED": ConflictGuide(
        "Pack refunded with a coupon used",
        "A coupon pack was refunded here while one of its coupons had been used at another"
        " till. The back office keeps the pack sold. Ask the customer for the refund back if"
        " they are still here, or write it off; or pass it to the back office.",
        (
            ("collected", "Amount collected"),
            ("written_off", "Write off"),
            ("escalated", "Pass to back office"),
        ),
    ),
    "PACK_LIMIT_EXCEEDED": ConflictGuide(
        "Pack sold past the member's limit",
        "A coupon pack was sold beyond the member's purchase limit while offline. Refund"
        " the extra pack (its coupons are withdrawn), or accept the exception.",
        (
            ("refunded", "Refund the pack"),
            ("accepted", "Accept exception"),
            ("escalated", "Pass to back office"),
        ),
    ),
    "PACK_SOLD_OUT": ConflictGuide(
        "Pack sold with none left",
        "A coupon pack was sold when none was left to sell. Refund it (its coupons are"
        " withdrawn), or pass it to the back office.",
        (("refunded", "Refund the pack"), ("escalated", "Pass to back office")),
    ),
    "TICKET_NUMBER_REUSED": ConflictGuide(
        "Ticket number used twice",
        "The back office already holds another sale under this ticket number from this"
        " till; both sales are kept. A till gives each number once, so its database was"
        " probably restored from an old copy or started fresh. Check the till's backups"
        " and pass it to the back office.",
        (("escalated", "Pass to back office"), ("accepted", "Both sales are real")),
    ),
}
REFUND_PACK = "refunded"  # the follow-up that pays a pack sale back (RefundPackSale)
DEFAULT_GUIDE = ConflictGuide(
    "Conflict",
    "The back office could not accept this event as it was. Check it with the back"
    " office and record what was done.",
    (("escalated", "Pass to back office"), ("written_off", "Write off")),
)


def guide_for(reason: str) -> ConflictGuide:
    """The guide for a conflict reason ("CODE" or "CODE: detail")."""
    return GUIDES.get(reason_code(reason), DEFAULT_GUIDE)


def reason_code(reason: str) -> str:
    """The back office's rule code at the head of a reason ("CODE: detail")."""
    return reason.split(":", 1)[0].strip()


def reason_words(reason: str) -> str:
    """What the back office said after its rule code, in words; "" when it gave none."""
    head, _, rest = reason.partition(":")
    return rest.strip() if rest else ("" if head.strip().isupper() else reason.strip())


def conflict_summary(conflict: ConflictReport, name_of: Callable[[str], str] | None = None) -> str:
    """The event the conflict is about, in a line a manager reads: the ticket's number,
    total and coupons; for a pack sale, the pack, who bought it, its price and its
    coupons' codes. A ticket's coupons go by ``name_of(code)`` when it is given.
    Internal ids stay in :func:`conflict_details`."""
    payload = _payload(conflict)
    if conflict.event_type == EventType.PACK_SOLD:
        buyer = payload.get("member_name") or "a member"
        price = f"{payload.get('currency', '')} {payload.get('price', '')}".strip()
        codes = [c.get("code") for c in payload.get("coupons", []) if isinstance(c, dict)]
        return (
            f"Coupon pack {payload.get('pack_name', '')} sold to {buyer} for {price}"
            f" on {payload.get('local_date', '')} · coupons {', '.join(str(c) for c in codes)}"
        )
    number = payload.get("number")
    parts = [f"Ticket {number}" if number else _EVENT_WORDS.get(conflict.event_type, "A sale")]
    if "total" in payload:
        parts.append(f"total {payload.get('currency', '')} {payload['total']}".replace("  ", " "))
    redeemed = [str(c.get("code")) for c in payload.get("coupons", []) if isinstance(c, dict)]
    if redeemed:
        named = [name_of(code) for code in redeemed] if name_of else redeemed
        parts.append(("coupon " if len(named) == 1 else "coupons ") + ", ".join(named))
    return " · ".join(parts)


def conflict_details(conflict: ConflictReport) -> str:
    """For support, behind the card's Details toggle: the rule code, the event's type,
    the ticket's id and the conflict's key."""
    payload = _payload(conflict)
    lines = [
        f"Reason: {conflict.reason}",
        f"Event: {conflict.event_type}",
        f"Conflict key: {conflict.conflict_key}",
    ]
    if "ticket_id" in payload:
        lines.insert(2, f"Ticket id: {payload['ticket_id']}")
    return "\n".join(lines)


_EVENT_WORDS: dict[str, str] = {
    EventType.TICKET_CLOSED: "A sale",
    EventType.TICKET_REFUNDED: "A return",
}


def _payload(conflict: ConflictReport) -> dict[str, Any]:
    try:
        payload = json.loads(conflict.payload)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def follow_up_command(
    conflict_key: str, resolution: str, note: str, conflicts: Sequence[ConflictReport]
) -> TillCommand:
    """The till command a follow-up button stands for: refunding a pack sale is a
    recorded reversal (K14); any other follow-up is recorded as it is (S6)."""
    conflict = next((c for c in conflicts if c.conflict_key == conflict_key), None)
    if (
        conflict is not None
        and conflict.event_type == EventType.PACK_SOLD
        and resolution == REFUND_PACK
    ):
        return RefundPackSale(conflict_key, CASH, note)
    return ResolveConflict(conflict_key, resolution, note)


class ConflictsView(QScrollArea):
    """A card per open conflict: reason, the event, advice, a note field and a button
    per follow-up. Emits ``resolve_requested(conflict_key, resolution, note)``.
    Main thread only."""

    resolve_requested = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.buttons: dict[tuple[str, str], QPushButton] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.details: dict[str, tuple[QPushButton, QLabel]] = {}
        self.conflicts: list[ConflictReport] = []
        self._coupon_name: Callable[[str], str] | None = None
        self.show_conflicts([])

    def show_conflicts(
        self,
        conflicts: Sequence[ConflictReport],
        coupon_name: Callable[[str], str] | None = None,
    ) -> None:
        """Redraw the cards; ``coupon_name(code)`` names a ticket's coupons."""
        self.conflicts = list(conflicts)
        self._coupon_name = coupon_name
        self.buttons = {}
        self.notes = {}
        self.details = {}
        inner = QWidget()
        layout = QVBoxLayout(inner)
        if not conflicts:
            layout.addWidget(QLabel("No open conflicts. Nothing to do."))
        for conflict in conflicts:
            layout.addWidget(self._card(conflict))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(inner)

    def _card(self, conflict: ConflictReport) -> QFrame:
        guide = guide_for(conflict.reason)
        frame = QFrame()
        frame.setObjectName("card")
        layout = QVBoxLayout(frame)
        title = QLabel(
            f"<b>{guide.title}</b> · reported {conflict.reported_at.astimezone():%Y-%m-%d %H:%M}"
        )
        said = reason_words(conflict.reason)
        reason = QLabel(f"Back office: {said}")
        reason.setWordWrap(True)
        reason.setVisible(bool(said))
        event = QLabel(conflict_summary(conflict, self._coupon_name))
        event.setWordWrap(True)
        advice = QLabel(f"What to do: {guide.advice}")
        advice.setWordWrap(True)
        advice.setObjectName("advice")
        note = QLineEdit()
        note.setPlaceholderText("Note (what was done, who was told)")
        self.notes[conflict.conflict_key] = note
        buttons = QHBoxLayout()
        for resolution, text in guide.resolutions:
            button = touch_button(text, "primary" if resolution != "escalated" else "action")
            button.clicked.connect(
                lambda _=False, k=conflict.conflict_key, r=resolution, n=note: (
                    self.resolve_requested.emit(k, r, n.text().strip())
                )
            )
            buttons.addWidget(button)
            self.buttons[(conflict.conflict_key, resolution)] = button
        details = QLabel(conflict_details(conflict))
        details.setWordWrap(True)
        details.setObjectName("details")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.hide()
        toggle = touch_button("Details", "action")
        toggle.setCheckable(True)
        toggle.toggled.connect(details.setVisible)
        buttons.addWidget(toggle)
        self.details[conflict.conflict_key] = (toggle, details)
        for widget in (title, reason, event, advice, note):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(details)
        return frame
