"""Shared fixtures: a small tree (district, two wards with cells), one user per role."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from longbien.deadlines import recorded_days
from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit, RoleAssignment, User

REQUIRE_ALL = os.environ.get("LONGBIEN_REQUIRE_ALL_TESTS") == "1"


@pytest.fixture(autouse=True)
def fresh_calendar() -> Iterator[None]:
    """The recorded calendar days are kept in the process until their version stamp changes;
    a test's rollback takes its rows away without a word (no signal, no stamp)."""
    recorded_days.clear()
    yield
    recorded_days.clear()


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip when a resource is missing locally; in CI (LONGBIEN_REQUIRE_ALL_TESTS=1) fail."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def at_most(seconds: int) -> Iterator[None]:
    """Fail (TimeoutError) what runs longer than ``seconds`` (pytest-timeout is not installed)."""

    def expired(signum, frame):
        raise TimeoutError(f"longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Tree:
    root: OrgUnit
    ward_a: OrgUnit
    ward_b: OrgUnit
    cell_a1: OrgUnit
    cell_b1: OrgUnit


def make_unit(
    code: str, kind: str = UnitKind.PARTY_CELL, parent: OrgUnit | None = None, name: str = ""
) -> OrgUnit:
    unit = OrgUnit(code=code, name=name or code, kind=kind, parent=parent)
    unit.save()
    return unit


@pytest.fixture
def tree(db) -> Tree:
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    ward_a = make_unit("P-A", UnitKind.WARD_COMMITTEE, root, "Đảng ủy phường Ánh Dương")
    ward_b = make_unit("P-B", UnitKind.WARD_COMMITTEE, root, "Đảng ủy phường Bình Minh")
    return Tree(
        root=root,
        ward_a=ward_a,
        ward_b=ward_b,
        cell_a1=make_unit("CB-A1", parent=ward_a, name="Chi bộ A1"),
        cell_b1=make_unit("CB-B1", parent=ward_b, name="Chi bộ B1"),
    )


def make_user(username: str, role: str | None = None, unit: OrgUnit | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="Mat-khau-thu-2025", **extra)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def users(tree) -> dict[str, User]:
    """One user per role: district-wide roles on the root, ward roles on ward A."""
    return {
        "admin": make_user("admin", Role.ADMIN, tree.root),
        "staff": make_user("staff", Role.STAFF, tree.root),
        "leadership": make_user("leadership", Role.LEADERSHIP, tree.root),
        "inspection": make_user("inspection", Role.INSPECTION, tree.root),
        "mass_mobilisation": make_user("mass", Role.MASS_MOBILISATION, tree.root),
        "ward_secretary": make_user("secretary_a", Role.WARD_SECRETARY, tree.ward_a),
        "ward_staff": make_user("wardstaff_a", Role.WARD_STAFF, tree.ward_a),
        "no_role": make_user("norole"),
    }


@pytest.fixture
def client_for(client):
    """Return a function that logs a user in and gives the client back."""

    def login(user: User):
        client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
        return client

    return login
