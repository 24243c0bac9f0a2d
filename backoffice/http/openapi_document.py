"""The OpenAPI document lists every status a route answers (S15, schemathesis-checked).

Some answers come from no route's own code but from what stands in front of every
route: the bearer-token check (401, or 403 for the wrong kind of token), a path value
that names nothing (404, :func:`backoffice.app._envelope_or_field_error`), a NUL in the
query (400, :mod:`backoffice.http.request_guard`), a body over the limit (413,
:mod:`backoffice.http.body_limit`), and every pack operation's refusal when the pack's state
forbids it (409, :func:`backoffice.http.refusals.pack_refusal`). :func:`complete_responses` adds
them to each operation they can reach, with their body schemas.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from backoffice.http.error_bodies import ErrorBody, UnauthorizedBody

_METHODS = ("get", "put", "post", "delete", "patch")


def _ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _response(description: str, model: type[BaseModel]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def complete_responses(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the statuses every operation can answer (added in place)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorBody, UnauthorizedBody):
        generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in generated.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas.setdefault(model.__name__, generated)
    for operations in document.get("paths", {}).values():
        for method in _METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            places = {parameter.get("in") for parameter in operation.get("parameters", [])}
            added: dict[str, dict[str, Any]] = {}
            if operation.get("security"):
                added["401"] = _response(
                    "missing, unknown, revoked or expired token", UnauthorizedBody
                )
                added["403"] = _response("a token of another kind or store", ErrorBody)
            if "path" in places:
                added["404"] = _response("nothing by that id", ErrorBody)
            if "query" in places:
                added["400"] = _response("a query value that names nothing (a NUL)", ErrorBody)
            if {"packs", "mall"} & set(operation.get("tags", [])):
                added["409"] = _response("the pack's state forbids it (a stable code)", ErrorBody)
            if "requestBody" in operation:
                added["413"] = _response("body larger than the limit", ErrorBody)
            for status, response in added.items():
                responses.setdefault(status, response)
    return document
