"""The explain trace (R13): why a line costs what it costs, in words a cashier reads."""

from __future__ import annotations

from pos_app.engine.priced_ticket import PricedLine, PricedTicket

STAGE_NAMES = {
    1: "manual pricing",
    2: "coupon on original price",
    3: "promotion",
    4: "local discount",
    5: "coupon on discounted price",
}


def explain_line(line: PricedLine, ticket: PricedTicket) -> list[str]:
    """One sentence per step from the line's gross to its net."""
    fmt = ticket.currency.format
    out = [f"{line.line_id} {line.name} x{line.qty} @ {fmt(line.unit_price)} = {fmt(line.gross)}"]
    for a in line.adjustments:
        sign = "-" if a.amount >= 0 else "+"
        note = f" ({a.note})" if a.note else ""
        out.append(
            f"  stage {a.stage} {STAGE_NAMES.get(a.stage, '')}: {a.kind} {a.source}"
            f" {sign}{fmt(abs(a.amount))} [{a.rule}]{note}"
        )
    out.append(f"  net {fmt(line.net)}")
    return out


def explain_ticket(ticket: PricedTicket) -> list[str]:
    """The explain trace of every line, then the total."""
    out: list[str] = []
    for line in ticket.lines:
        out.extend(explain_line(line, ticket))
    out.append(f"total {ticket.currency.format(ticket.total)}")
    return out
