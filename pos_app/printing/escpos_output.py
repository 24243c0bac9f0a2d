"""Receipts on ESC/POS printers through python-escpos: network, USB or file; the cash drawer.

:func:`render_receipt` writes a :class:`~pos_app.printing.receipt.Receipt` to any
escpos printer object (a ``Dummy`` collects the bytes). :func:`print_receipt` and
:func:`kick_drawer` open the printer a :class:`PrinterConfig` describes, run one
job and close it; every failure comes out as a :class:`PrinterError` that names
the printer's address. These calls block on I/O: run them off the UI thread.
"""

from __future__ import annotations

import contextlib
import io
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from escpos.capabilities import CAPABILITIES
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Usb

from pos_app.printing.layout import (
    CODE_KINDS,
    SUPPORTED_WIDTHS,
    CodeKind,
    ReceiptLayout,
    layout_receipt,
)
from pos_app.printing.receipt import Receipt

PrinterKind = Literal["network", "usb", "file"]
PRINTER_KINDS: tuple[PrinterKind, ...] = ("network", "usb", "file")

BARCODE_HEIGHT = 64  # dots
BARCODE_MODULE = 2  # dots per module: a 20-character id (~255 modules) fits 512 dots
QR_MODULE = 6  # dots per QR module
MAX_CODE128_LENGTH = 80


class PrinterError(Exception):
    """A printer could not be reached, or failed during a job.

    ``address`` names the printer at fault ("network printer 10.0.0.7:9100",
    "USB printer 04b8:0202", "file printer /dev/usb/lp0"); ``reason`` says why.
    """

    code = "PRINTER_ERROR"

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"{address}: {reason}")
        self.address = address
        self.reason = reason


@dataclass(frozen=True)
class PrinterConfig:
    """Which receipt printer to use and how to print on it.

    ``kind`` picks the connection: ``network`` (``host``:``port``), ``usb``
    (``usb_vendor``/``usb_product`` ids) or ``file`` (``file_path``, e.g.
    ``/dev/usb/lp0``). ``width`` is the paper's columns (42 or 48); ``code`` prints
    the ticket id as a CODE128 ``barcode`` or a ``qr`` code; ``open_drawer`` kicks
    the cash drawer on ``drawer_pin`` after each sale's receipt (never on reprint).
    Invalid settings raise ValueError naming the field.
    """

    kind: PrinterKind
    host: str = ""
    port: int = 9100
    usb_vendor: int = 0
    usb_product: int = 0
    file_path: str = ""
    width: int = 42
    code: CodeKind = "barcode"
    open_drawer: bool = False
    drawer_pin: Literal[2, 5] = 2
    timeout: float = 10.0
    native_qr: bool = True
    profile: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in PRINTER_KINDS:
            raise ValueError(f"printer.kind must be network, usb or file, not {self.kind!r}")
        if self.kind == "network":
            if not self.host.strip():
                raise ValueError("printer.host is required for a network printer")
            if isinstance(self.port, bool) or not 0 < self.port < 65536:
                raise ValueError(f"printer.port must be 1-65535, not {self.port!r}")
        if self.kind == "usb":
            for name in ("usb_vendor", "usb_product"):
                value = getattr(self, name)
                if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 0xFFFF:
                    raise ValueError(
                        f"printer.{name} must be a USB id 0x0001-0xFFFF, not {value!r}"
                    )
        if self.kind == "file" and not self.file_path.strip():
            raise ValueError("printer.file_path is required for a file printer")
        if self.width not in SUPPORTED_WIDTHS:
            raise ValueError(f"printer.width must be 42 or 48, not {self.width!r}")
        if self.code not in CODE_KINDS:
            raise ValueError(f"printer.code must be barcode or qr, not {self.code!r}")
        if self.drawer_pin not in (2, 5):
            raise ValueError(f"printer.drawer_pin must be 2 or 5, not {self.drawer_pin!r}")
        if self.profile is not None and self.profile not in CAPABILITIES["profiles"]:
            raise ValueError(f"printer.profile {self.profile!r} is not a python-escpos profile")
        if not self.timeout > 0:
            raise ValueError(f"printer.timeout must be positive, not {self.timeout!r}")

    @property
    def address(self) -> str:
        """The printer as an operator finds it: host:port, USB ids or the file path."""
        if self.kind == "network":
            return f"network printer {self.host}:{self.port}"
        if self.kind == "usb":
            return f"USB printer {self.usb_vendor:04x}:{self.usb_product:04x}"
        return f"file printer {self.file_path}"


def _reason(exc: BaseException) -> str:
    """The most useful words for ``exc``: the underlying OS error when escpos wrapped one."""
    for candidate in (exc, exc.__cause__, exc.__context__):
        if isinstance(candidate, OSError):
            text = candidate.strerror or str(candidate) or type(candidate).__name__
            return text if not candidate.errno else f"{text} (errno {candidate.errno})"
    if isinstance(exc, EscposError):
        return str(getattr(exc, "msg", "") or exc).strip().replace("\n", " ")
    return str(exc) or type(exc).__name__


