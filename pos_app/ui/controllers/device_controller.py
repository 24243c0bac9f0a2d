"""The till's devices and their settings: the receipt printer (receipts, slips and
reports; reprints), the cash drawer, and the kiosk display setting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pos_app.printing import PrinterConfig, Receipt, print_rows
from pos_app.printing import kick_drawer as kick_printer_drawer
from pos_app.printing import print_receipt as print_on_printer
from pos_app.till.runtime import TillRuntime
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.controllers.ops_controller import OpsController
from pos_app.ui.controllers.payloads import ClosedSale, PrinterSetting, ReturnDone
from pos_app.ui.controllers.problems import NO_PRINTER, Problem, problem_of
from pos_app.ui.display_settings import (
    DisplaySettings,
    DisplaySettingsError,
    load_display_settings,
    save_display_settings,
)
from pos_app.ui.ops import OpRunner
from pos_app.ui.printer_settings import (
    PrinterSettingsError,
    load_printer_config,
    save_printer_config,
)
from pos_app.ui.typed_signals import typed_signal


class DeviceController(OpsController):
    """Prints on the configured printer (``printer``; None: receipts are previewed
    only, ``printer_problem`` says why if its settings file is bad), opens the drawer,
    and keeps the printer and kiosk settings in the data directory. Runs on its own op
    runner, so a slow printer never holds up the ticket. A closed sale's receipt and a
    return's slip print by themselves when a printer is set up; ``last_receipt`` is the
    last of them (what a reprint prints).

    Signals (every one emitted on the main thread, from an op's result or a call):

    - ``printed`` (``str``): what was printed where.
    - ``print_failed`` (:class:`Problem`): printing failed, or there is no printer.
    - ``printer_changed`` (:class:`PrinterSetting`): a manager saved the printer.
    - ``kiosk_changed`` (``bool``): a manager saved the kiosk setting.
    """

    printed = typed_signal(str)
    print_failed = typed_signal(Problem)
    printer_changed = typed_signal(PrinterSetting)
    kiosk_changed = typed_signal(bool)

    def __init__(
        self,
        runtime: TillRuntime,
        print_ops: OpRunner,
        messages: Messages,
        require_manager: Callable[[], bool],
    ) -> None:
        super().__init__(runtime, print_ops, messages)
        self._require_manager = require_manager  # True if a manager is signed in
        self.last_receipt: Receipt | None = None
        self.printer: PrinterConfig | None = None
        self.printer_problem: str = ""
        try:
            self.printer = load_printer_config(runtime.data_dir)
        except PrinterSettingsError as exc:
            self.printer_problem = str(exc)

    @property
    def data_dir(self) -> Path:
        return self._runtime.data_dir

    # ------------------------------------------------------------ receipts

    def follow_sale(self, sale: ClosedSale) -> None:
        """A sale closed: its receipt is the last one, printed if a printer is set up."""
        self.last_receipt = sale.receipt
        if self.printer is not None:
            self.print_receipt(sale.receipt)

    def follow_return(self, done: ReturnDone) -> None:
        """A return was made: its slip is the last receipt, printed if a printer is set up."""
        self.last_receipt = done.receipt
        if self.printer is not None:
            self.print_receipt(done.receipt)

    def print_receipt(self, receipt: Receipt | None = None, *, reprint: bool = False) -> None:
        """Print ``receipt`` (default: the last sale's) on the configured printer."""
        receipt = receipt or self.last_receipt
        config = self.printer
        if receipt is None:
            self.print_failed.emit(Problem(NO_PRINTER, "No receipt to print yet"))
            return
        if config is None:
            self.print_failed.emit(
                Problem(NO_PRINTER, self.printer_problem or "No printer is set up: preview only")
            )
            return
        chosen = receipt
        self._print(
            lambda: print_on_printer(config, chosen, reprint=reprint),
            f"{'Reprinted' if reprint else 'Printed'} on {config.address}",
        )

    def print_report(self, rows: list[str]) -> None:
        """Print report rows on the configured printer."""
        config = self.printer
        if config is None:
            self.print_failed.emit(
                Problem(NO_PRINTER, self.printer_problem or "No printer is set up")
            )
            return
        self._print(lambda: print_rows(config, rows), f"Report printed on {config.address}")

    def kick_drawer(self) -> None:
        """Open the cash drawer (a manager action)."""
        config = self.printer
        if not self._require_manager():
            return
        if config is None:
            self.print_failed.emit(Problem(NO_PRINTER, "No printer is set up for the drawer"))
            return
        self._print(lambda: kick_printer_drawer(config), "Drawer opened")

    def _print(self, work: Callable[[], object], said: str) -> None:
        self.ops.run(
            work,
            success=lambda _: self.printed.emit(said),
            failure=lambda exc: self.print_failed.emit(problem_of(exc)),
        )

    # ------------------------------------------------------------ settings

    def save_printer(self, config: PrinterConfig | None) -> None:
        """Keep the printer settings in the data directory (a manager action)."""
        if not self._require_manager():
            return
        data_dir = self.data_dir

        def done(_: object) -> None:
            self.printer = config
            self.printer_problem = ""
            self.printer_changed.emit(PrinterSetting(config))
            self.messages.say(f"Printer: {config.address if config else 'none (preview only)'}")

        self._run(lambda: save_printer_config(data_dir, config), done)

    def save_kiosk(self, on: bool) -> None:
        """Keep the kiosk setting in the data directory (a manager action; it takes
        effect at the next start)."""
        if not self._require_manager():
            return
        data_dir = self.data_dir

        def done(_: object) -> None:
            self.kiosk_changed.emit(on)
            state = "full screen" if on else "a window"
            self.messages.say(f"Kiosk mode: the till opens as {state} at its next start")

        self._run(lambda: save_display_settings(data_dir, DisplaySettings(kiosk=on)), done)

    def kiosk_setting(self) -> bool:
        try:
            return load_display_settings(self.data_dir).kiosk
        except DisplaySettingsError:
            return False

    def back_up_if_due(self) -> None:
        """The timed backup of the till's database when one is due (on the printer's
        worker, never holding up a sale); a failure is said on the message bar."""
        self._run(self._runtime.sync_store.back_up_if_due, lambda _taken: None)
