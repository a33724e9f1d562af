"""The API fuzzed as the ward roles: nothing of another ward, nothing confidential, no 5xx.

:mod:`tests.core.test_api_contract` sends generated requests as the district administrator.
This module sends them, to every operation of every app, as two users whose scope is one
ward (ward A of :mod:`tests.route_data`): its **secretary**, and an **inspection** user of
the ward (who, unlike the secretary, is admitted to the ward's confidential cases). The
records are those of the contract test (one of each kind in ward A and in ward B, plus a
case extension in each ward); path parameters and the fields naming records are drawn from
the records of *both* wards and of the district, so out-of-scope ids and codes are tried as
often as in-scope ones.

Each answer is checked for:

* no server error, and a status, content type and body that the schema documents;
* nothing of ward B: no row of a list or detail whose id is one of ward B's records of that
  register, and no string that only ward B's records hold (their unit codes, titles, names,
  references...), anywhere in the body (a nested row, an error message, a label);
* for the secretary, nothing confidential: no case of the inspection committee (their
  references, summaries, conclusions, extensions' reasons) anywhere in any body.

What "ward B's records" are comes from each register's model and its ``Scope.unit_field``
(the records under ward B); "what only they hold" is read from the API, as the district
administrator holding the inspection role: the strings of ward B's rows that no other row of
any register holds. A last test gives every text parameter of every list ward B's own words
and the cases' references (which random text never finds) and checks the answers the same way.

The requests are bounded (``API_FUZZ_EXAMPLES``, default 4 valid and 2 invalid per operation
and role), the same on every run (derandomized) and never shrunk; failures are gathered and
reported together, each with a request that shows it. The module takes under two minutes on
two cores (``API_FUZZ_EXAMPLES=10`` for a longer run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode

from longbien.org.choices import Role
from longbien.org.models import RoleAssignment
from tests.conftest import make_user
from tests.core import test_api_contract as contract
from tests.route_data import build_bundle, rolled_back

# The contract test's in-process application (a fixture).
in_process_app = contract.in_process_app

# Generated requests per operation, role and mode.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))
NEGATIVE_EXAMPLES = max(1, EXAMPLES // 2)
TIME_LIMIT = int(200 * max(1.0, EXAMPLES / 4))
WARD_A, WARD_B = "P-A", "P-B"


@pytest.fixture(scope="module")
def bundle(django_db_setup, django_db_blocker):
    """The contract test's records, a case extension in each ward, and the ward roles' users."""
    from inspections import services as inspections

    with django_db_blocker.unblock(), rolled_back():
        bundle = build_bundle()
        for letter, side in (("A", bundle.a), ("B", bundle.b)):
            case = side.insp.case_verifying
            inspections.case_extend(
                actor=bundle.users["inspection"], case=case,
                new_due_on=case.due_on + dt.timedelta(days=30),
                reason=f"Gia hạn để xác minh thêm đơn phường {letter}",
            )  # fmt: skip
        bundle.extra["inspection_a"] = make_user(
            "inspection_a", Role.INSPECTION, bundle.tree.ward_a
        )
        # The census is read as the administrator, who also holds the inspection role here so
        # that the confidential registers are listed too.
        admin = bundle.users["admin"]
        RoleAssignment.objects.create(user=admin, role=Role.INSPECTION, unit=bundle.tree.root)
        yield bundle


def _token(user) -> str:
    return f"Token {Token.objects.get_or_create(user=user)[0].key}"


def _rows(body: Any) -> list[dict]:
    """The records of a list (paged or not) or of a detail."""
    if isinstance(body, dict):
        body = body.get("results", body)
    if isinstance(body, dict):
        return [body]
    return [row for row in body if isinstance(row, dict)] if isinstance(body, list) else []


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys excepted."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _key(row: dict) -> Any:
    return row.get("id", row.get("code"))


def _register(path: str) -> str:
    """``/x/{id}/y/`` -> ``/x/``: the list whose records the path names."""
    return re.split(r"\{[^}]+\}", path)[0]


@dataclass
class Census:
    """What the API lists of each ward, read as the district administrator."""

    keys: dict[str, list] = field(default_factory=dict)  # register -> every record's id/code
    ward_b_keys: dict[str, set] = field(default_factory=dict)  # register -> ward B's only
    ward_b_strings: set[str] = field(default_factory=set)  # strings only ward B's rows hold
    confidential: set[str] = field(default_factory=set)  # the cases' texts


def _model_of(register: str) -> Any:
    """The model a register lists (its viewset's), or None."""
    try:
        view = resolve(register).func.cls
    except Exception:  # not a viewset's list (the dashboard)
        return None
    serializer = getattr(getattr(view, "serializer_class", None), "Meta", None)
    return getattr(view, "model", None) or getattr(serializer, "model", None)


def _ward_keys(model: Any, ward) -> set:
    """The ids (and codes) of a model's records in a ward's subtree, by its scope's unit."""
    unit_field = getattr(getattr(model, "Scope", None), "unit_field", None)
    if model is None or unit_field is None:
        return set()
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    rows = model._default_manager.filter(**{lookup: ward.path})
    keys = set(rows.values_list("pk", flat=True))
    if any(f.name == "code" for f in model._meta.fields):
        keys |= set(rows.values_list("code", flat=True))
    return keys


def _take_census(bundle, registers: list[str]) -> Census:
    from inspections.models import Case, CaseExtension

    client = Client(HTTP_AUTHORIZATION=_token(bundle.users["admin"]))
    census = Census()
    elsewhere: set[str] = set()
    for register in registers:
        response = client.get(register)
        rows = _rows(response.json()) if response.status_code == 200 else []
        model = _model_of(register)
        keys_a = _ward_keys(model, bundle.tree.ward_a)
        keys_b = _ward_keys(model, bundle.tree.ward_b)
        # Ward A's records first (tried first), then ward B's and the district's.
        census.keys[register] = sorted(
            {_key(r) for r in rows} - {None},
            key=lambda k: (k not in keys_a, k not in keys_b, str(k)),
        )
        census.ward_b_keys[register] = keys_b
        for row in rows:
            (census.ward_b_strings if _key(row) in keys_b else elsewhere).update(_strings(row))
    # The test client reconnects the request signals that close the connection; the
    # in-process app must keep the test's transaction open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    census.ward_b_strings -= elsewhere
    census.ward_b_strings = {s for s in census.ward_b_strings if len(s) >= 3}
    ward_b = bundle.tree.ward_b
    census.ward_b_strings |= {ward_b.code, ward_b.name, bundle.b.cell.code, bundle.b.cell.name}
    census.ward_b_strings |= {bundle.b.person.code, bundle.b.person.full_name}
    for case in Case.objects.all():
        census.confidential |= {case.paper_reference, case.summary, case.conclusion}
    census.confidential |= set(CaseExtension.objects.values_list("reason", flat=True))
    census.confidential.discard("")
    return census


def _pattern(strings: set[str]) -> re.Pattern:
    """Finds any of ``strings`` inside a longer one (a label, a message)."""
    long_ones = sorted((s for s in strings if len(s) >= 6), key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in long_ones) or r"(?!)")


