"""Contract test: schemathesis calls every operation of /api/v1/openapi.json on the demo data.

Positive and negative examples (a bounded number per operation), with a write token of the
demo's administrator, through the WSGI app. It fails on any server error and on any response
the document does not describe: an undocumented status code or content type, or a body that
breaks its schema. The figures (operations, calls, statuses) are printed at the end
(``pytest -s``) for the issue's closing note.
"""
from collections import Counter

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.api import tokens
from app.auth.models import User
from app.config import TestConfig
from app.extensions import db
from app.settings.services import change

EXAMPLES = 12  # per operation and mode: the whole test stays well under 90 s
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
FIGURES: dict = {"operations": set(), "calls": 0, "statuses": Counter()}


def _document() -> dict:
    """The app's OpenAPI document, as served (it reads no row: an empty in-memory database)."""
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


# Loaded when the module is collected: one test per operation (pytest 9 cannot run
# schemathesis' lazy ``from_fixture`` schemas).
schema = schemathesis.openapi.from_dict(_document())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                max_examples=EXAMPLES)


@pytest.fixture
def secret(demo_app):
    change("api.requests_per_minute", value="100000")  # the calls come faster than a script's
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.example"))
    _row, secret = tokens.issue_token(admin, "schemathesis", "write", None)
    db.session.commit()
    return secret


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield FIGURES
    print(f"\nschemathesis: {len(FIGURES['operations'])} operations, {FIGURES['calls']} calls, "
          f"statuses {dict(sorted(FIGURES['statuses'].items()))}")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, secret, demo_app):
    client = demo_app.test_client()  # each request with fresh per-request caches
    response = case.call_and_validate(app=demo_app, session=client, checks=CHECKS,
                                      headers={"Authorization": f"Bearer {secret}",
                                               "Accept-Language": "vi"})
    FIGURES["operations"].add(case.operation.label)
    FIGURES["calls"] += 1
    FIGURES["statuses"][response.status_code] += 1
