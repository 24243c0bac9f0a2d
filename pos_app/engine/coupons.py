"""Coupon definitions and what their kind implies for stage, claims and stacking.

Kinds (FORMAT.md): group_purchase and cash_voucher (platform), third_party
(acting as one of the two), member_voucher, member_discount, custom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import IntEnum

from pos_app.engine.catalog import ItemFilter, require_mapping, require_text
from pos_app.engine.errors import DefinitionError
from pos_app.engine.money import AmountError, parse_amount, parse_percent
from pos_app.engine.promotions import parse_sequence, positive_int
from pos_app.engine.validity import ValidityWindow

GROUP_PURCHASE = "group_purchase"
CASH_VOUCHER = "cash_voucher"
THIRD_PARTY = "third_party"
MEMBER_VOUCHER = "member_voucher"
MEMBER_DISCOUNT = "member_discount"
CUSTOM = "custom"
COUPON_KINDS = (GROUP_PURCHASE, CASH_VOUCHER, THIRD_PARTY, MEMBER_VOUCHER, MEMBER_DISCOUNT, CUSTOM)


class Stage(IntEnum):
    """The five recalculation stages of R4."""

    MANUAL_PRICING = 1
    ORIGINAL_PRICE_COUPONS = 2
    PROMOTIONS = 3
    LOCAL_DISCOUNTS = 4
    DISCOUNTED_PRICE_COUPONS = 5


@dataclass(frozen=True)
class CouponDefinition:
    """A coupon the till can redeem. Properties say how the rules treat its kind."""

    code: str
    kind: str
    sequence: int = 0
    acts_as: str | None = None  # third_party only: group_purchase or cash_voucher
    items: ItemFilter = field(default_factory=ItemFilter)
    units: int = 1
    face_value: Decimal | None = None
    percent: Decimal | None = None
    min_spend: Decimal | None = None
    deduct_from: str = "discounted"
    validity: ValidityWindow = field(default_factory=ValidityWindow)
    name: str = ""
    code_prefix: str = ""  # platform codes issued under this definition start with it

    @property
    def effective_kind(self) -> str:
        """The kind whose arithmetic this coupon follows (third-party acts as another)."""
        return self.acts_as if self.kind == THIRD_PARTY and self.acts_as else self.kind

    @property
    def is_custom(self) -> bool:
        return self.kind == CUSTOM

    @property
    def is_platform_or_third_party(self) -> bool:
        return self.kind in (GROUP_PURCHASE, CASH_VOUCHER, THIRD_PARTY)

    @property
    def has_applicable_items(self) -> bool:
        return not self.items.every_item

    @property
    def claims_lines(self) -> bool:
        """A non-custom coupon with applicable items claims their lines at redemption (R6)."""
        return not self.is_custom and self.has_applicable_items

    @property
    def covers_units(self) -> bool:
        """A group purchase (or a third-party coupon acting as one) covers ``units`` units
        of its lines: they take no promotion, the other units of its lines do (R7)."""
        return self.effective_kind == GROUP_PURCHASE

    @property
    def keeps_promotions_off(self) -> bool:
        """A cash voucher (or a third-party coupon acting as one) with applicable items
        keeps off its lines every promotion that was not on them when it was redeemed
        (R8). Member coupons never do; a group purchase bars only its units (R7)."""
        return self.effective_kind == CASH_VOUCHER and self.claims_lines

    @property
    def deducts_from_original(self) -> bool:
        """A member voucher that measures its amount and min spend on the original price
        of its lines (R4 stage 5)."""
        return self.kind == MEMBER_VOUCHER and self.deduct_from == "original"

    @property
    def stage(self) -> Stage:
        """Group purchases in stage 2, member discount coupons in stage 4, every other
        coupon in stage 5 (R4)."""
        if self.covers_units:
            return Stage.ORIGINAL_PRICE_COUPONS
        if self.kind == MEMBER_DISCOUNT:
            return Stage.LOCAL_DISCOUNTS
        return Stage.DISCOUNTED_PRICE_COUPONS

    @property
    def order_key(self) -> tuple[int, str]:
        return (self.sequence, self.code)

    def instance(self, code: str) -> CouponDefinition:
        """This definition under one platform-issued ``code`` (S14)."""
        return replace(self, code=code, code_prefix="")

    def issues(self, code: str) -> bool:
        """Whether ``code`` is one of this definition's platform codes (by its prefix)."""
        return bool(self.code_prefix) and code.startswith(self.code_prefix) and code != self.code

    def skips_lines_claimed_by(self, other: CouponDefinition) -> bool:
        """Whether this coupon leaves alone the lines ``other`` claims (R10)."""
        if not other.claims_lines or other.code == self.code:
            return False
        if self.kind == MEMBER_DISCOUNT:
            return True
        if self.kind == MEMBER_VOUCHER:
            return other.is_platform_or_third_party
        return False


