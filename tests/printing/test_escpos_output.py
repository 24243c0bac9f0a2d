"""ESC/POS output through python-escpos: bytes, a real TCP printer, files and errors."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from escpos.printer import Dummy

from pos_app.engine import PricedTicket
from pos_app.printing import (
    PrinterConfig,
    PrinterError,
    Receipt,
    escpos_output,
    kick_drawer,
    print_receipt,
    receipt_rows,
    render_receipt,
)
from tests.printing.conftest import make_receipt

INIT = b"\x1b@"
CUT = b"\x1dV"  # GS V
DRAWER_PIN_2 = b"\x1bp\x00"  # ESC p 0
CODE128 = b"\x1dkI"  # GS k 73
QR_NATIVE = b"\x1d(k"  # GS ( k
RASTER_IMAGE = b"\x1dv0"  # GS v 0


def render(receipt: Receipt, **options: Any) -> bytes:
    printer = Dummy()
    render_receipt(printer, receipt, **options)
    return bytes(printer.output)


class PrinterServer:
    """A one-connection TCP 'printer' on 127.0.0.1 that records every byte it receives."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(5)
        self.port: int = self._sock.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self._sock.accept()
            with conn:
                conn.settimeout(5)
                while chunk := conn.recv(4096):
                    self.received += chunk
        finally:
            self.done.set()

    def data(self) -> bytes:
        assert self.done.wait(5), "the printer connection was never closed"
        return bytes(self.received)

    def close(self) -> None:
        self._sock.close()
        self._thread.join(5)


@pytest.fixture
def server() -> Any:
    """A listening TCP printer, closed after the test."""
    srv = PrinterServer()
    yield srv
    srv.close()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------- bytes (Dummy)


def test_bytes_hold_every_body_row(receipt: Receipt) -> None:
    """Each body row of the layout reaches the printer as text, header first and bold."""
    out = render(receipt, width=42)
    assert out.startswith(INIT)
    assert b"\x1bE\x01" in out  # bold on for the header
    assert out.index(b"Corner Cafe") < out.index(b"Latte")
    for row in receipt_rows(receipt, 42)[3:-1]:
        assert row.strip().encode() in out, row


def test_cut_follows_the_code(receipt: Receipt) -> None:
    """The paper is cut (GS V) after the ticket id's barcode, at the end of the job."""
    out = render(receipt)
    assert CUT in out
    assert out.index(CODE128) < out.rindex(CUT)


def test_barcode_is_code128_of_the_ticket_id(receipt: Receipt) -> None:
    """code=barcode sends GS k 73 with the ticket id in code set B."""
    out = render(receipt, code="barcode")
    data = b"{BS01-D02-000123"
    assert CODE128 + bytes([len(data)]) + data in out
    assert QR_NATIVE not in out


def test_qr_is_native_gs_k_with_the_ticket_id(receipt: Receipt) -> None:
    """code=qr sends the printer's own QR commands (GS ( k) carrying the ticket id."""
    out = render(receipt, code="qr")
    assert QR_NATIVE in out
    assert b"1P0S01-D02-000123" in out  # store-data function with the id
    assert b"\x1d(k\x03\x001Q0" in out  # print the stored symbol
    assert CODE128 not in out


def test_qr_as_image_when_not_native(receipt: Receipt) -> None:
    """native_qr=False renders the QR code as a raster image (GS v 0) instead."""
    out = render(receipt, code="qr", native_qr=False)
    assert RASTER_IMAGE in out
    assert QR_NATIVE not in out


def test_drawer_kick_only_when_asked(receipt: Receipt) -> None:
    """ESC p on pin 2 is sent after the cut only with open_drawer=True."""
    assert DRAWER_PIN_2 not in render(receipt)
    out = render(receipt, open_drawer=True)
    assert DRAWER_PIN_2 in out
    assert out.rindex(CUT) < out.index(DRAWER_PIN_2)
    assert b"\x1bp\x01" in render(receipt, open_drawer=True, drawer_pin=5)


def test_reprint_marker_is_printed_first(receipt: Receipt) -> None:
    """A reprint prints *** REPRINT *** before the store header."""
    out = render(receipt, reprint=True)
    assert out.index(b"*** REPRINT ***") < out.index(b"Corner Cafe")
    assert b"REPRINT" not in render(receipt)


def test_width_48_rows_reach_the_printer(receipt: Receipt) -> None:
    """At 48 columns the printer gets the 48-column rows."""
    out = render(receipt, width=48)
    total = next(r for r in receipt_rows(receipt, 48) if r.startswith("TOTAL"))
    assert len(total) == 48 and total.encode() in out


def test_non_ascii_id_is_refused_before_any_byte(priced: PricedTicket) -> None:
    """A ticket id CODE128 cannot carry is refused before anything is sent."""
    printer = Dummy()
    with pytest.raises(ValueError, match="ASCII"):
        render_receipt(printer, make_receipt(priced, ticket_id="Café-1"), code="barcode")
    assert printer.output == b""


# ---------------------------------------------------------------- real printers


def test_network_printer_over_a_real_socket(receipt: Receipt, server: PrinterServer) -> None:
    """A network printer config sends the whole receipt over TCP to host:port, then closes."""
    config = PrinterConfig("network", host="127.0.0.1", port=server.port, width=42)
    print_receipt(config, receipt)
    data = server.data()
    assert data.startswith(INIT)
    assert b"Corner Cafe" in data and b"TOTAL USD" in data and b"24.90" in data
    assert CODE128 in data and CUT in data
    assert DRAWER_PIN_2 not in data


