"""What a buyer sees of a paid pack (K4, K11), and where a pack's link points."""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy.orm import Session

from backoffice.chain.change_log import find_record
from backoffice.chain.record_listing import names_of
from backoffice.http.services import Services
from backoffice.mall.bodies import ContentLine, PublicPackBody, SalesPeriodView
from backoffice.packs.currency import pack_currency
from backoffice.packs.errors import PackInputError
from backoffice.packs.issuance import DRAFT
from backoffice.packs.lifecycle import get_pack
from backoffice.packs.listing import SalesState, inventory_left, sales_state

MALL_URL_ENV = "POS_BACKOFFICE_MALL_URL"


def mall_base_url(services: Services) -> str:
    """Where a pack's link points: ``$POS_BACKOFFICE_MALL_URL``, else this server's /mall
    at its configured public URL (never the request's Host header)."""
    return os.environ.get(MALL_URL_ENV) or f"{services.public_url}/mall"


def public_pack_view(session: Session, pack_id: int, now: datetime) -> PublicPackBody:
    """What a buyer may see of a paid pack, with its sales state (K4, K11)."""
    pack = get_pack(session, pack_id)
    if pack.pack_type != "paid":
        raise PackInputError("pack_id", f"pack {pack_id} is not sold")
    state = sales_state(pack, now)
    stores = {
        store_id: record.data
        for store_id in pack.store_ids
        if (record := find_record(session, "store", store_id)) is not None and not record.deleted
    }
    coupon_names = names_of(session, "coupon")
    return PublicPackBody(
        id=pack.id,
        name=pack.name,
        description=pack.description,
        image_url=pack.image_url,
        price=str(pack.price),
        currency=pack_currency(session, pack),
        channels=list(pack.channels),
        on_sale=state == SalesState.on_sale,
        sales_state=str(state),
        sales_period=SalesPeriodView(
            first_day=str(pack.sales_first_day), last_day=str(pack.sales_last_day)
        ),
        stores=list(pack.store_ids),
        store_names=[str(stores.get(s, {}).get("name") or s) for s in pack.store_ids],
        sold_out=state == SalesState.sold_out,
        inventory_left=inventory_left(pack),
        draft=pack.status == DRAFT,
        content=[
            ContentLine(
                coupon_name=coupon_names.get(entry["coupon_code"], entry["coupon_code"]),
                quantity=entry["quantity"],
                effective=entry["effective"],
                delay=entry.get("delay"),
                validity_days=entry["validity_days"],
            )
            for entry in pack.content
        ],
    )
