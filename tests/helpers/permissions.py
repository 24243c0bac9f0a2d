"""Granting cashiers the guarded actions (present, price adjustment, discounts, voids),
as a store manager does from manager mode: through ``Till.handle`` with a signed-in
manager's session. The first manager (Grace, PIN 2468) is set up when the till has none."""

from __future__ import annotations

from collections.abc import Iterable

from pos_app.till.commands import SetPermission
from pos_app.till.manager import GUARDED_ACTIONS, Actor
from pos_app.till.till import Till

MANAGER = "Grace"
PIN = "2468"


def grant_cashiers(till: Till, actions: Iterable[str] = GUARDED_ACTIONS) -> None:
    """Let cashiers do ``actions`` (default: every guarded action) without a manager."""
    access = till.access
    if MANAGER not in access.manager_names():
        access.set_pin(MANAGER, PIN, by=None)
    session = access.verify_pin(MANAGER, PIN)
    try:
        for action in actions:
            till.handle(SetPermission(action, True), Actor(session))
    finally:
        access.end_session(session)
