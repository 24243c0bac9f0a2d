"""The promotion and coupon forms: which inputs each promotion type and coupon kind shows,
and how the submitted text becomes the record data the engine parses.

Only the inputs are described here; every rule is the engine's own
(:func:`pos_app.engine.parse_promotion`, :func:`pos_app.engine.parse_coupon`, run
through :func:`backoffice.chain.record_kinds.checked_record_data`), so the back office
accepts exactly what a till can read. A refusal names the field, which is the input's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from pos_app.protocol.records import RecordDataError

MAX_COMPONENTS = 4


@dataclass(frozen=True)
class Input:
    """One input of a form: the data field it fills, its label, and what it takes.

    ``kind`` is ``text``, ``amount``, ``percent``, ``whole`` (a whole number),
    ``items`` (SKUs and categories), ``components`` (a combo's item lists),
    ``sku``, ``flag``, ``choice`` or ``time`` (a local date-time).
    """

    name: str
    label: str
    kind: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


_ITEMS = Input("items", "Applicable items", "items", "none chosen: every item")
_MIN_SPEND = Input("min_spend", "Minimum spend", "amount", "optional")
_PREFIX = Input(
    "code_prefix",
    "Platform code prefix",
    "text",
    "optional: codes the platform issues start with it",
)
_VERIFY_LATER = Input("verify_later", "Accept such codes offline, verified later", "flag")

PROMOTION_INPUTS: dict[str, tuple[Input, ...]] = {
    "percent_off": (Input("percent", "Percent off", "percent"), _ITEMS, _MIN_SPEND),
    "amount_off": (
        Input("threshold", "Spend at least", "amount"),
        Input("amount", "Amount off", "amount"),
        _ITEMS,
    ),
    "special_price": (
        Input("price", "Special price (each)", "amount"),
        Input("items", "Applicable items", "items", "choose at least one"),
    ),
    "bogo": (Input("buy", "Buy", "whole"), Input("get", "Get free", "whole"), _ITEMS),
    "buy_x_get_y": (Input("buy", "Buy", "whole"), Input("get", "Get free", "whole"), _ITEMS),
    "nth_item": (
        Input("n", "Every Nth item", "whole"),
        Input("percent", "Percent off that item", "percent"),
        _ITEMS,
    ),
    "add_on": (
        Input("trigger_items", "When buying", "items"),
        Input("addon_items", "Add-on items", "items"),
        Input("addon_price", "Add-on price", "amount"),
    ),
    "combo": (
        Input("components", "Combo parts (one item from each)", "components"),
        Input("price", "Combo price", "amount"),
    ),
    "gift": (
        Input("threshold", "Spend at least", "amount"),
        Input("gift_sku", "Gift item", "sku"),
        Input("qty", "Gift quantity", "whole"),
        _ITEMS,
    ),
}

COUPON_INPUTS: dict[str, tuple[Input, ...]] = {
    "group_purchase": (
        Input("items", "Applicable items", "items", "choose at least one"),
        Input("units", "Units covered", "whole"),
        Input("face_value", "Face value", "amount", "optional"),
        _PREFIX,
        _VERIFY_LATER,
    ),
    "cash_voucher": (
        Input("face_value", "Face value", "amount"),
        _ITEMS,
        _MIN_SPEND,
        _PREFIX,
        _VERIFY_LATER,
    ),
    "third_party": (
        Input(
            "as",
            "Works as",
            "choice",
            choices=(("cash_voucher", "Cash voucher"), ("group_purchase", "Group purchase")),
        ),
        Input("face_value", "Face value", "amount"),
        _ITEMS,
        Input("units", "Units covered (group purchase)", "whole", "optional"),
        _MIN_SPEND,
        _PREFIX,
        _VERIFY_LATER,
    ),
    "member_voucher": (
        Input("face_value", "Face value", "amount"),
        Input(
            "deduct_from",
            "Deduct from",
            "choice",
            choices=(("discounted", "The discounted price"), ("original", "The original price")),
        ),
        _ITEMS,
        _MIN_SPEND,
    ),
    "member_discount": (Input("percent", "Percent off", "percent"), _ITEMS),
    "custom": (
        Input("face_value", "Face value", "amount", "or a percent, not both"),
        Input("percent", "Percent off", "percent", "or a face value, not both"),
        _ITEMS,
        _MIN_SPEND,
    ),
}
VALIDITY_INPUTS = (
    Input("valid_from", "Valid from", "time", "optional"),
    Input("valid_to", "Valid until", "time", "optional"),
)
_SLUG = re.compile(r"[^A-Z0-9]+")


def managed_fields(inputs: tuple[Input, ...]) -> set[str]:
    """Every data field the form sets; others in a stored record are kept as they were."""
    return {"name", "valid_from", "valid_to", *(i.name for i in inputs)}


def form_values(form: FormData, inputs: tuple[Input, ...]) -> dict[str, Any]:
    """The submitted inputs as the template shows them again."""
    values: dict[str, Any] = {"name": str(form.get("name") or "").strip()}
    for field in (*inputs, *VALIDITY_INPUTS):
        if field.kind == "items":
            values[field.name] = [str(v) for v in form.getlist(field.name)]
        elif field.kind == "components":
            values[field.name] = [
                [str(v) for v in form.getlist(f"components-{n}")] for n in range(MAX_COMPONENTS)
            ]
        elif field.kind == "flag":
            values[field.name] = form.get(field.name) == "on"
        else:
            values[field.name] = str(form.get(field.name) or "").strip()
    return values


def values_of(data: dict[str, Any], inputs: tuple[Input, ...]) -> dict[str, Any]:
    """A stored record's data as the form shows it."""
    values: dict[str, Any] = {"name": data.get("name", "")}
    for field in (*inputs, *VALIDITY_INPUTS):
        raw = data.get(field.name)
        if field.kind == "items":
            values[field.name] = list(raw or [])
        elif field.kind == "components":
            parts = [list(part) for part in raw or []]
            values[field.name] = (parts + [[] for _ in range(MAX_COMPONENTS)])[:MAX_COMPONENTS]
        elif field.kind == "flag":
            values[field.name] = bool(raw)
        elif field.kind == "time" and isinstance(raw, str) and len(raw) == 10:
            # a date alone covers the whole day: shown as the day's first or last second
            values[field.name] = raw + ("T23:59:59" if field.name == "valid_to" else "T00:00:00")
        else:
            values[field.name] = "" if raw is None else str(raw)
    return values


def record_data(values: dict[str, Any], inputs: tuple[Input, ...]) -> dict[str, Any]:
    """The record data the inputs describe; an empty input is left out (the engine's default)."""
    data: dict[str, Any] = {}
    if values["name"]:
        data["name"] = values["name"]
    for field in (*inputs, *VALIDITY_INPUTS):
        value = values[field.name]
        if field.kind == "items":
            if value:
                data[field.name] = value
        elif field.kind == "components":
            parts = [part for part in value if part]
            if parts:
                data[field.name] = parts
        elif field.kind == "flag":
            if value:
                data[field.name] = True
        elif value == "":
            continue
        elif field.kind == "whole":
            try:
                data[field.name] = int(value)
            except ValueError:
                raise RecordDataError(field.name, f"{value!r} is not a whole number") from None
        else:
            data[field.name] = value
    return data


def new_record_id(name: str, taken: set[str]) -> str:
    """An id people can read, made from the name (``Spring 10%`` → ``SPRING-10``), not taken yet."""
    base = _SLUG.sub("-", name.upper()).strip("-")[:40] or "PROMOTION"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def input_name(field: str) -> str:
    """The input that shows a refusal of data ``field`` (``components[1]``: ``components``)."""
    return re.sub(r"\[\d+\].*$", "", field).split(".")[0] or "form"
