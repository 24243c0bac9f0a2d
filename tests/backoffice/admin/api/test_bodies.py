"""Every pack and mall reply matches the body its route declares in the OpenAPI
document (S15: real body schemas, not bare objects)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from backoffice.admin.api.pack_bodies import (
    DistributionBody,
    GiftBody,
    PackDetails,
    PackLinkBody,
    PacksPage,
    SchedulerRunBody,
)
from backoffice.mall.bodies import PublicPackBody, PurchaseBody
from tests.backoffice.conftest import AdminApi
from tests.backoffice.packs.conftest import campaign_pack, paid_pack


def _matches(model: type[BaseModel], response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    model.model_validate(body)
    return body


def test_pack_replies_match_their_declared_bodies(api: AdminApi) -> None:
    """S15: create, list, details, edit, copy, publish, gift, distribute, link, the
    scheduler, the mall's view and a purchase each answer the body they declare."""
    campaign = _matches(PackDetails, api("POST", "/api/v1/admin/packs", json=campaign_pack()), 201)
    paid = _matches(PackDetails, api("POST", "/api/v1/admin/packs", json=paid_pack()), 201)
    _matches(PacksPage, api("GET", "/api/v1/admin/packs"))
    _matches(PackDetails, api("GET", f"/api/v1/admin/packs/{paid['id']}"))
    _matches(PackDetails, api("PATCH", f"/api/v1/admin/packs/{paid['id']}", json={"inventory": 9}))
    copy = _matches(PackDetails, api("POST", f"/api/v1/admin/packs/{paid['id']}/copy"), 201)
    _matches(PackDetails, api("POST", f"/api/v1/admin/packs/{copy['id']}/publish"))
    gift = {"phone": "+15550100001", "quantity": 1}
    _matches(GiftBody, api("POST", f"/api/v1/admin/packs/{campaign['id']}/gifts", json=gift), 201)
    audience = {"audience": {"member_ids": ["M-1001"]}, "key": "bodies"}
    path = f"/api/v1/admin/packs/{campaign['id']}/distributions"
    _matches(DistributionBody, api("POST", path, json=audience), 201)
    _matches(DistributionBody, api("POST", path, json=audience), 200)  # the repeated key
    _matches(PackLinkBody, api("GET", f"/api/v1/admin/packs/{paid['id']}/link"))
    _matches(SchedulerRunBody, api("POST", "/api/v1/admin/pack-scheduler/run"))
    _matches(PublicPackBody, api("GET", f"/api/v1/mall/packs/{paid['id']}"))
    _matches(PurchaseBody, api.buy(paid["id"], order_id="O-BODIES"), 201)
    _matches(PurchaseBody, api.buy(paid["id"], order_id="O-BODIES"), 200)
    _matches(PackDetails, api("POST", f"/api/v1/admin/packs/{paid['id']}/archive"))
