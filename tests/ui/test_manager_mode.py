"""Manager mode: the PIN pad (stored hashed, locked after 5 wrong PINs), cashier
permissions, and the execution order's auto-execute switches (R12: a local override,
audited and queued for the back office)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from pos_app.store.models.audit import AuditEntry
from pos_app.store.models.staff import StaffMember
from pos_app.store.unit_of_work import UnitOfWork
from pos_app.ui.manager_mode import PinDialog
from tests.helpers.device_clock import FakeClock
from tests.ui.conftest import Screen

PIN = "2468"


@pytest.fixture
def screen(strict_screen: Screen) -> Screen:
    """These tests set the till's first manager up themselves."""
    return strict_screen


def audit(screen: Screen) -> list[AuditEntry]:
    with UnitOfWork(screen.app.runtime.database.sessions) as uow:
        return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def with_manager(screen: Screen) -> None:
    screen.do(lambda: screen.app.runtime.access.set_pin("Grace", PIN, by=None))
    screen.do(screen.manager.list_managers)


def open_pin_pad(screen: Screen) -> PinDialog:
    screen.click(screen.window.status.manager_button)
    dialog = screen.window.manager.pin_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def enter_pin(screen: Screen, dialog: PinDialog, pin: str) -> None:
    dialog.pin.type_pin(pin)
    screen.click(dialog.pin.ok)


def test_the_first_manager_is_set_up_from_the_pin_pad(screen: Screen) -> None:
    """No manager yet: name and PIN twice create one (hashed, audited), signed in."""
    dialog = open_pin_pad(screen)
    assert dialog.setup
    screen.qtbot.keyClicks(dialog.new_name, "Grace")
    enter_pin(screen, dialog, PIN)
    assert dialog.pin.prompt.text() == "Type the same PIN again"
    enter_pin(screen, dialog, PIN)
    assert screen.manager.signed_in == "Grace"
    assert screen.window.manager.manager_mode.isVisible()
    assert screen.window.status.manager.text() == "Manager: Grace"
    with UnitOfWork(screen.app.runtime.database.sessions) as uow:
        (account,) = uow.session.scalars(select(StaffMember))
    assert account.pin_hash.startswith("scrypt$") and PIN not in account.pin_hash
    assert [(e.action, e.subject) for e in audit(screen)] == [
        ("manager.pin_set", "Grace"),
        ("manager.signed_in", "Grace"),
    ]
    assert all(PIN not in e.detail for e in audit(screen))


def test_a_wrong_pin_says_how_many_tries_are_left(screen: Screen) -> None:
    """A wrong PIN is refused PIN_INCORRECT, on the pad."""
    with_manager(screen)
    dialog = open_pin_pad(screen)
    assert not dialog.setup and dialog.names.currentText() == "Grace"
    enter_pin(screen, dialog, "1111")
    assert dialog.message.property("code") == "PIN_INCORRECT"
    assert dialog.message.text() == "Wrong name or PIN: 4 tries left"
    assert screen.manager.signed_in is None
    enter_pin(screen, dialog, PIN)
    assert screen.manager.signed_in == "Grace"


def test_five_wrong_pins_lock_manager_mode_for_a_while(screen: Screen, clock: FakeClock) -> None:
    """After 5 wrong PINs even the right one is refused PIN_LOCKED until the lockout
    (5 minutes on the till's clock) has passed; the lockout is audited."""
    with_manager(screen)
    dialog = open_pin_pad(screen)
    for _ in range(4):
        enter_pin(screen, dialog, "0000")
        assert dialog.message.property("code") == "PIN_INCORRECT"
    enter_pin(screen, dialog, "0000")
    assert dialog.message.property("code") == "PIN_LOCKED"
    assert dialog.message.text() == "5 wrong PINs: manager mode is locked for 5 min 00 s"
    clock.advance(minutes=4)
    enter_pin(screen, dialog, PIN)
    assert dialog.message.property("code") == "PIN_LOCKED"
    assert dialog.message.text().endswith("try again in 1 min 00 s")
    assert screen.manager.signed_in is None
    clock.advance(minutes=1)
    enter_pin(screen, dialog, PIN)
    assert screen.manager.signed_in == "Grace"
    assert "manager.pin_locked" in [e.action for e in audit(screen)]


def test_the_lockout_survives_a_restart(screen: Screen, clock: FakeClock) -> None:
    """The wrong-PIN count and lockout live in the database, not in the window."""
    with_manager(screen)
    manager = screen.manager
    for _ in range(5):
        screen.do(lambda: manager.verify_pin("Grace", "9999"))
    access = type(screen.app.runtime.access)(screen.app.runtime.database, clock)
    left = access.lockout_left()
    assert left is not None and left.total_seconds() == 300