def _amount(obj: Mapping[str, object], key: str, where: str) -> Decimal | None:
    if obj.get(key) is None:
        return None
    try:
        return parse_amount(obj.get(key))
    except AmountError as exc:
        raise DefinitionError(f"{where}.{key}", str(exc)) from None


def _required_amount(obj: Mapping[str, object], key: str, where: str) -> Decimal:
    value = _amount(obj, key, where)
    if value is None:
        raise DefinitionError(f"{where}.{key}", "is required")
    return value


def _percent(obj: Mapping[str, object], key: str, where: str) -> Decimal | None:
    if obj.get(key) is None:
        return None
    try:
        return parse_percent(obj.get(key))
    except AmountError as exc:
        raise DefinitionError(f"{where}.{key}", str(exc)) from None


def parse_coupon(raw: object, where: str) -> CouponDefinition:
    """A coupon definition from its JSON form, or a DefinitionError naming the bad field."""
    obj = require_mapping(raw, where)
    code = require_text(obj, "code", where)
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in COUPON_KINDS:
        raise DefinitionError(f"{where}.kind", f"must be one of {', '.join(COUPON_KINDS)}")
    sequence = parse_sequence(obj, where)
    acts_as: str | None = None
    arithmetic = kind
    if kind == THIRD_PARTY:
        raw_as = obj.get("as")
        if raw_as not in (GROUP_PURCHASE, CASH_VOUCHER):
            raise DefinitionError(f"{where}.as", "must be group_purchase or cash_voucher")
        acts_as = str(raw_as)
        arithmetic = acts_as
    items = ItemFilter.parse(obj.get("items"), f"{where}.items")
    code_prefix = obj.get("code_prefix", "")
    if code_prefix != "" and (
        not isinstance(code_prefix, str)
        or not code_prefix.strip()
        or kind not in (GROUP_PURCHASE, CASH_VOUCHER, THIRD_PARTY)
    ):
        raise DefinitionError(
            f"{where}.code_prefix",
            "must be a non-empty string, on a platform or third-party coupon only",
        )
    name = obj.get("name", "")
    fields: dict[str, object] = {
        "code": code,
        "kind": kind,
        "sequence": sequence,
        "acts_as": acts_as,
        "items": items,
        "validity": ValidityWindow.parse(obj, where),
        "name": name if isinstance(name, str) else "",
        "code_prefix": code_prefix,
    }
    if arithmetic == GROUP_PURCHASE:
        if items.every_item:
            raise DefinitionError(f"{where}.items", "is required for a group-purchase coupon")
        fields["units"] = positive_int(obj, "units", where, 1)
        fields["face_value"] = _amount(obj, "face_value", where)
    elif arithmetic == CASH_VOUCHER:
        fields["face_value"] = _required_amount(obj, "face_value", where)
        fields["min_spend"] = _amount(obj, "min_spend", where)
    elif kind == MEMBER_VOUCHER:
        fields["face_value"] = _required_amount(obj, "face_value", where)
        fields["min_spend"] = _amount(obj, "min_spend", where)
        deduct_from = obj.get("deduct_from", "discounted")
        if deduct_from not in ("original", "discounted"):
            raise DefinitionError(f"{where}.deduct_from", "must be original or discounted")
        fields["deduct_from"] = deduct_from
    elif kind == MEMBER_DISCOUNT:
        percent = _percent(obj, "percent", where)
        if percent is None:
            raise DefinitionError(f"{where}.percent", "is required")
        fields["percent"] = percent
    else:  # custom
        face_value = _amount(obj, "face_value", where)
        percent = _percent(obj, "percent", where)
        if (face_value is None) == (percent is None):
            raise DefinitionError(where, "a custom coupon needs face_value or percent, not both")
        fields["face_value"] = face_value
        fields["percent"] = percent
        fields["min_spend"] = _amount(obj, "min_spend", where)
    return CouponDefinition(**fields)  # type: ignore[arg-type]
