"""Receipts: the on-screen preview, and printing through python-escpos to a real TCP
socket on 127.0.0.1 (text, GS V cut, ESC p drawer kick), reprint, and a printer that
cannot be reached."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.printing import PrinterConfig
from pos_app.ui.printer_settings import load_printer_config, save_printer_config
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import PrinterServer, Screen, open_screen

CUT = b"\x1dV"  # GS V
DRAWER_KICK = b"\x1bp"  # ESC p
CODE128 = b"\x1dk"  # GS k


@pytest.fixture
def screen(strict_screen: Screen) -> Screen:
    """These tests set the till's first manager up themselves."""
    return strict_screen


def sell_cola_for_cash(screen: Screen) -> None:
    screen.tap_product("COLA")
    screen.click(screen.window.ticket.pay)
    screen.click(screen.window.sale.checkout.notes["5"])
    screen.click(screen.window.sale.checkout.close_sale)


@pytest.fixture
def printing_screen(
    qtbot: QtBot, data_dir: Path, clock: FakeClock, printer_server: PrinterServer
) -> Iterator[Screen]:
    save_printer_config(
        data_dir,
        PrinterConfig(kind="network", host="127.0.0.1", port=printer_server.port, open_drawer=True),
    )
    opened = open_screen(qtbot, data_dir, clock, (1024, 768))
    yield opened
    opened.settle()
    opened.app.close()


def test_without_a_printer_the_receipt_is_a_preview(screen: Screen) -> None:
    """No printer set up: the preview shows the receipt at 42 columns, preview only."""
    sell_cola_for_cash(screen)
    preview = screen.window.sale.receipt_preview
    assert preview.isVisible()
    assert preview.status.text() == "No printer is set up: preview only."
    rows = preview.text.splitlines()
    assert rows[0].strip() == "Demo Diner"
    assert all(len(row) == 42 for row in rows)
    assert any(row.startswith("Cola") and row.endswith("3.00") for row in rows)
    assert any(row.startswith("TOTAL USD") for row in rows)
    assert rows[-1].strip().startswith("[CODE128 ")
    assert not preview.print_button.isVisible()


def test_a_sale_prints_on_a_network_printer_and_kicks_the_drawer(
    printing_screen: Screen, printer_server: PrinterServer
) -> None:
    """The receipt's ESC/POS bytes reach 127.0.0.1:port: header, lines, totals,
    payment, the ticket id as CODE128, a cut (GS V), then the drawer kick (ESC p)."""
    screen = printing_screen
    with screen.qtbot.waitSignal(screen.devices.printed) as printed:
        sell_cola_for_cash(screen)
    (job,) = printer_server.wait_for_jobs(1)
    number = screen.window.sale.receipt_preview.receipt.number  # type: ignore[union-attr]
    assert printed.args == [f"Printed on network printer 127.0.0.1:{printer_server.port}"]
    for text in (b"Demo Diner", b"Cola", b"TOTAL USD", b"Cash", b"Change", b"2.00"):
        assert text in job, text
    assert CODE128 in job and number.encode() in job  # the short number, never the id
    assert CUT in job and DRAWER_KICK in job
    assert job.index(CUT) < job.rindex(DRAWER_KICK)
    assert screen.window.sale.receipt_preview.status.text().startswith("Printed on network printer")


def test_reprint_marks_the_receipt_and_leaves_the_drawer_shut(
    printing_screen: Screen, printer_server: PrinterServer
) -> None:
    """Reprint from the preview: REPRINT on the paper, no drawer kick."""
    screen = printing_screen
    sell_cola_for_cash(screen)
    printer_server.wait_for_jobs(1)
    screen.click(screen.window.sale.receipt_preview.reprint_button)
    jobs = printer_server.wait_for_jobs(2)
    assert b"REPRINT" in jobs[1] and b"REPRINT" not in jobs[0]
    assert CUT in jobs[1] and DRAWER_KICK not in jobs[1]


def test_a_printer_that_cannot_be_reached_is_named(
    qtbot: QtBot, data_dir: Path, clock: FakeClock
) -> None:
    """A closed port: the sale is closed anyway and the preview names host:port."""
    server = PrinterServer()
    port = server.port
    server.close()
    save_printer_config(data_dir, PrinterConfig(kind="network", host="127.0.0.1", port=port))
    screen = open_screen(qtbot, data_dir, clock, (1024, 768))
    try:
        with qtbot.waitSignal(screen.devices.print_failed) as failed:
            sell_cola_for_cash(screen)
        assert failed.args[0].code == "PRINTER_ERROR"
        status = screen.window.sale.receipt_preview.status.text()
        assert f"network printer 127.0.0.1:{port}" in status
        assert screen.line_ids() == []  # the sale itself was closed
    finally:
        screen.app.close()


def test_manager_sets_the_printer_up_in_manager_mode(screen: Screen, data_dir: Path) -> None:
    """The printer panel writes the settings file (network, 48 columns, QR)."""
    manager = screen.manager
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", "2468", by=None))
    screen.do(lambda: manager.verify_pin("Grace", "2468"))
    mode = screen.window.manager.manager_mode
    panel = mode.printer
    mode.show_tab(panel)
    panel.kind.setCurrentIndex(panel.kind.findData("network"))
    panel.host.setText("10.0.0.7")
    panel.port.setText("9100")
    panel.paper_width.setCurrentIndex(panel.paper_width.findData(48))
    panel.code.setCurrentIndex(panel.code.findData("qr"))
    screen.click(panel.save)
    config = load_printer_config(data_dir)
    assert config == PrinterConfig(kind="network", host="10.0.0.7", port=9100, width=48, code="qr")
    assert json.loads((data_dir / "printer.json").read_text())["host"] == "10.0.0.7"
    assert panel.message.text() == "Saved."
    panel.port.setText("http")
    screen.click(panel.save)
    assert panel.message.text() == "printer.port must be a number 1-65535"


def test_cash_in_or_out_kicks_the_drawer_on_the_network_printer(
    printing_screen: Screen, printer_server: PrinterServer
) -> None:
    """Issue 20: the float and cash in / out open the drawer (ESC p, nothing printed)
    on the printer set to open it, over a real socket on 127.0.0.1."""
    screen = printing_screen
    window = screen.window
    with screen.qtbot.waitSignal(screen.devices.printed) as printed:
        screen.click(window.status.cash_button)
        move = window.staff.cash_move
        for key in "25":
            screen.qtbot.mouseClick(move.numpad.keys[key], Qt.MouseButton.LeftButton)
        screen.click(move.reasons["Change from the bank"])
        assert move.confirm.text() == "Put in 25 USD"
        screen.click(move.confirm)
    (job,) = printer_server.wait_for_jobs(1)
    assert printed.args == ["Drawer opened"]
    assert DRAWER_KICK in job and b"Cash" not in job  # the kick alone, no paper
    report = screen.app.runtime.till.desk.report()
    assert report.cash_in == 25
