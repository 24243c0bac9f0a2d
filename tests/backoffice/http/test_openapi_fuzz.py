"""The OpenAPI document, checked against the API by schemathesis (S15): every operation,
with an admin token, a device token and no token, answers no 5xx and no status the
document does not list, with a body its schema describes.

Bounded: a fixed number of generated requests per operation (derandomized, so a run
is repeatable), on SQLite and on PostgreSQL, with the demo chain.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from backoffice.admin.users import add_admin_user
from backoffice.app import create_app
from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.trust.admin_tokens import GROUP_ADMIN, issue_admin_token
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code
from pos_app.protocol.bounds import text_problem
from tests.backoffice.admin.pages.conftest import PASSWORD, PageClient

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 60
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def api(database_url: str) -> Iterator[Any]:
    """The app over a database with the demo chain, and a token of each kind."""
    database = Database(database_url)
    now = utc_now()
    with database.sessions.begin() as session:
        load_chain(session, read_chain_file(), now)
        admin = issue_admin_token(session, "fuzz", now)
        code = issue_enrollment_code(session, "DEMO-1", now)
        device = enroll_device(session, code, "fuzz-till", now).token
    database.dispose()
    app = create_app(database_url, pack_scheduler_interval=None)
    yield app, {"admin": admin, "device": device}


def test_every_operation_answers_only_what_the_document_says(api: Any) -> None:
    """S15: no 5xx, no undocumented status, no body outside its schema, whatever the
    token (admin, device, none) and whatever the generated input."""
    app, tokens = api
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            operations.append(result.ok())
        else:
            failures.append(f"the document does not load: {result.err()}")
    assert len(operations) >= 30
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), who=st.sampled_from(["admin", "device", "none"]))
        def call(case: Any, who: str) -> None:
            headers = {} if who == "none" else {"Authorization": f"Bearer {tokens[who]}"}
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except BaseException as failure:
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    assert not failures, "\n\n".join(failures)


_FIELD_VALUES = st.one_of(
    st.sampled_from(["Tea\x00pack", "\x00", "\ud800", "99999999999999999999999", "1e400"]),
    st.text(max_size=40),  # any character: NULs, lone surrogates, control characters
    st.integers(min_value=-(2**70), max_value=2**70),
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,8})?", fullmatch=True),  # prices of any size
    st.none(),
    st.lists(st.text(max_size=10), max_size=3),
)
_PACK_FIELDS = (
    "name", "description", "price", "time_zone", "image_url", "redirect_url", "inventory",
    "stores", "channels",
)  # fmt: skip


@pytest.mark.parametrize("form", [False, True], ids=["api", "form"])
def test_admin_pack_fields_never_answer_5xx(api: Any, database_url: str, form: bool) -> None:
    """Issue 18 item 4: any value in any field of a pack, on the admin API and on the
    admin form (short budget, derandomized), is refused or kept: never a 5xx."""
    app, tokens = api
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    base = {
        "type": "paid",
        "name": "Fuzz pack",
        "content": [{"coupon_code": "CV-5", "quantity": 1, "validity_days": 7}],
        "channels": ["mall"],
        "sales_period": {"first_day": "2026-11-01", "last_day": "2026-12-31"},
        "price": "9.90",
        "stores": ["DEMO-1"],
    }
    with TestClient(app) as client:
        pages = _signed_in(client, database_url) if form else None

        @settings(max_examples=60, deadline=None, database=None, derandomize=True)
        @given(field=st.sampled_from(_PACK_FIELDS), value=_FIELD_VALUES)
        def post(field: str, value: object) -> None:
            if pages is None:
                body = json.dumps({**base, field: value})  # escaped: surrogates travel
                response = client.post(
                    "/api/v1/admin/packs",
                    content=body,
                    headers={**headers, "Content-Type": "application/json"},
                )
            else:
                text = "" if value is None else str(value)
                if text_problem(text.replace("\x00", "")) is not None:
                    return  # a lone surrogate: no browser can send one in a form
                fields = [*_PACK_FORM.items(), (_FORM_FIELDS.get(field, field), text)]
                response = pages.post("/admin/packs/new", fields)
            assert response.status_code < 500, (field, value, response.text[:500])

        post()


# The pack form's fields (a paid pack), and the form field each pack field is typed in.
_PACK_FORM = {
    "type": "paid",
    "name": "Fuzz pack",
    "time_zone": "UTC",
    "content-0-coupon_code": "CV-5",
    "content-0-quantity": "1",
    "content-0-effective": "immediate",
    "content-0-delay": "",
    "content-0-validity_days": "7",
    "sales_first_day": "2026-11-01",
    "sales_last_day": "2026-12-31",
    "price": "9.90",
    "inventory_mode": "limited",
    "inventory": "5",
    "channels": "mall",
    "stores": "DEMO-1",
    "action": "publish",
}
_FORM_FIELDS = {"inventory": "inventory"}


def _signed_in(client: Any, database_url: str) -> PageClient:
    """A group administrator signed in to the pages, as a browser is."""
    database = Database(database_url)
    with database.sessions.begin() as session:
        add_admin_user(session, "fuzz@example.com", PASSWORD, role=GROUP_ADMIN, now=utc_now())
    database.dispose()
    pages = PageClient(client)
    assert pages.sign_in("fuzz@example.com").status_code == 303
    return pages