def test_permissions_are_switched_in_manager_mode_and_audited(screen: Screen) -> None:
    """The Permissions tab's switches set what cashiers may do (each needs a manager until
    granted); each change is audited."""
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    mode = screen.window.manager.manager_mode
    mode.show_tab(mode.permissions)
    switch = mode.permissions.switches["discount"]
    assert not switch.isChecked()
    assert switch.text() == "Cashiers may give store discounts: no"
    screen.click(switch)
    assert screen.manager.permissions.discount
    assert switch.text() == "Cashiers may give store discounts: yes"
    (entry,) = [e for e in audit(screen) if e.action == "permission.changed"]
    assert (entry.manager, entry.subject) == ("Grace", "discount")
    assert json.loads(entry.detail) == {"allowed": True, "previous": None}


def test_an_auto_execute_switch_is_a_local_override_audited_and_synced(screen: Screen) -> None:
    """R12: switching DESSERT-10 on applies it at once, writes an audit row and queues
    an override.changed event for the back office."""
    screen.tap_product("CAKE")
    assert screen.line("L1").promotion_ids == ()
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    view = screen.window.manager.manager_mode.execution_order
    order = view.order
    assert order is not None
    assert [p.sequence for p in order.promotions] == sorted(p.sequence for p in order.promotions)
    assert [c.code for c in order.coupons][:2] == ["GP-BURGER", "CV-5"]
    switch = view.switches["DESSERT-10"]
    assert not switch.isChecked() and switch.text() == "Auto-execute off"
    screen.click(switch)
    confirm = screen.window.manager.confirm  # a change to every ticket: asked first
    assert confirm is not None and confirm.isVisible() and "desserts" in confirm.question.text()
    screen.click(confirm.confirm)
    assert switch.isChecked() and switch.text() == "Auto-execute on"
    assert "LOCAL OVERRIDE" in view.captions["DESSERT-10"].text()
    assert screen.line("L1").promotion_ids == ("DESSERT-10",)
    (entry,) = [e for e in audit(screen) if e.action == "override.changed"]
    assert (entry.manager, entry.subject) == ("Grace", "DESSERT-10")
    events = screen.app.runtime.sync_store.pending_events()
    (event,) = [e for e in events if e["type"] == "override.changed"]
    assert event["payload"]["promotion_id"] == "DESSERT-10"
    assert event["payload"]["auto_execute"] is True
    assert screen.window.status.waiting.text() == "1 waiting"


def test_an_auto_execute_switch_cancelled_changes_nothing(screen: Screen) -> None:
    """R12: cancelling the confirmation leaves the promotion as it was, the switch back."""
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    view = screen.window.manager.manager_mode.execution_order
    switch = view.switches["DESSERT-10"]
    screen.click(switch)
    confirm = screen.window.manager.confirm
    assert confirm is not None
    screen.click(confirm.cancel)
    switch = view.switches["DESSERT-10"]
    assert not switch.isChecked() and switch.text() == "Auto-execute off"
    assert [e for e in audit(screen) if e.action == "override.changed"] == []


def test_leaving_manager_mode(screen: Screen) -> None:
    """Exit manager mode closes the tools and takes the manager's rights away."""
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    mode = screen.window.manager.manager_mode
    assert mode.isVisible() and screen.window.status.tools.isVisible()
    screen.click(mode.leave)
    assert screen.manager.signed_in is None
    assert not mode.isVisible()
    assert screen.window.status.manager_button.text() == "Manager"


def test_a_manager_adds_a_manager_and_a_bad_pin_is_said_in_manager_mode(screen: Screen) -> None:
    """The Managers tab: a PIN too short is refused where the manager is looking; a
    good one adds the manager, who can then sign in."""
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    mode = screen.window.manager.manager_mode
    panel = mode.managers
    mode.show_tab(panel)
    panel.name.setText("Ada")
    for pin in ("12", "12"):
        panel.pin.type_pin(pin)
        screen.click(panel.pin.ok)
    assert mode.status.property("kind") == "error"
    assert mode.status.text() == "A PIN is 4 to 8 digits"
    for pin in ("13579", "13579"):
        panel.pin.type_pin(pin)
        screen.click(panel.pin.ok)
    assert mode.status.text() == "PIN set for Ada"
    assert panel.managers.text() == "Ada\nGrace"
    assert screen.app.runtime.access.verify_pin("Ada", "13579").name == "Ada"


def test_a_manager_adds_a_cashier_kept_at_this_till(screen: Screen) -> None:
    """Issue 20: "A cashier" on the Managers tab adds a local cashier (the PIN typed
    twice), who may then sign in; the till now takes nothing until someone does."""
    with_manager(screen)
    screen.do(lambda: screen.manager.verify_pin("Grace", PIN))
    mode = screen.window.manager.manager_mode
    panel = mode.managers
    mode.show_tab(panel)
    panel.name.setText("Cleo")
    screen.click(panel.cashier)
    for pin in ("2244", "2244"):
        panel.pin.type_pin(pin)
        screen.click(panel.pin.ok)
    till = screen.app.runtime.till
    (cleo,) = [p for p in till.staff.everyone() if p.name == "Cleo"]
    assert (cleo.role, cleo.source) == ("cashier", "local")
    assert "Cleo can sign in at this till now" in screen.window.ticket.message.text()
    assert till.staff.sign_in_required()