class Leaks:
    """Checks one role's answers for another ward's records and for confidential ones."""

    def __init__(self, census: Census, *, admitted_to_confidential: bool) -> None:
        self.census = census
        self.ward_b = _pattern(census.ward_b_strings)
        self.confidential = None if admitted_to_confidential else _pattern(census.confidential)

    def find(self, path: str, method: str, status: int, body: Any) -> list[tuple[str, str]]:
        """(what leaked, the value that shows it) for one answer."""
        found = []
        register = _register(path)
        own_record = path in (register, f"{register}{{id}}/", f"{register}{{code}}/")
        if own_record and 200 <= status < 300:
            foreign = self.census.ward_b_keys.get(register, set())
            for row in _rows(body):
                if _key(row) in foreign:
                    found.append(("a record of ward B", f"id {_key(row)}"))
        for text in _strings(body):
            if text in self.census.ward_b_strings or self.ward_b.search(text):
                found.append(("a string only ward B's records hold", text[:120]))
            if self.confidential is not None and (
                text in self.census.confidential or self.confidential.search(text)
            ):
                found.append(("a confidential case's text", text[:120]))
        if (
            self.confidential is not None
            and path.startswith("/api/v1/inspections/cases/")
            and method == "GET"
            and 200 <= status < 300
            and _rows(body)
        ):
            found.append(("a confidential case", json.dumps(body)[:120]))
        return found


