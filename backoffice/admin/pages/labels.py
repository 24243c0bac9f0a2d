"""The words people read for the back office's codes: pack types, states, channels, kinds.

Messages from the services name fields and cite rule ids for developers;
:func:`readable` drops the rule ids before a person reads them.
"""

from __future__ import annotations

import re

from pos_app.engine.coupons import COUPON_KINDS
from pos_app.engine.promotions import PROMOTION_TYPES

PACK_TYPES = {"campaign": "Campaign distribution", "paid": "Paid coupon pack"}
PACK_STATUSES = {"draft": "Draft", "active": "Active", "archived": "Archived"}
SALES_STATES = {
    "not_yet_on_sale": "Not yet on sale",
    "on_sale": "On sale",
    "sold_out": "Sold out",
    "ended": "Ended",
    "distributing": "Distributing",
}
CHANNELS = {"mall": "Coupon pack mall", "with_order": "Purchase with order"}
METHODS = {"one_time": "One-time distribution", "recurring": "Recurring distribution"}
PERIODS = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly"}
EFFECTIVE = {
    "immediate": "Immediate effect",
    "after_hours": "After some hours",
    "after_days": "After some days",
}
PURCHASE_STATUSES = {"paid": "Paid", "refunded": "Refunded", "used": "Used"}
GRANT_SOURCES = {"purchase": "Bought", "gift": "Gift", "distribution": "Campaign"}
COUPON_STATES = {
    "valid": "Valid",
    "not_yet_valid": "Not yet valid",
    "used": "Used",
    "expired": "Expired",
    "withdrawn": "Withdrawn (refunded)",
}
MEMBER_FIELDS = {"name": "Name", "phone": "Phone number"}
PROMOTION_TYPE_LABELS = {
    "percent_off": "Percentage off",
    "amount_off": "Amount off over a spend",
    "special_price": "Special price",
    "bogo": "Buy one get one",
    "buy_x_get_y": "Buy X get Y",
    "nth_item": "Discount on the Nth item",
    "add_on": "Add-on deal",
    "combo": "Combo",
    "gift": "Gift over a spend",
}
COUPON_KIND_LABELS = {
    "group_purchase": "Group purchase (platform)",
    "cash_voucher": "Cash voucher (platform)",
    "third_party": "Third-party coupon",
    "member_voucher": "Member voucher",
    "member_discount": "Member discount",
    "custom": "Custom coupon",
}
assert set(PROMOTION_TYPE_LABELS) == set(PROMOTION_TYPES), "a promotion type has no label"
assert set(COUPON_KIND_LABELS) == set(COUPON_KINDS), "a coupon kind has no label"

_RULE_IDS = re.compile(r"\s*\((?:[KRS]\d+(?:[-, /]+[KRS]?\d+)*)\)")
_CODE_WORD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Code words in services' messages whose plain form is not just the words apart.
_CODE_WORDS = {"with_order": "with an order", "one_time": "one-time", "image_url": "image"}


def _words_of(match: re.Match[str]) -> str:
    code = match.group(0)
    return _CODE_WORDS.get(code, code.replace("_", " "))


def readable(problem: str) -> str:
    """A service's message as a person reads it: without the rule ids it cites for
    developers, code words in words (``face_value``: "face value"), capitalised."""
    text = _CODE_WORD.sub(_words_of, _RULE_IDS.sub("", problem)).strip()
    return text[:1].upper() + text[1:] if text else text


def label(code: object, table: dict[str, str]) -> str:
    """The words for ``code`` in ``table`` (``{{ code | label(table) }}`` in a template);
    the code itself, readably, when the table lacks it."""
    return table.get(str(code), str(code).replace("_", " "))
