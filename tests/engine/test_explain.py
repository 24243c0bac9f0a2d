"""Explain (R13): every adjustment records stage, kind, source and rule; the trace reads back."""

from __future__ import annotations

import re
from decimal import Decimal

from pos_app.engine import PricedTicket, Ticket, explain_line, explain_ticket
from pos_app.engine.commands import AdjustPrice, ApplyDiscount, Present, Redeem
from tests.helpers.engine_builders import D, coupon, open_ticket, promotion

RULE_IDS = re.compile(r"^R(1[0-3]|[1-9])( R(1[0-3]|[1-9]))*$")


def every_stage_ticket() -> Ticket:
    """One ticket with an adjustment from each of the five stages."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"])],
        [
            coupon("GP", "group_purchase", items=["BURGER"]),
            coupon("CV", "cash_voucher", face_value="1.00"),
        ],
        lines=[
            ("L1", "SALAD", 1),
            ("L2", "BURGER", 1),
            ("L3", "LATTE", 2),
            ("L4", "COLA", 1),
            ("L5", "CAKE", 1),
        ],
    )
    ticket.apply(Present("L1"))
    ticket.apply(AdjustPrice("L5", "5.00"))
    ticket.apply(Redeem("GP"))
    ticket.apply(ApplyDiscount("D1", percent="10"))
    ticket.apply(Redeem("CV"))
    return ticket


def trail(priced: PricedTicket) -> dict[str, list[tuple[int, str, Decimal]]]:
    """Each line's non-zero adjustments as (stage, source, amount)."""
    return {
        line.line_id: [(a.stage, a.source, a.amount) for a in line.adjustments if a.amount != 0]
        for line in priced.lines
    }


def test_each_adjustment_records_stage_and_source() -> None:
    """R13: stage and source of every adjustment, from present to cash voucher."""
    priced = every_stage_ticket().priced
    # D1: 10 % of 16.00 over 0 / 8 / 3 / 5; CV: 1.00 over 7.20 / 2.70 / 4.50.
    assert trail(priced) == {
        "L1": [(1, "L1", D("8.00"))],
        "L2": [(2, "GP", D("12.00"))],
        "L3": [(3, "P1", D("2.00")), (4, "D1", D("0.80")), (5, "CV", D("0.50"))],
        "L4": [(4, "D1", D("0.30")), (5, "CV", D("0.19"))],
        "L5": [(1, "L5", D("1.00")), (4, "D1", D("0.50")), (5, "CV", D("0.31"))],
    }
    assert priced.total == D("13.40")


def test_each_adjustment_names_its_kind() -> None:
    """R13: the kind says what made the change (present, group purchase, percent off, ...)."""
    priced = every_stage_ticket().priced
    kinds = {(a.source, a.kind) for line in priced.lines for a in line.adjustments}
    by_source = {source: kind for source, kind in kinds}
    assert "present" in by_source["L1"]
    assert "adjust" in by_source["L5"]
    assert "group_purchase" in by_source["GP"]
    assert "percent_off" in by_source["P1"]
    assert "discount" in by_source["D1"]
    assert "cash_voucher" in by_source["CV"]


def test_each_adjustment_cites_rule_ids() -> None:
    """R13: every adjustment cites one or more rule ids R1-R13."""
    priced = every_stage_ticket().priced
    rules = [a.rule for line in priced.lines for a in line.adjustments]
    assert rules
    assert all(RULE_IDS.match(rule) for rule in rules), rules


def test_group_purchase_cites_r7_and_store_discount_cites_r9() -> None:
    """R13: a group purchase is explained by R7, a store discount by R9."""
    priced = every_stage_ticket().priced
    cited = {a.source: a.rule.split() for line in priced.lines for a in line.adjustments}
    assert "R7" in cited["GP"]
    assert "R9" in cited["D1"]


def test_adjustments_explain_the_net_exactly() -> None:
    """R13 R3: gross minus the line's adjustments is its net, in stage order."""
    priced = every_stage_ticket().priced
    for line in priced.lines:
        assert line.gross - sum((a.amount for a in line.adjustments), Decimal(0)) == line.net
        stages = [a.stage for a in line.adjustments]
        assert stages == sorted(stages)


def test_gift_line_is_explained_by_its_promotion() -> None:
    """R13: a gift line's price is taken off by its gift promotion."""
    ticket = open_ticket(
        [promotion("G", "gift", threshold="10.00", gift_sku="CAKE")], lines=[("L1", "BURGER", 1)]
    )
    gift = ticket.priced.line("gift:G")
    assert gift is not None
    assert [(a.stage, a.source, a.amount) for a in gift.adjustments] == [(3, "G", D("6.00"))]


def test_raised_price_is_a_negative_adjustment() -> None:
    """R13: re-pricing a burger up to 15.00 is recorded as -3.00 and shown as +3.00."""
    ticket = open_ticket(lines=[("L1", "BURGER", 1)])
    ticket.apply(AdjustPrice("L1", "15.00"))
    line = ticket.priced.line("L1")
    assert line is not None
    assert [(a.stage, a.amount) for a in line.adjustments] == [(1, D("-3.00"))]
    assert line.net == D("15.00")
    assert any("+3.00" in text for text in explain_line(line, ticket.priced))


def test_explain_ticket_walks_from_gross_to_total() -> None:
    """R13: the trace shows each line's gross, each adjustment with its rule, the net, the total."""
    ticket = open_ticket(
        [promotion("P1", "percent_off", percent="20", items=["LATTE"])],
        lines=[("L1", "LATTE", 2), ("L2", "COLA", 1)],
    )
    text = explain_ticket(ticket.priced)
    # Per line: a header, one sentence per adjustment, the net; then the total.
    assert len(text) == (1 + 1 + 1) + (1 + 0 + 1) + 1
    header, step, net, cola_header, cola_net, total = text
    assert header.startswith("L1") and "x2" in header and "10.00" in header
    assert "stage 3" in step and "P1" in step and "2.00" in step and "[R1" in step
    assert net.split() == ["net", "8.00"]
    assert cola_header.startswith("L2") and cola_net.split() == ["net", "3.00"]
    assert total == "total 11.00"


def test_explain_ticket_covers_every_adjustment() -> None:
    """R13: every adjustment on the ticket appears in the trace with its source and rule."""
    priced = every_stage_ticket().priced
    text = "\n".join(explain_ticket(priced))
    for line in priced.lines:
        for a in line.adjustments:
            assert f"stage {a.stage}" in text
            assert f"{a.source} " in text and f"[{a.rule}]" in text
    assert text.splitlines()[-1] == "total 13.40"
