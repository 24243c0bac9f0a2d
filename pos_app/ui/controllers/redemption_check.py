"""A typed or scanned code checked before it is redeemed: a coupon that would raise the
bill (a group purchase worth less than the promotion it replaces, R7 seed §5.1) is not
redeemed until the cashier has read what it does and said "Redeem anyway"."""

from __future__ import annotations

from pos_app.engine import Refusal
from pos_app.till.errors import TillRefusal
from pos_app.till.manager import Actor
from pos_app.till.shift_commands import Scan
from pos_app.till.till import Till
from pos_app.ui.controllers.command_outcomes import CommandOutcome, CommandScene, carry_out
from pos_app.ui.controllers.payloads import RedemptionWarning


def redemption_warning(till: Till, code: str, actor: Actor) -> RedemptionWarning | None:
    """The warning before ``code`` is redeemed, from the till's preview (money as the
    screens show it: ``USD 5.00``); None when it is an item's barcode, does not raise
    the bill, or would be refused (the scan meets the refusal and says it)."""
    try:
        preview = till.preview_scan(code, actor)
    except (Refusal, TillRefusal):
        return None
    if preview is None:
        return None
    currency = preview.priced.currency
    text = preview.warning(lambda amount: f"{currency.code} {currency.format(amount)}")
    return RedemptionWarning(code, text) if text is not None else None


def scan_unless_warned(code: str, scene: CommandScene) -> CommandOutcome | RedemptionWarning:
    """``code`` scanned for ``scene.actor``, unless redeeming it would raise the bill:
    then the warning, and nothing done. Runs on the op thread."""
    warning = redemption_warning(scene.till, code, scene.actor)
    if warning is not None:
        return warning
    return carry_out(Scan(code), scene)
