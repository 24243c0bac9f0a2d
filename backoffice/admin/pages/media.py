"""Serving uploaded images (a pack's picture) to anyone: the share page shows them too."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from backoffice.admin.images import IMAGE_PATH
from backoffice.http.path_values import RowId
from backoffice.http.services import ServicesDep
from backoffice.models.images import StoredImage

router = APIRouter(include_in_schema=False)


@router.get(IMAGE_PATH + "{image_id}")
def image(image_id: RowId, services: ServicesDep) -> Response:
    """An uploaded image with its checked media type; never sniffed as anything else."""
    with services.database.sessions.begin() as session:
        stored = session.get(StoredImage, image_id)
        if stored is None:
            raise HTTPException(404, "no such image")
        content, media_type = stored.content, stored.media_type
    return Response(
        content,
        media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400"},
    )
