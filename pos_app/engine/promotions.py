"""Promotion definitions, as the back office sends them (FORMAT.md's promotion table).

Each class holds one promotion type's parameters; what it does to a ticket is in
:mod:`pos_app.engine.promotion_effects`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from pos_app.engine.bounds import QuantityError, parse_quantity
from pos_app.engine.catalog import ItemFilter, require_mapping, require_text
from pos_app.engine.errors import DefinitionError
from pos_app.engine.money import AmountError, parse_amount, parse_percent
from pos_app.engine.validity import ValidityWindow


@dataclass(frozen=True)
class Promotion:
    """What every promotion has: id, sequence number, auto-execute flag, validity."""

    id: str
    sequence: int
    auto_execute: bool = True
    validity: ValidityWindow = field(default_factory=ValidityWindow)
    name: str = ""

    type_name = "promotion"

    @property
    def min_units(self) -> int:
        """Fewest eligible units (over all its filters) with which it can apply."""
        return 1

    @property
    def order_key(self) -> tuple[int, str]:
        """Lower sequence runs first (R4); the id breaks ties deterministically."""
        return (self.sequence, self.id)

    def item_filters(self) -> tuple[ItemFilter, ...]:
        """Every filter whose items can take part; used to index the promotion."""
        return (ItemFilter(),)

    def with_auto_execute(self, auto_execute: bool) -> Promotion:
        """A copy with the auto-execute flag overridden (a manager's local override, R12)."""
        from dataclasses import replace

        return replace(self, auto_execute=auto_execute)


@dataclass(frozen=True)
class PercentOff(Promotion):
    percent: Decimal = Decimal(0)
    items: ItemFilter = field(default_factory=ItemFilter)
    min_spend: Decimal | None = None
    type_name = "percent_off"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


@dataclass(frozen=True)
class AmountOff(Promotion):
    threshold: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    items: ItemFilter = field(default_factory=ItemFilter)
    type_name = "amount_off"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


@dataclass(frozen=True)
class SpecialPrice(Promotion):
    price: Decimal = Decimal(0)
    items: ItemFilter = field(default_factory=ItemFilter)
    type_name = "special_price"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


@dataclass(frozen=True)
class BuyGet(Promotion):
    buy: int = 1
    get: int = 1
    items: ItemFilter = field(default_factory=ItemFilter)
    type_name = "bogo"

    @property
    def min_units(self) -> int:
        return self.buy + self.get

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


@dataclass(frozen=True)
class NthItem(Promotion):
    n: int = 2
    percent: Decimal = Decimal(0)
    items: ItemFilter = field(default_factory=ItemFilter)
    type_name = "nth_item"

    @property
    def min_units(self) -> int:
        return self.n

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


@dataclass(frozen=True)
class AddOn(Promotion):
    trigger_items: ItemFilter = field(default_factory=ItemFilter)
    addon_items: ItemFilter = field(default_factory=ItemFilter)
    addon_price: Decimal = Decimal(0)
    type_name = "add_on"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.trigger_items, self.addon_items)


@dataclass(frozen=True)
class Combo(Promotion):
    components: tuple[ItemFilter, ...] = ()
    price: Decimal = Decimal(0)
    type_name = "combo"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return self.components


@dataclass(frozen=True)
class Gift(Promotion):
    threshold: Decimal = Decimal(0)
    gift_sku: str = ""
    qty: int = 1
    items: ItemFilter = field(default_factory=ItemFilter)
    type_name = "gift"

    def item_filters(self) -> tuple[ItemFilter, ...]:
        return (self.items,)


# ---------------------------------------------------------------- parsing


def _amount(obj: Mapping[str, object], key: str, where: str, *, required: bool = True) -> Decimal:
    raw = obj.get(key)
    if raw is None and not required:
        return Decimal(0)
    try:
        return parse_amount(raw)
    except AmountError as exc:
        raise DefinitionError(f"{where}.{key}", str(exc)) from None


def _optional_amount(obj: Mapping[str, object], key: str, where: str) -> Decimal | None:
    return None if obj.get(key) is None else _amount(obj, key, where)


def _percent(obj: Mapping[str, object], key: str, where: str) -> Decimal:
    try:
        return parse_percent(obj.get(key))
    except AmountError as exc:
        raise DefinitionError(f"{where}.{key}", str(exc)) from None


def positive_int(obj: Mapping[str, object], key: str, where: str, default: int) -> int:
    """A count of units (a quantity): a whole number from 1 to 9,999."""
    try:
        return parse_quantity(obj.get(key, default))
    except QuantityError as exc:
        raise DefinitionError(f"{where}.{key}", str(exc)) from None


