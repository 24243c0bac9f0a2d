"""Image uploads over the admin API (group_admin only): a pack's picture, checked and
kept by :mod:`backoffice.admin.images`; its ``url`` goes into the pack's ``image_url``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile, status

from backoffice.admin.api.directory_bodies import StoredImageBody
from backoffice.admin.images import MAX_IMAGE_BYTES, ImageRefused, image_url, store_image
from backoffice.http.bearer import AdminDep
from backoffice.http.refusals import field_refusal
from backoffice.http.services import ServicesDep

router = APIRouter(prefix="/api/v1/admin", tags=["admin directory"])


@router.post(
    "/images",
    status_code=status.HTTP_201_CREATED,
    responses={
        422: {"description": "not a PNG, JPEG, GIF or WebP image, or too large"},
    },
)
async def upload_image(
    request: Request,
    image: Annotated[UploadFile, File(description=f"at most {MAX_IMAGE_BYTES} bytes")],
    admin: AdminDep,
    services: ServicesDep,
) -> StoredImageBody:
    """Keep an image for a pack; its `url` goes into the pack's `image_url`."""
    content = await image.read()
    try:
        with services.database.sessions.begin() as session:
            stored = store_image(
                session, content, now=services.clock(), actor=f"admin:{admin.name}"
            )
            return StoredImageBody(
                id=stored.id,
                url=image_url(services.public_url, stored),
                media_type=stored.media_type,
                width=stored.width,
                height=stored.height,
            )
    except ImageRefused as refused:
        raise field_refusal(422, ["body", "image"], "image", f"image: {refused}") from None
