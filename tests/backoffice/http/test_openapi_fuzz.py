"""The OpenAPI document, checked against the API by schemathesis (S15): every operation,
with an admin token, a device token and no token, answers no 5xx and no status the
document does not list, with a body its schema describes.

Bounded: a fixed number of generated requests per operation (derandomized, so a run
is repeatable), on SQLite and on PostgreSQL, with the demo chain.
"""

from __future__ import annotations

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

from backoffice.app import create_app
from backoffice.chain.demo_chain import load_chain, read_chain_file
from backoffice.clock import utc_now
from backoffice.database import Database
from backoffice.trust.admin_tokens import issue_admin_token
from backoffice.trust.enrollment import enroll_device, issue_enrollment_code

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
