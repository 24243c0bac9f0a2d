"""The screens' controllers over one till, built and wired to each other in one place
(the UI's bootstrap: the only module that knows them all)."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.till.runtime import TillRuntime
from pos_app.ui.controllers.device_controller import DeviceController
from pos_app.ui.controllers.manager_controller import ManagerController
from pos_app.ui.controllers.members_controller import MembersController
from pos_app.ui.controllers.messages import Messages
from pos_app.ui.controllers.shift_controller import ShiftController
from pos_app.ui.controllers.ticket_controller import TicketController
from pos_app.ui.ops import OpRunner


@dataclass(frozen=True)
class TillControllers:
    """The controllers of one till screen (main thread), wired by :func:`build_controllers`."""

    messages: Messages
    ticket: TicketController
    manager: ManagerController
    shift: ShiftController
    members: MembersController
    devices: DeviceController

    def start(self) -> None:
        """Load the ticket and price book first (manager mode names coupons by it),
        then what manager mode shows and the held tickets (kept across a restart)."""
        self.ticket.start()
        self.manager.start()
        self.shift.load_parked()


def build_controllers(runtime: TillRuntime, ops: OpRunner, print_ops: OpRunner) -> TillControllers:
    """The controllers over ``runtime``: till work on ``ops``, printing on ``print_ops``."""
    messages = Messages()
    manager = ManagerController(runtime, ops, messages)
    ticket = TicketController(runtime, ops, messages, actor=lambda: manager.actor)
    shift = ShiftController(runtime, ops, messages)
    members = MembersController(runtime, ops, messages)
    devices = DeviceController(
        runtime, print_ops, messages, require_manager=manager.require_signed_in
    )
    # What a command did, for the concern it belongs to (before the screens hear of it).
    ticket.succeeded.connect(manager.follow_command)
    ticket.succeeded.connect(shift.follow_command)
    ticket.sale_closed.connect(devices.follow_sale)
    shift.returned.connect(devices.follow_return)
    # Who may do what changed: the line buttons are asked for again.
    manager.manager_changed.connect(lambda _change: ticket.refresh_actions())
    manager.permissions_changed.connect(lambda _permissions: ticket.refresh_actions())
    return TillControllers(messages, ticket, manager, shift, members, devices)