ROLES = {
    # role -> (the user, admitted to the ward's confidential cases)
    "ward_secretary": (lambda bundle: bundle.users["ward_secretary"], False),
    "inspection": (lambda bundle: bundle.extra["inspection_a"], True),
}


@pytest.fixture
def fuzz_schema(bundle, db, in_process_app, monkeypatch):
    """The served schema, path parameters and record fields drawn from both wards' records."""
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", None)
    admin = {"Authorization": _token(bundle.users["admin"])}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_process_app, headers=admin)
    operations = [result.ok() for result in schema.get_all_operations()]
    registers = sorted(
        {op.path for op in operations if op.method.upper() == "GET" and "{" not in op.path}
    )
    census = _take_census(bundle, registers)
    existing = contract._existing_values(bundle)

    def with_existing(context, values):
        if not isinstance(values, dict):
            return st.just(values)
        path = context.operation.path if context.operation is not None else ""
        choices = {}
        for name, value in values.items():
            known = existing.get(name, [])
            if name in ("id", "code") and "{" + name + "}" in path:
                known = census.keys.get(_register(path)) or known
            # The first records are tried first, so each operation reaches one of ward A's.
            choices[name] = (
                st.one_of(st.sampled_from(known), st.just(value)) if known else st.just(value)
            )
        return st.fixed_dictionaries(choices)

    schema.hook("flatmap_path_parameters")(with_existing)
    schema.hook("flatmap_body")(with_existing)
    return schema, operations, census


