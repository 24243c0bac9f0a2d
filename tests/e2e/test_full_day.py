"""A whole business day, headless, against a live back office: 30 sales, a ticket held
across a restart, a void, two returns through ``pos-app refund``, the X then the Z
report through ``pos-app report``; the Z totals are the sales less the returns, per
payment method and per tax rate, to the cent; after sync the back office holds every
sale, each return against its sale and the day, each once."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from backoffice.models.shifts import SaleRefund, ShiftClosing
from pos_app.engine import AddItem, Close, Redeem
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.till.commands import PayCard, PayCash, VoidTicket
from pos_app.till.manager import Actor
from pos_app.till.shift_commands import ParkTicket, RecallTicket
from pos_app.wiring import open_till
from tests.e2e.conftest import EnrollTill
from tests.e2e.tills import EnrolledTill, run_command
from tests.helpers.live_backoffice import LiveBackOffice

pytestmark = pytest.mark.slow  # starts servers and processes

D = Decimal
BASKETS = [
    [("BURGER", 1), ("FRIES", 1), ("COLA", 1)],
    [("SALAD", 2), ("LEMONADE", 1)],
    [("LATTE", 1), ("COOKIE", 1)],
    [("CAKE", 2), ("TEA", 3)],
    [("WRAP", 1), ("WINE", 1), ("SOUP", 1)],
    [("CHEESEBURGER", 1), ("ONIONRINGS", 2), ("ESPRESSO", 1)],
]
COUPONS = {4: "TP-3", 11: "CV-5", 14: "CUSTOM-1", 21: "tp-3"}  # by ticket number


def sell_day(till: EnrolledTill) -> list[str]:
    """29 sales (a 30th is held): cash and card, with coupons now and then."""
    numbers = []
    register = till.runtime.till
    for n in range(29):
        for sku, qty in BASKETS[n % len(BASKETS)]:
            register.handle(AddItem(None, sku, qty))
        if n in COUPONS:
            register.handle(Redeem(COUPONS[n]))
        if n % 3 == 0:
            register.handle(PayCard(str(register.amount_due)))
        else:
            register.handle(PayCash(str(register.amount_due + 7)))
        numbers.append(register.handle(Close()).number)
    return numbers


def cli_json(till: EnrolledTill, *args: str) -> Any:
    done = run_command("pos-app", "--data-dir", str(till.data_dir), *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_whole_day_closes_to_the_cent_and_reaches_the_back_office_once(
    backoffice: LiveBackOffice, enroll: EnrollTill
) -> None:
    """Z = sales − returns per method and per rate; every sale, return and the day
    reach the back office once."""
    till = enroll("till-day")
    assert till.sync().online
    numbers = sell_day(till)

    register = till.runtime.till
    register.handle(AddItem(None, "BURGER"))
    register.handle(AddItem(None, "COLA"))
    register.handle(Redeem("GP-BURGER"))
    held = register.handle(ParkTicket()).outcome
    register.handle(AddItem(None, "SALAD"))
    access = register.access
    access.set_pin("Grace", "2468", by=None)
    manager = Actor(access.verify_pin("Grace", "2468"))
    register.handle(VoidTicket("Customer left"), manager)

    till.runtime.close()  # the till restarts; the held ticket waits in the database
    till.runtime = open_till(till.data_dir)
    register = till.runtime.till
    (parked,) = register.desk.parked()
    assert parked.number == held
    register.handle(RecallTicket(parked.ticket_id))
    register.handle(PayCash(str(register.amount_due)))
    numbers.append(register.handle(Close()).number)
    assert len(numbers) == 30 and len(set(numbers)) == 30

    tickets = {t["number"]: t for t in cli_json(till, "tickets", "--json")}
    first = tickets[numbers[1]]  # salads and a lemonade, paid in cash
    returned_line = first["lines"][0]
    partial = cli_json(
        till,
        "refund",
        numbers[1],
        "--line",
        returned_line["line_id"],
        "--qty",
        "1",
        "--method",
        "cash",
    )
    assert partial["refund_of"] == numbers[1] and D(partial["amount"]) > 0
    whole = cli_json(till, "refund", numbers[4], "--method", "cash")  # TP-3's ticket, all
    assert D(whole["amount"]) == D(tickets[numbers[4]]["total"])

    x_report = cli_json(till, "report", "x", "--json")
    z_report = cli_json(till, "report", "z", "--json", "--counted", "100.00")
    taken = ("kind", "z_number", "taken_at", "counted_cash", "cash_difference")
    assert {k: v for k, v in x_report.items() if k not in taken} == {
        k: v for k, v in z_report.items() if k not in taken
    }
    assert z_report["counted_cash"] == "100.00" and z_report["z_number"] == 1

    expected = expected_totals(till)
    assert z_report["tickets"] == 30 and z_report["returns_count"] == 2
    assert z_report["voids"] == 1
    assert D(z_report["sales"]) == expected["sales"]
    assert D(z_report["returns"]) == D(partial["amount"]) + D(whole["amount"])
    assert D(z_report["net"]) == expected["sales"] - D(z_report["returns"])
    for method, totals in z_report["by_method"].items():
        assert D(totals["net"]) == expected["by_method"][method], method
    for rate, totals in z_report["tax_by_rate"].items():
        assert (D(totals["base"]), D(totals["tax"])) == expected["by_rate"][rate], rate

    status = till.sync()
    assert status.pending_events == 0 and status.failed_events == 0
    sales = backoffice.sales()
    assert Counter(s["number"] for s in sales) == Counter(numbers)
    by_number = {s["number"]: s for s in sales}
    assert [r["number"] for r in by_number[numbers[1]]["refunds"]] == [partial["number"]]
    assert by_number[numbers[4]]["refunded"] == whole["amount"]
    assert backoffice.count(SaleRefund) == 2 and backoffice.count(ShiftClosing) == 1
    assert till.sync().pending_events == 0  # nothing sent twice
    assert backoffice.count(SaleRefund) == 2 and backoffice.count(ShiftClosing) == 1


def expected_totals(till: EnrolledTill) -> dict[str, Any]:
    """The day's sums straight from the till's rows: sales paid, net by payment method
    (payments less refunds), and per tax rate (line nets and taxes less returned)."""
    from_rows: dict[str, Any] = {"by_method": {"cash": D(0), "card": D(0)}, "by_rate": {}}
    with UnitOfWork(till.runtime.database.sessions) as uow:
        connection = uow.session.connection()
        sales = connection.exec_driver_sql(
            "SELECT paid FROM ticket_headers WHERE kind = 'sale' AND status = 'closed'"
        ).all()
        from_rows["sales"] = sum((D(paid) for (paid,) in sales), D(0))
        for method, amount in connection.exec_driver_sql("SELECT method, amount FROM payments"):
            from_rows["by_method"][method] += D(amount)
        for method, amount in connection.exec_driver_sql("SELECT method, amount FROM refunds"):
            from_rows["by_method"][method] -= D(amount)
        rates: dict[str, tuple[Decimal, Decimal]] = {}
        for rate, net, tax in connection.exec_driver_sql(
            "SELECT t.rate, l.net, t.tax FROM ticket_lines l JOIN line_taxes t"
            " ON t.ticket_id = l.ticket_id AND t.line_id = l.line_id"
        ):
            base, total = rates.get(rate, (D(0), D(0)))
            rates[rate] = (base + D(net), total + D(tax))
        for rate, amount, tax in connection.exec_driver_sql(
            "SELECT t.rate, r.amount, r.tax FROM refund_lines r JOIN refunds f"
            " ON f.refund_id = r.refund_id JOIN line_taxes t"
            " ON t.ticket_id = f.ticket_id AND t.line_id = r.line_id"
        ):
            base, total = rates[rate]
            rates[rate] = (base - D(amount), total - D(tax))
        from_rows["by_rate"] = rates
    return from_rows