def parse_sequence(obj: Mapping[str, object], where: str) -> int:
    """An execution-order sequence number: a whole number within 64 bits."""
    sequence = obj.get("sequence", 0)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or abs(sequence) >= 2**63:
        raise DefinitionError(f"{where}.sequence", "must be a whole number")
    return sequence


def _items(obj: Mapping[str, object], key: str, where: str) -> ItemFilter:
    return ItemFilter.parse(obj.get(key), f"{where}.{key}")


def _required_items(obj: Mapping[str, object], key: str, where: str) -> ItemFilter:
    items = _items(obj, key, where)
    if items.every_item:
        raise DefinitionError(f"{where}.{key}", "is required and must name at least one item")
    return items


def _common(obj: Mapping[str, object], where: str) -> dict[str, object]:
    sequence = parse_sequence(obj, where)
    auto = obj.get("auto_execute", True)
    if not isinstance(auto, bool):
        raise DefinitionError(f"{where}.auto_execute", "must be true or false")
    name = obj.get("name", "")
    return {
        "id": require_text(obj, "id", where),
        "sequence": sequence,
        "auto_execute": auto,
        "validity": ValidityWindow.parse(obj, where),
        "name": name if isinstance(name, str) else "",
    }


def _combo_components(obj: Mapping[str, object], where: str) -> tuple[ItemFilter, ...]:
    raw = obj.get("components")
    if not isinstance(raw, list) or len(raw) < 1:
        raise DefinitionError(f"{where}.components", "must be a non-empty list of item lists")
    components = []
    for i, component in enumerate(raw):
        item_filter = ItemFilter.parse(component, f"{where}.components[{i}]")
        if item_filter.every_item:
            raise DefinitionError(f"{where}.components[{i}]", "must name at least one item")
        components.append(item_filter)
    return tuple(components)


def _buy_get(obj: Mapping[str, object], where: str, common: dict[str, object]) -> Promotion:
    return BuyGet(
        **common,  # type: ignore[arg-type]
        buy=positive_int(obj, "buy", where, 1),
        get=positive_int(obj, "get", where, 1),
        items=_items(obj, "items", where),
    )


_PARSERS: dict[str, Callable[[Mapping[str, object], str, dict[str, object]], Promotion]] = {
    "percent_off": lambda o, w, c: PercentOff(
        **c,  # type: ignore[arg-type]
        percent=_percent(o, "percent", w),
        items=_items(o, "items", w),
        min_spend=_optional_amount(o, "min_spend", w),
    ),
    "amount_off": lambda o, w, c: AmountOff(
        **c,  # type: ignore[arg-type]
        threshold=_amount(o, "threshold", w, required=False),
        amount=_amount(o, "amount", w),
        items=_items(o, "items", w),
    ),
    "special_price": lambda o, w, c: SpecialPrice(
        **c,  # type: ignore[arg-type]
        price=_amount(o, "price", w),
        items=_required_items(o, "items", w),
    ),
    "bogo": _buy_get,
    "buy_x_get_y": _buy_get,
    "nth_item": lambda o, w, c: NthItem(
        **c,  # type: ignore[arg-type]
        n=positive_int(o, "n", w, 2),
        percent=_percent(o, "percent", w),
        items=_items(o, "items", w),
    ),
    "add_on": lambda o, w, c: AddOn(
        **c,  # type: ignore[arg-type]
        trigger_items=_required_items(o, "trigger_items", w),
        addon_items=_required_items(o, "addon_items", w),
        addon_price=_amount(o, "addon_price", w),
    ),
    "combo": lambda o, w, c: Combo(
        **c,  # type: ignore[arg-type]
        components=_combo_components(o, w),
        price=_amount(o, "price", w),
    ),
    "gift": lambda o, w, c: Gift(
        **c,  # type: ignore[arg-type]
        threshold=_amount(o, "threshold", w, required=False),
        gift_sku=require_text(o, "gift_sku", w),
        qty=positive_int(o, "qty", w, 1),
        items=_items(o, "items", w),
    ),
}

PROMOTION_TYPES = tuple(sorted(_PARSERS))


def parse_promotion(raw: object, where: str) -> Promotion:
    """A promotion from its JSON form, or a DefinitionError naming the bad field."""
    obj = require_mapping(raw, where)
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in _PARSERS:
        raise DefinitionError(f"{where}.type", f"must be one of {', '.join(PROMOTION_TYPES)}")
    return _PARSERS[kind](obj, where, _common(obj, where))
