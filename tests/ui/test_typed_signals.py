"""The controllers' signals say what they carry: each is declared with its payload type,
and through a whole session at the till (ring-up, refusals, a member, a held ticket, a
printed sale, a return, the day report, manager mode) every payload emitted is of it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from pos_app.engine import AddItem, RemoveCoupon
from pos_app.printing import PrinterConfig
from pos_app.till.commands import PayCash, SetPermission
from pos_app.till.shift_commands import AttachMember, ParkTicket, RefundSale
from pos_app.ui.controllers.device_controller import DeviceController
from pos_app.ui.controllers.manager_controller import ManagerController
from pos_app.ui.controllers.members_controller import MembersController
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.controllers.shift_controller import ShiftController
from pos_app.ui.controllers.ticket_controller import TicketController
from pos_app.ui.controllers.till_controllers import TillControllers
from pos_app.ui.typed_signals import declared_signals, typed_signal
from tests.helpers.live_backoffice import LiveBackOffice
from tests.ui.conftest import PrinterServer, Screen, add_half_price_burger

CONTROLLERS = (
    TicketController,
    ManagerController,
    ShiftController,
    MembersController,
    DeviceController,
    Messages,
)


class PayloadLog:
    """Every signal of every controller, heard: (controller, signal, payload) in order."""

    def __init__(self, controllers: TillControllers) -> None:
        self.heard: list[tuple[str, str, Any]] = []
        self.declared: dict[tuple[str, str], type | None] = {}
        for field in ("messages", "ticket", "manager", "shift", "members", "devices"):
            controller: QObject = getattr(controllers, field)
            for name, payload in declared_signals(type(controller)).items():
                self.declared[(field, name)] = payload
                getattr(controller, name).connect(
                    lambda value, key=(field, name): self.heard.append((*key, value))
                )

    def wrong(self) -> list[str]:
        return [
            f"{field}.{name} carried {type(value).__name__}, declared {declared.__name__}"
            for field, name, value in self.heard
            if not isinstance(value, declared := self.declared[(field, name)] or type(None))
        ]

    def silent(self) -> set[tuple[str, str]]:
        return set(self.declared) - {(field, name) for field, name, _ in self.heard}


def test_every_controller_signal_names_its_payload_type() -> None:
    """No controller signal is an untyped ``Signal(object)``: each names its payload."""
    for controller in CONTROLLERS:
        declared = declared_signals(controller)
        assert declared, controller.__name__
        untyped = [name for name, payload in declared.items() if payload in (None, object)]
        assert untyped == [], controller.__name__


def test_declared_signals_sees_an_untyped_one() -> None:
    """A signal made without typed_signal is listed with no payload type."""

    class Mixed(QObject):
        typed = typed_signal(int)
        untyped = Signal(object)

    assert declared_signals(Mixed) == {"typed": int, "untyped": None}


def test_a_session_emits_every_signal_with_its_declared_payload(
    screen: Screen, printer_server: PrinterServer, backoffice: LiveBackOffice
) -> None:
    """Every controller signal fires at least once in a session, and each payload is an
    instance of the type its signal declares."""
    log = PayloadLog(screen.controllers)
    ticket, manager, devices = screen.ticket, screen.manager, screen.devices
    shift, members = screen.controllers.shift, screen.controllers.members
    printer = PrinterConfig(kind="network", host="127.0.0.1", port=printer_server.port)

    screen.do(devices.print_receipt)  # no receipt yet: print_failed
    screen.do(lambda: manager.verify_pin("Grace", "0000"))  # pin_refused
    screen.do(lambda: manager.verify_pin("Grace", "2468"))  # the tools load
    screen.do(manager.list_managers)
    screen.do(lambda: ticket.do(SetPermission("present", True)))
    screen.do(lambda: devices.save_printer(printer))
    screen.do(lambda: devices.save_kiosk(False))
    screen.do(lambda: manager.connect_back_office("", "ABCD"))  # back_office_refused
    screen.do(lambda: manager.connect_back_office(backoffice.url, backoffice.device_code()))
    screen.window.manager.manager_mode.accept()
    screen.do(manager.exit_manager_mode)
    screen.do(ticket.reload_configuration)

    screen.type_on_numpad("99999")
    screen.tap_product("CAKE")  # refused by the screen: input_refused
    screen.window.ring_up.numpad.clear()
    screen.tap_product("CAKE")
    screen.scan("TP-3")
    screen.click(screen.window.ring_up.line_actions.present)  # TP-3 now worth 0: a notice
    screen.scan("NOPE-42")  # refused
    screen.do(lambda: ticket.do(RemoveCoupon("TP-3")))
    screen.do(lambda: members.look_up_member("0100001"))
    screen.do(lambda: ticket.do(AttachMember("M-1001")))
    screen.do(members.load_wallet)
    screen.do(lambda: ticket.do(ParkTicket()))
    screen.do(shift.load_parked)

    screen.do(lambda: ticket.do(AddItem(None, "BURGER")))
    screen.do(lambda: ticket.do(PayCash("20.00")))
    screen.click(screen.window.ticket.pay)
    screen.click(screen.window.sale.checkout.close_sale)  # printed
    receipt = screen.window.sale.receipt_preview.receipt
    assert receipt is not None
    screen.do(lambda: shift.find_sale(receipt.number))
    screen.do(lambda: ticket.do(RefundSale(receipt.number, "cash")))
    screen.do(shift.load_report)
    printer_server.wait_for_jobs(2)

    add_half_price_burger(screen)
    screen.tap_product("BURGER")
    screen.scan("GP-BURGER-5")  # raises the bill: redemption_warning
    warning = screen.window.counter.warning
    assert warning is not None
    warning.reject()

    assert log.wrong() == []
    assert log.silent() == set()