def test_network_sale_kicks_drawer_but_reprint_does_not(
    receipt: Receipt, server: PrinterServer
) -> None:
    """open_drawer kicks the drawer after a sale's receipt; a reprint never opens it."""
    config = PrinterConfig("network", host="127.0.0.1", port=server.port, open_drawer=True)
    print_receipt(config, receipt)
    assert DRAWER_PIN_2 in server.data()
    again = PrinterServer()
    try:
        config = PrinterConfig("network", host="127.0.0.1", port=again.port, open_drawer=True)
        print_receipt(config, receipt, reprint=True)
        data = again.data()
    finally:
        again.close()
    assert b"*** REPRINT ***" in data and CUT in data
    assert DRAWER_PIN_2 not in data


def test_kick_drawer_sends_only_the_pulse(server: PrinterServer) -> None:
    """kick_drawer opens the drawer with ESC p and prints nothing."""
    kick_drawer(PrinterConfig("network", host="127.0.0.1", port=server.port))
    assert server.data() == DRAWER_PIN_2 + bytes([50, 50])


def test_closed_port_raises_printer_error_naming_host_port(receipt: Receipt) -> None:
    """Connecting to a port nobody listens on raises PrinterError naming host:port."""
    port = closed_port()
    config = PrinterConfig("network", host="127.0.0.1", port=port, timeout=2)
    with pytest.raises(PrinterError, match=re.escape(f"127.0.0.1:{port}")) as caught:
        print_receipt(config, receipt)
    assert caught.value.address == f"network printer 127.0.0.1:{port}"
    assert "cannot open" in caught.value.reason
    with pytest.raises(PrinterError, match=re.escape(f"127.0.0.1:{port}")):
        kick_drawer(config)


def test_file_printer_writes_the_bytes(receipt: Receipt, tmp_path: Path) -> None:
    """A file printer (here with an escpos printer profile) writes the ESC/POS bytes to it."""
    path = tmp_path / "lp0"
    config = PrinterConfig("file", file_path=str(path), code="qr", profile="TM-T88V")
    print_receipt(config, receipt)
    data = path.read_bytes()
    assert data == render(receipt, code="qr")
    assert b"Corner Cafe" in data and CUT in data and QR_NATIVE in data


def test_unwritable_file_names_the_path(receipt: Receipt, tmp_path: Path) -> None:
    """A file printer whose directory is missing raises PrinterError naming the path."""
    path = tmp_path / "missing" / "lp0"
    with pytest.raises(PrinterError, match=re.escape(str(path))):
        print_receipt(PrinterConfig("file", file_path=str(path)), receipt)


def test_usb_printer_not_found_names_the_ids(receipt: Receipt) -> None:
    """A USB printer that cannot be opened raises PrinterError naming vendor:product."""
    config = PrinterConfig("usb", usb_vendor=0x04B8, usb_product=0x0E15)
    with pytest.raises(PrinterError, match="USB printer 04b8:0e15"):
        print_receipt(config, receipt)


def test_failure_mid_job_names_the_printer(
    receipt: Receipt, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails part-way (cable pulled) raises PrinterError naming the printer."""

    class Unplugged(Dummy):  # type: ignore[misc]
        def _raw(self, msg: bytes) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(escpos_output, "_connect", lambda config: Unplugged())
    config = PrinterConfig("network", host="10.0.0.7", port=9100)
    expected = "network printer 10.0.0.7:9100: printing failed: Broken pipe"
    with pytest.raises(PrinterError, match=re.escape(expected)):
        print_receipt(config, receipt)


def test_barcode_config_refuses_non_ascii_id_before_connecting(priced: PricedTicket) -> None:
    """With code=barcode a non-ASCII ticket id fails before connecting, pointing at qr."""
    config = PrinterConfig("network", host="127.0.0.1", port=closed_port())
    with pytest.raises(PrinterError, match=re.escape("set printer.code to qr")):
        print_receipt(config, make_receipt(priced, ticket_id="Café-1"))


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"kind": "serial"}, "printer.kind"),
        ({"kind": "network"}, "printer.host"),
        ({"kind": "network", "host": "h", "port": 0}, "printer.port"),
        ({"kind": "usb", "usb_vendor": 0x04B8}, "printer.usb_product"),
        ({"kind": "file"}, "printer.file_path"),
        ({"kind": "file", "file_path": "x", "width": 40}, "printer.width"),
        ({"kind": "file", "file_path": "x", "code": "pdf417"}, "printer.code"),
        ({"kind": "file", "file_path": "x", "drawer_pin": 3}, "printer.drawer_pin"),
        ({"kind": "file", "file_path": "x", "profile": "TM-NOPE"}, "printer.profile"),
        ({"kind": "file", "file_path": "x", "timeout": 0}, "printer.timeout"),
    ],
)
def test_config_errors_name_the_field(settings: dict[str, Any], field: str) -> None:
    """An invalid printer setting raises ValueError naming the setting at fault."""
    with pytest.raises(ValueError, match=re.escape(field)):
        PrinterConfig(**settings)
