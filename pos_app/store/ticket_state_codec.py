"""The engine's TicketState as JSON text, for the open-ticket row (crash recovery).

Amounts are decimal strings; the format carries a version so a later till can read
what an earlier one wrote.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pos_app.engine import LineState, PackLine, Redemption, StoreDiscount, TicketState

FORMAT_VERSION = 1


class TicketStateFormatError(ValueError):
    """Stored ticket state that this till cannot read."""


def dump_ticket_state(state: TicketState) -> str:
    """The state as compact JSON text."""
    return json.dumps(
        {
            "format": FORMAT_VERSION,
            "lines": [
                {
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "qty": line.qty,
                    "unit_price": str(line.unit_price),
                    "presented": line.presented,
                    "adjusted_price": _text(line.adjusted_price),
                }
                for line in state.lines
            ],
            "discounts": [
                {
                    "discount_id": d.discount_id,
                    "percent": _text(d.percent),
                    "amount": _text(d.amount),
                    "line_id": d.line_id,
                }
                for d in state.discounts
            ],
            "redemptions": [
                {
                    "code": r.code,
                    "claimed_lines": list(r.claimed_lines),
                    "promotions_before": {
                        line_id: sorted(ids) for line_id, ids in r.promotions_before.items()
                    },
                }
                for r in state.redemptions
            ],
            "triggered": list(state.triggered),
            "cancelled": list(state.cancelled),
            "closed": state.closed,
            "packs": [
                {
                    "line_id": pack.line_id,
                    "pack_id": pack.pack_id,
                    "name": pack.name,
                    "price": str(pack.price),
                    "member_id": pack.member_id,
                }
                for pack in state.packs
            ],
        },
        separators=(",", ":"),
    )


def load_ticket_state(text: str) -> TicketState:
    """The state written by :func:`dump_ticket_state`."""
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT_VERSION:
            raise TicketStateFormatError(f"unknown ticket state format {raw.get('format')!r}")
        return TicketState(
            lines=tuple(_line(x) for x in raw["lines"]),
            discounts=tuple(_discount(x) for x in raw["discounts"]),
            redemptions=tuple(_redemption(x) for x in raw["redemptions"]),
            triggered=tuple(raw["triggered"]),
            cancelled=tuple(raw["cancelled"]),
            closed=bool(raw["closed"]),
            packs=tuple(_pack(x) for x in raw.get("packs", ())),  # none before packs
        )
    except TicketStateFormatError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise TicketStateFormatError(f"unreadable ticket state: {exc}") from None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _line(raw: Mapping[str, Any]) -> LineState:
    return LineState(
        line_id=raw["line_id"],
        sku=raw["sku"],
        qty=int(raw["qty"]),
        unit_price=Decimal(raw["unit_price"]),
        presented=bool(raw["presented"]),
        adjusted_price=_decimal(raw["adjusted_price"]),
    )


def _discount(raw: Mapping[str, Any]) -> StoreDiscount:
    return StoreDiscount(
        discount_id=raw["discount_id"],
        percent=_decimal(raw["percent"]),
        amount=_decimal(raw["amount"]),
        line_id=raw["line_id"],
    )


def _redemption(raw: Mapping[str, Any]) -> Redemption:
    return Redemption(
        code=raw["code"],
        claimed_lines=tuple(raw["claimed_lines"]),
        promotions_before={
            line_id: frozenset(ids) for line_id, ids in raw["promotions_before"].items()
        },
    )


def _pack(raw: Mapping[str, Any]) -> PackLine:
    return PackLine(
        line_id=raw["line_id"],
        pack_id=raw["pack_id"],
        name=raw["name"],
        price=Decimal(raw["price"]),
        member_id=raw["member_id"],
    )
