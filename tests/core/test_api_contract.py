"""The API keeps its contract: every operation's answers are those its OpenAPI schema describes.

schemathesis loads the schema the portal serves (``/api/v1/schema/``) from the Django
application in-process, generates valid and invalid requests for every operation (reads and
writes), sends them as the district administrator with the records of :mod:`tests.route_data`,
and checks each answer: no server error, a documented status code, a documented content type,
and a body that matches the documented schema. Path parameters and the fields naming records
(person, unit, document...) are drawn from the records that exist as well as generated, so
reads answer with real records and writes succeed too; every read must have answered 2xx at
least once. The requests are the same on every run (derandomized); failures are gathered, not
shrunk, and reported together, each with a request that shows it.

Run it alone: ``.venv/bin/pytest tests/core/test_api_contract.py`` (about a minute and a half
on two cores; ``API_CONTRACT_EXAMPLES=50`` for a longer run than the default 12 requests per
operation and mode). The last tests read the kernel's rules (``longbien/core/schema.py``)
from the generated schema directly.
"""

from __future__ import annotations

import logging
import os
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from longbien.org.choices import Role
from longbien.org.models import RoleAssignment
from tests.route_data import build_bundle, rolled_back

# Generated requests per operation and mode (valid, then invalid input).
EXAMPLES = int(os.environ.get("API_CONTRACT_EXAMPLES", "12"))
# The whole check must stay short in CI (about a minute and a half on two cores).
TIME_LIMIT = int(240 * max(1.0, EXAMPLES / 12))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    """One set of records for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), rolled_back():
        yield build_bundle()


@pytest.fixture
def in_process_app():
    """Django's WSGI handler, called in the test's own transaction.

    As Django's test client does, the handler's request signals must not close the
    connection (it holds the test's transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # refusals would each print a line
    try:
        yield WSGIHandler()
    finally:
        logger.setLevel(level)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _existing_values(bundle) -> dict[str, list]:
    """Values naming records of the bundle, by the name of the parameter or field."""
    sides = [bundle.a, bundle.b]
    ids = {bundle.term.pk, bundle.district_document.pk}
    for side in sides:
        for name in (
            "person", "document", "task", "conference", "briefing", "evaluation_draft",
            "evaluation_self", "evaluation_assessed", "evaluation_approved", "decision", "test",
            "plan", "assignment", "training", "procedure", "role_user",
        ):  # fmt: skip
            ids.add(getattr(side, name).pk)
    units = [bundle.tree.root.code] + [code for s in sides for code in (s.ward.code, s.cell.code)]
    people = [side.person.code for side in sides]
    documents = [bundle.district_document.pk, *(side.document.pk for side in sides)]
    return {
        # path parameters
        "id": sorted(ids),
        "code": units,
        "assignment_pk": [side.role_assignment.pk for side in sides],
        # body fields
        "person": people,
        "people": [people[:1], people],
        "unit": units,
        "units": [units[1:2], units[1:3]],
        "parent": units,
        "issuing_unit": units,
        "to_unit": units,
        "document": documents,
    }


def _either(generated, existing: list):
    """The generated value, or one naming a record that exists."""
    return st.sampled_from([generated, *existing])


@pytest.fixture
def api_schema(bundle, db, in_process_app, monkeypatch):
    """The schema the portal serves, loaded from the app, called as the district administrator."""
    # The 429 stays documented, but this run's requests are not counted against the user.
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", None)
    admin = bundle.users["admin"]
    # Confidential operations (cases) answer only the inspection role: the administrator also
    # holds it here, so that every operation is exercised with real records.
    RoleAssignment.objects.create(user=admin, role=Role.INSPECTION, unit=bundle.tree.root)
    token = Token.objects.create(user=admin)
    auth = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_process_app, headers=auth)
    schema.config.headers = auth
    existing = _existing_values(bundle)
    client = Client(HTTP_AUTHORIZATION=auth["Authorization"])
    listed: dict[str, list] = {}

    def ids_listed(path: str) -> list:
        """The ids the register above ``path`` lists (``/x/{id}/y/`` -> ``/x/``), so that each
        operation on one record is tried on records of its own kind, whatever their keys."""
        register = path.split("{id}")[0]
        if register not in listed:
            response = client.get(register, {"page_size": 5})
            # The test client reconnects the request signals that close the connection;
            # the in-process app must keep the test's transaction open.
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
            body = response.json() if response.status_code == 200 else []
            rows = body.get("results", []) if isinstance(body, dict) else body
            listed[register] = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
        return listed[register]

    def with_existing(context, values):
        if not isinstance(values, dict):
            return st.just(values)
        path = context.operation.path if context.operation is not None else ""
        choices = {}
        for name, value in values.items():
            known = existing.get(name, [])
            if name == "id" and "{id}" in path:
                known = ids_listed(path) or known
            choices[name] = _either(value, known) if known else st.just(value)
        return st.fixed_dictionaries(choices)

    schema.hook("flatmap_path_parameters")(with_existing)
    schema.hook("flatmap_body")(with_existing)
    return schema