def _fuzz_operation(operation, mode, headers, leaks: Leaks, failures: dict, statuses) -> None:
    def note(kind: str, detail: str, case, response) -> None:
        query = f"?{case.query}" if case.query else ""
        body = "" if isinstance(case.body, NotSet) else f"{case.body!r:.300} "
        failures.setdefault(
            (operation.label, kind, detail),
            f"{case.method} {case.formatted_path}{query} {body}-> "
            f"{response.status_code} {response.text[:300]}",
        )

    positive = mode is GenerationMode.POSITIVE

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES if positive else NEGATIVE_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        statuses[(operation.label, response.status_code // 100)] += 1
        try:
            case.validate_response(response, checks=contract.CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                note(failure.title, failure.message, case, response)
        except Failure as failure:
            note(failure.title, failure.message, case, response)
        try:
            body = response.json()
        except ValueError:
            return
        for kind, detail in leaks.find(
            operation.path, operation.method.upper(), response.status_code, body
        ):
            note(kind, detail, case, response)

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.timeout(TIME_LIMIT)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_ward_role_sees_only_its_ward_and_no_confidential_case(role, bundle, fuzz_schema):
    schema, operations, census = fuzz_schema
    user_of, admitted = ROLES[role]
    headers = {"Authorization": _token(user_of(bundle))}
    # The census found ward B's records and texts in the registers, and the cases' texts.
    assert sum(bool(keys) for keys in census.ward_b_keys.values()) > 25, census.ward_b_keys
    assert {"Chi bộ B1", "Nghị quyết phường B"} <= census.ward_b_strings
    assert {"HS-A-1", "HS-B-1", "Gia hạn để xác minh thêm đơn phường A"} <= census.confidential
    leaks = Leaks(census, admitted_to_confidential=admitted)
    failures: dict = {}
    statuses: Counter = Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz_operation(operation, mode, headers, leaks, failures, statuses)

    assert not failures, f"{len(failures)} failures as {role}:\n\n" + "\n\n".join(
        f"{label}: {kind}\n{detail}\n{example}"
        for (label, kind, detail), example in failures.items()
    )
    # The role was answered with its ward's records, and refused another ward's (a 404).
    reads = [op.label for op in operations if op.method.upper() == "GET"]
    assert sum(bool(statuses[(label, 2)]) for label in reads) > 25
    assert sum(bool(statuses[(label, 4)]) for label in reads if "{" in label) > 15
    assert "GET /api/v1/resolutions/documents/{id}/" in answered(statuses)
    assert ("GET /api/v1/inspections/cases/{id}/" in answered(statuses)) is admitted


def answered(statuses: Counter) -> set[str]:
    return {label for (label, status), n in statuses.items() if status == 2 and n}


# Words that only ward B's records hold, and a confidential case's reference: a search for
# them must find nothing for a ward A role (random text never finds anything).
SEARCHES = ["phường B", "P-B", "CB-B1", "Đèn đường hỏng phường B", "HS-B-1", "HS-A-1"]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_search_for_another_wards_words_finds_nothing(role, bundle, fuzz_schema):
    """Every text parameter of every list, given ward B's own words and the cases' references."""
    from drf_spectacular.generators import SchemaGenerator

    _, _, census = fuzz_schema
    user_of, admitted = ROLES[role]
    client = Client(HTTP_AUTHORIZATION=_token(user_of(bundle)))
    leaks = Leaks(census, admitted_to_confidential=admitted)
    found, answered = [], 0
    for path, methods in SchemaGenerator().get_schema(request=None, public=True)["paths"].items():
        if "{" in path or "get" not in methods:
            continue
        names = [
            p["name"] for p in methods["get"].get("parameters", [])
            if p["in"] == "query" and p.get("schema", {}).get("type") == "string"
            and p["name"] not in ("ordering", "format")
        ]  # fmt: skip
        for name in names:
            for text in SEARCHES:
                response = client.get(path, {name: text})
                assert response.status_code < 500, (path, name, text)
                if response.status_code != 200:  # a refused value, echoed in the message
                    continue
                answered += 1
                for leak in leaks.find(path, "GET", 200, response.json()):
                    found.append((path, name, text, *leak))
    assert answered > 60
    assert not found, found


def test_the_leak_check_sees_a_foreign_row_and_a_confidential_text():
    """The checker itself: a row of ward B, a nested label of ward B and a case's text."""
    census = Census(
        keys={"/api/v1/x/": [1, 2]},
        ward_b_keys={"/api/v1/x/": {2}},
        ward_b_strings={"P-B", "Nghị quyết phường B"},
        confidential={"HS-A-1", "Nội dung đơn HS-A-1"},
    )
    leaks = Leaks(census, admitted_to_confidential=False)
    assert leaks.find("/api/v1/x/", "GET", 200, {"results": [{"id": 1, "unit": "P-A"}]}) == []
    assert leaks.find("/api/v1/x/{id}/", "GET", 200, {"id": 2}) == [("a record of ward B", "id 2")]
    nested = leaks.find("/api/v1/y/", "GET", 200, [{"id": 2, "doc": "01 Nghị quyết phường B"}])
    assert nested == [("a string only ward B's records hold", "01 Nghị quyết phường B")]
    message = {"detail": ["Đơn HS-A-1 đã có"]}
    assert leaks.find("/api/v1/z/", "POST", 400, message) == [
        ("a confidential case's text", "Đơn HS-A-1 đã có")
    ]
    assert (
        Leaks(census, admitted_to_confidential=True).find("/api/v1/z/", "POST", 400, message) == []
    )
