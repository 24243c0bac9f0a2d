"""The coupon-pack form: what the browser sends, turned into the pack configuration that
:func:`backoffice.packs.definition.parse_pack_definition` checks, and back.

The form has one input per setting of the seed (``content-0-quantity``,
``sales_first_day``, ``limit_total``, ...). :func:`pack_data` builds the canonical
configuration from those values; every rule is then the definition's own, and a
refusal's field (``content[0].quantity``) is mapped back to the input at fault by
:func:`input_name`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import FormData

from backoffice.packs.errors import PackInputError

ENTRY_FIELDS = ("coupon_code", "quantity", "effective", "delay", "validity_days")
ENTRY_INTS = ("quantity", "delay", "validity_days")
CONTENT_SECTIONS = {"content": "content", "subsequent_content": "subsequent"}
MAX_ENTRIES = 50
MAX_WHOLE = 2**31 - 1  # what every database's integer column holds
_ENTRY_FIELD = re.compile(r"^(content|subsequent_content)\[(\d+)\](?:\.(\w+))?$")
# canonical field -> the form input that holds it
_INPUTS = {
    "distribution": "method",
    "distribution.method": "method",
    "distribution.period": "period",
    "distribution.cycles": "cycles",
    "sales_period": "sales_first_day",
    "sales_period.first_day": "sales_first_day",
    "sales_period.last_day": "sales_last_day",
    "limits": "limit_total",
    "limits.total": "limit_total",
    "limits.daily": "limit_daily",
    "image_url": "image",
}


def blank_values() -> dict[str, Any]:
    """What a new pack's form starts with."""
    return {
        "type": "campaign",
        "name": "",
        "description": "",
        "image_url": "",
        "time_zone": "UTC",
        "method": "one_time",
        "period": "weekly",
        "cycles": "",
        "first_same": "same",
        "content": [_blank_entry()],
        "subsequent": [_blank_entry()],
        "channels": ["mall"],
        "sales_first_day": "",
        "sales_last_day": "",
        "price": "",
        "inventory_mode": "unlimited",
        "inventory": "",
        "stores": [],
        "organisations": [],
        "redirect_url": "",
        "auto_refund": False,
        "limit_total": "",
        "limit_daily": "",
    }


def _blank_entry() -> dict[str, str]:
    return {
        "coupon_code": "",
        "quantity": "1",
        "effective": "immediate",
        "delay": "",
        "validity_days": "30",
    }


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _entries(form: FormData, prefix: str) -> list[dict[str, str]]:
    rows = []
    for index in range(MAX_ENTRIES):
        row = {field: _text(form, f"{prefix}-{index}-{field}") for field in ENTRY_FIELDS}
        if f"{prefix}-{index}-coupon_code" not in form:
            continue
        rows.append(row)
    return rows


def form_values(form: FormData) -> dict[str, Any]:
    """The submitted form as the template shows it again (every value a string or list)."""
    values = blank_values()
    for name in (
        "type",
        "name",
        "description",
        "image_url",
        "time_zone",
        "method",
        "period",
        "cycles",
        "first_same",
        "sales_first_day",
        "sales_last_day",
        "price",
        "inventory_mode",
        "inventory",
        "redirect_url",
        "limit_total",
        "limit_daily",
    ):
        if name in form:
            values[name] = _text(form, name)
    values["content"] = _entries(form, "content") or [_blank_entry()]
    values["subsequent"] = _entries(form, "subsequent") or [_blank_entry()]
    values["channels"] = [str(v) for v in form.getlist("channels")]
    values["stores"] = [str(v) for v in form.getlist("stores")]
    values["organisations"] = [str(v) for v in form.getlist("organisations")]
    values["auto_refund"] = form.get("auto_refund") == "on"
    return values


def _entry_values(entries: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {field: "" if entry.get(field) is None else str(entry[field]) for field in ENTRY_FIELDS}
        for entry in entries
    ]