def _check_operation(operation, mode, headers, failures: dict, statuses: Counter) -> None:
    """Send up to ``EXAMPLES`` generated requests; gather the distinct failures found."""

    def note(failure, case, response):
        key = (operation.label, failure.title, failure.message)
        query = f"?{case.query}" if case.query else ""
        failures.setdefault(
            key,
            f"{case.method} {case.formatted_path}{query} {case.body!r:.300} -> "
            f"{response.status_code} {response.text[:300]}",
        )

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same requests on every run
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are gathered
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        statuses[(operation.label, response.status_code // 100)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                note(failure, case, response)
        except Failure as failure:
            note(failure, case, response)

    try:
        run()
    except Unsatisfiable:
        # Nothing of the operation can be made invalid (no parameters, no body).
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.timeout(TIME_LIMIT)
def test_every_operation_answers_as_its_schema_says(api_schema):
    headers = api_schema.config.headers
    failures: dict = {}
    statuses: Counter = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _check_operation(operation, mode, headers, failures, statuses)

    assert not failures, f"{len(failures)} answers unlike the schema:\n\n" + "\n\n".join(
        f"{label}: {title}\n{message}\n{example}"
        for (label, title, message), example in failures.items()
    )
    # Every read was answered with real records at least once, so their bodies were checked.
    reads = {op.label for op in operations if op.method.upper() == "GET"}
    unanswered = sorted(label for label in reads if not statuses[(label, 2)])
    assert len(reads) > 25 and not unanswered, unanswered


# --- the kernel's rules of the schema (longbien/core/schema.py), read from the schema itself --


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operation(openapi, path: str, method: str) -> dict:
    return openapi["paths"][path][method]


def _response_schema(openapi, path: str, method: str, code: str) -> dict:
    return _operation(openapi, path, method)["responses"][code]["content"]["application/json"][
        "schema"
    ]


def test_every_operation_documents_its_refusals(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "429"} <= codes, (method, path)
            assert ("404" in codes) == ("{" in path or operation["operationId"].endswith("_list"))
            assert ("413" in codes) == (method in ("post", "put", "patch")), (method, path)
            assert _response_schema(openapi, path, method, "403") == {
                "$ref": "#/components/schemas/ErrorDetail"
            }


def test_a_read_only_field_may_be_what_its_model_field_stores(openapi):
    components = openapi["components"]["schemas"]
    # A nullable relation shown by a read-only field.
    assert components["Decision"]["properties"]["from_position"]["nullable"] is True
    assert components["OrgUnit"]["properties"]["successor"]["nullable"] is True
    # A blank choice: the rating of a month not yet approved.
    rating = components["Evaluation"]["properties"]["rating"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in rating["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in (
        components["Assignment"]["properties"]["result"]["oneOf"]
    )
    # A field always stored stays required and not nullable.
    assert "nullable" not in components["Evaluation"]["properties"]["person_name"]


def test_only_the_list_action_is_paged_and_filtered(openapi):
    participants = "/api/v1/cadres/tests/{id}/participants/"
    assert _response_schema(openapi, participants, "get", "200") == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Participant"},
    }
    assert not [p for p in _operation(openapi, participants, "get").get("parameters", [])
                if p["in"] == "query"]  # fmt: skip
    assigned = _response_schema(openapi, "/api/v1/resolutions/tasks/", "post", "201")
    assert assigned["type"] == "array"
    assert not [
        p
        for p in _operation(openapi, "/api/v1/resolutions/tasks/", "post")["parameters"]
        if p["in"] == "query"
    ]
    listed = _response_schema(openapi, "/api/v1/resolutions/tasks/", "get", "200")
    assert listed == {"$ref": "#/components/schemas/PaginatedTaskList"}