def _connect(config: PrinterConfig) -> Any:
    """The escpos printer object for ``config``, connected."""
    options: dict[str, Any] = {"profile": config.profile} if config.profile else {}
    if config.kind == "network":
        printer = Network(config.host, config.port, timeout=config.timeout, **options)
        # Our own connect: escpos's open() is IPv4-only and leaks the socket on failure.
        printer.device = socket.create_connection(
            (config.host, config.port), timeout=config.timeout
        )
        return printer
    if config.kind == "usb":
        if not Usb.is_usable():  # checked first: an unusable Usb also fails in __del__
            raise RuntimeError("USB printing needs pyusb installed")
        timeout_ms = int(config.timeout * 1000)
        printer = Usb(config.usb_vendor, config.usb_product, timeout=timeout_ms, **options)
    else:
        printer = File(config.file_path, **options)
    try:
        printer.open()
    except BaseException:
        _close_quietly(printer)
        raise
    return printer


def open_printer(config: PrinterConfig) -> Any:
    """An open escpos printer for ``config``; PrinterError naming the address if unreachable."""
    try:
        return _connect(config)
    except (EscposError, OSError, RuntimeError, ValueError) as exc:
        # ValueError: pyusb's NoBackendError when libusb is missing.
        raise PrinterError(config.address, f"cannot open: {_reason(exc)}") from exc


def _close_quietly(printer: Any) -> None:
    with contextlib.suppress(Exception):
        printer.close()


def _run_job(config: PrinterConfig, job: Callable[[Any], None]) -> None:
    """Open the printer, run ``job`` on it and close it; failures become PrinterError."""
    printer = open_printer(config)
    try:
        job(printer)
        printer.close()
    except (EscposError, OSError) as exc:
        _close_quietly(printer)
        raise PrinterError(config.address, f"printing failed: {_reason(exc)}") from exc
    except BaseException:
        _close_quietly(printer)
        raise


# ---------------------------------------------------------------- rendering


def check_code128(data: str) -> None:
    """ValueError unless ``data`` can be a CODE128 (code set B) barcode: printable ASCII."""
    if not data or len(data) > MAX_CODE128_LENGTH:
        raise ValueError(
            f"Ticket id {data!r} must be 1-{MAX_CODE128_LENGTH} characters for CODE128"
        )
    if not all(" " <= ch <= "~" for ch in data):
        raise ValueError(f"Ticket id {data!r} is not printable ASCII; CODE128 cannot carry it")


def _print_code(printer: Any, layout: ReceiptLayout, native_qr: bool) -> None:
    mark = layout.code
    printer.set(align="center", bold=False)
    if mark.kind == "barcode":
        # python-escpos reports its renderer choice on stdout; keep the till's console clean.
        with contextlib.redirect_stdout(io.StringIO()):
            printer.barcode(
                "{B" + mark.data,
                "CODE128",
                height=BARCODE_HEIGHT,
                width=BARCODE_MODULE,
                pos="BELOW",
                function_type="B",
            )
    elif native_qr:
        printer.qr(mark.data, size=QR_MODULE, native=True)
        printer.textln(mark.data)
    else:
        printer.qr(mark.data, size=QR_MODULE, native=False, center=True)
        printer.textln(mark.data)
    printer.set(align="left")


def render_receipt(
    printer: Any,
    receipt: Receipt,
    *,
    width: int = 42,
    code: str = "barcode",
    reprint: bool = False,
    open_drawer: bool = False,
    drawer_pin: int = 2,
    native_qr: bool = True,
) -> None:
    """Write ``receipt`` to an escpos ``printer``: reprint mark, bold centred header, the
    layout's rows, the ticket id's code, a cut, then the drawer kick if asked.

    Checks the layout and the code's data before sending a byte.
    """
    layout = layout_receipt(receipt, width, code=code, reprint=reprint)
    if layout.code.kind == "barcode":
        check_code128(layout.code.data)
    printer.hw("INIT")
    if layout.banner:
        printer.set(align="center", bold=True, invert=True)
        printer.textln(layout.banner[0].strip())
        printer.set(invert=False)
        printer.textln()
    printer.set(align="center", bold=True)
    for row in layout.header:
        printer.textln(row.strip())
    printer.set(align="left", bold=False)
    for row in layout.body:
        printer.textln(row.rstrip())
    printer.set(align="center")
    for row in layout.footer:
        printer.textln(row.strip())
    printer.ln()
    _print_code(printer, layout, native_qr)
    printer.cut()
    if open_drawer:
        printer.cashdraw(drawer_pin)


def print_receipt(config: PrinterConfig, receipt: Receipt, *, reprint: bool = False) -> None:
    """Print ``receipt`` on the configured printer; ``reprint`` adds the REPRINT mark and
    never opens the drawer. Raises PrinterError naming the printer on any failure."""
    if config.code == "barcode":
        try:
            check_code128(receipt.number or receipt.ticket_id)
        except ValueError as exc:
            raise PrinterError(config.address, f"{exc}; set printer.code to qr") from None

    def job(printer: Any) -> None:
        render_receipt(
            printer,
            receipt,
            width=config.width,
            code=config.code,
            reprint=reprint,
            open_drawer=config.open_drawer and not reprint,
            drawer_pin=config.drawer_pin,
            native_qr=config.native_qr,
        )

    _run_job(config, job)


def print_rows(config: PrinterConfig, rows: Sequence[str]) -> None:
    """Print plain rows of text (a report laid out by :mod:`report_layout`), then cut."""

    def job(printer: Any) -> None:
        printer.hw("INIT")
        printer.set(align="left", bold=False)
        for row in rows:
            printer.textln(row.rstrip())
        printer.cut()

    _run_job(config, job)


def kick_drawer(config: PrinterConfig) -> None:
    """Open the cash drawer wired to the configured printer (pulse on ``drawer_pin``)."""
    _run_job(config, lambda printer: printer.cashdraw(config.drawer_pin))