def values_of(definition: dict[str, Any]) -> dict[str, Any]:
    """A stored pack's configration (:func:`definition_data`) as the form shows it."""
    values = blank_values()
    distribution = definition.get("distribution") or {}
    limits = definition.get("limits") or {}
    period = definition.get("sales_period") or {}
    subsequent = definition.get("subsequent_content")
    inventory = definition.get("inventory")
    values.update(
        {
            "type": definition["type"],
            "name": definition["name"],
            "description": definition.get("description") or "",
            "image_url": definition.get("image_url") or "",
            "time_zone": definition.get("time_zone") or "UTC",
            "method": distribution.get("method", "one_time"),
            "period": distribution.get("period") or "weekly",
            "cycles": str(distribution.get("cycles") or ""),
            "first_same": "different" if subsequent else "same",
            "content": _entry_values(definition["content"]),
            "subsequent": _entry_values(subsequent) if subsequent else [_blank_entry()],
            "channels": list(definition.get("channels") or []),
            "sales_first_day": period.get("first_day", ""),
            "sales_last_day": period.get("last_day", ""),
            "price": definition.get("price") or "",
            "inventory_mode": "unlimited" if inventory is None else "limited",
            "inventory": "" if inventory is None else str(inventory),
            "stores": list(definition.get("stores") or []),
            "redirect_url": definition.get("redirect_url") or "",
            "auto_refund": bool(definition.get("auto_refund")),
            "limit_total": str(limits.get("total") or ""),
            "limit_daily": str(limits.get("daily") or ""),
        }
    )
    return values


def _whole(raw: str, field: str) -> int | None:
    if raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise PackInputError(field, f"{raw!r} is not a whole number") from None
    if abs(number) > MAX_WHOLE:
        raise PackInputError(field, f"{raw} is too large")
    return number


def _entry_data(rows: list[dict[str, str]], section: str) -> list[dict[str, Any]]:
    data = []
    for index, row in enumerate(rows):
        if not any(row[field] for field in ("coupon_code", "delay")) and row["quantity"] in (
            "",
            "1",
        ):
            continue  # an untouched row
        entry: dict[str, Any] = {"effective": row["effective"] or "immediate"}
        if row["coupon_code"]:
            entry["coupon_code"] = row["coupon_code"]
        for field in ENTRY_INTS:
            number = _whole(row[field], f"{section}[{index}].{field}")
            if number is not None:
                entry[field] = number
        data.append(entry)
    return data


def pack_data(values: dict[str, Any], organisation_stores: list[str]) -> dict[str, Any]:
    """The canonical configuration the form describes (see :mod:`backoffice.packs.definition`).

    ``organisation_stores`` are the stores of the organisations ticked (bulk selection),
    added to the stores ticked one by one. Raises :class:`PackInputError` for a number
    that is not one; every other rule is left to the definition's checks.
    """
    data: dict[str, Any] = {
        "type": values["type"],
        "name": values["name"],
        "description": values["description"] or None,
        "image_url": values["image_url"] or None,
        "time_zone": values["time_zone"] or "UTC",
        "content": _entry_data(values["content"], "content"),
    }
    if values["type"] != "paid":
        distribution: dict[str, Any] = {"method": values["method"]}
        subsequent = None
        if values["method"] == "recurring":
            distribution["period"] = values["period"] or None
            distribution["cycles"] = _whole(values["cycles"], "distribution.cycles")
            if values["first_same"] == "different":
                subsequent = _entry_data(values["subsequent"], "subsequent_content")
        data["distribution"] = distribution
        data["subsequent_content"] = subsequent
        return data
    limits = {
        key: number
        for key, field in (("total", "limit_total"), ("daily", "limit_daily"))
        if (number := _whole(values[field], f"limits.{key}")) is not None
    }
    inventory = None
    if values["inventory_mode"] == "limited":
        inventory = _whole(values["inventory"], "inventory")
        if inventory is None:
            raise PackInputError(
                "inventory", "enter how many packs may be sold, or choose Unlimited"
            )
    return data | {
        "channels": values["channels"],
        "sales_period": {
            key: values[field]
            for key, field in (("first_day", "sales_first_day"), ("last_day", "sales_last_day"))
            if values[field]
        },
        "price": values["price"] or None,
        "inventory": inventory,
        "stores": list(dict.fromkeys([*values["stores"], *organisation_stores])),
        "redirect_url": values["redirect_url"] or None,
        "auto_refund": values["auto_refund"],
        "limits": limits,
    }


def input_name(field: str) -> str:
    """The form input that shows a refusal of the canonical ``field``."""
    entry = _ENTRY_FIELD.match(field)
    if entry:
        section, index, name = entry.groups()
        prefix = CONTENT_SECTIONS[section]
        return f"{prefix}-{index}-{name or 'coupon_code'}"
    if field in _INPUTS:
        return _INPUTS[field]
    return re.sub(r"\[\d+\]$", "", field).split(".")[0] or "form"
