"""The pack form's translation: inputs to the canonical configuration and refusals back to
the input at fault; the rules themselves stay the definition's (K1-K4)."""

from __future__ import annotations

import pytest

from backoffice.admin.pages.labels import readable
from backoffice.admin.pages.pack_form import blank_values, input_name, pack_data, values_of
from backoffice.packs.errors import PackInputError


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("content[2].quantity", "content-2-quantity"),
        ("subsequent_content[0].coupon_code", "subsequent-0-coupon_code"),
        ("content[1]", "content-1-coupon_code"),
        ("distribution.cycles", "cycles"),
        ("sales_period.last_day", "sales_last_day"),
        ("limits.daily", "limit_daily"),
        ("stores[1]", "stores"),
        ("image_url", "image"),
        ("price", "price"),
        ("", "form"),
    ],
)
def test_refusals_map_to_their_input(field: str, expected: str) -> None:
    """A refusal of a canonical field shows on the input that holds it."""
    assert input_name(field) == expected


def test_a_recurring_pack_with_different_first_content() -> None:
    """K3: "different" sends subsequent content; untouched content rows are left out."""
    values = blank_values() | {
        "name": "Monthly",
        "method": "recurring",
        "period": "monthly",
        "cycles": "3",
        "first_same": "different",
        "content": [
            {
                "coupon_code": "CV-5",
                "quantity": "2",
                "effective": "after_hours",
                "delay": "6",
                "validity_days": "10",
            },
            {
                "coupon_code": "",
                "quantity": "1",
                "effective": "immediate",
                "delay": "",
                "validity_days": "30",
            },
        ],
        "subsequent": [
            {
                "coupon_code": "MV-4",
                "quantity": "1",
                "effective": "immediate",
                "delay": "",
                "validity_days": "5",
            }
        ],
    }
    data = pack_data(values, [])
    assert data["distribution"] == {"method": "recurring", "period": "monthly", "cycles": 3}
    assert data["content"] == [
        {
            "coupon_code": "CV-5",
            "quantity": 2,
            "effective": "after_hours",
            "delay": 6,
            "validity_days": 10,
        }
    ]
    assert data["subsequent_content"][0]["coupon_code"] == "MV-4"
    assert (
        "price" not in data and values_of(data | {"type": "campaign"})["first_same"] == "different"
    )


def test_a_paid_pack_adds_organisation_stores_and_checks_numbers() -> None:
    """K4: organisation stores join the ticked ones once; "Limited" needs a number."""
    values = blank_values() | {
        "type": "paid",
        "name": "P",
        "stores": ["A"],
        "inventory_mode": "limited",
        "inventory": "7",
        "limit_daily": "1",
    }
    data = pack_data(values, ["B", "A"])
    assert (data["stores"], data["inventory"], data["limits"]) == (["A", "B"], 7, {"daily": 1})
    for changes, field in (
        ({"inventory": ""}, "inventory"),
        ({"limit_total": "many"}, "limits.total"),
    ):
        with pytest.raises(PackInputError) as refused:
            pack_data(values | changes, [])
        assert refused.value.field == field


def test_readable_drops_rule_ids() -> None:
    """People read no rule ids: "(K4)" and "(K3, K4)" go, the sentence is capitalised."""
    assert readable("must be greater than 0, not '0' (K4)") == "Must be greater than 0, not '0'"
    assert readable("a paid pack is sold (K3, K4); copy it") == "A paid pack is sold; copy it"
