"""The Long Biên demo (`seed_demo`) and the city-sized loader behind `--scale city`."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Count

from longbien.org import demo
from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit, Person, RoleAssignment, User
from tests.conftest import at_most

WARD_NAMES = {
    "Bồ Đề", "Cự Khối", "Đức Giang", "Gia Thụy", "Giang Biên", "Long Biên", "Ngọc Lâm",
    "Ngọc Thụy", "Phúc Đồng", "Phúc Lợi", "Sài Đồng", "Thạch Bàn", "Thượng Thanh", "Việt Hưng",
}  # fmt: skip

# The whole module must stay fast: seed_demo is what `make run` does on every start.
TIME_LIMIT_SECONDS = 20


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    with at_most(TIME_LIMIT_SECONDS):
        yield


def snapshot() -> dict[str, int]:
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("org").get_models()
    }
    counts["auditlog.LogEntry"] = LogEntry.objects.count()
    return counts


def test_seed_demo_builds_long_bien_once(db):
    started = time.monotonic()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first_run = time.monotonic() - started

    root = OrgUnit.objects.get(code="QU-LB")
    assert root.parent is None and root.path == "QU-LB/"
    wards = OrgUnit.objects.filter(kind=UnitKind.WARD_COMMITTEE, parent=root)
    assert {w.name.removeprefix("Đảng ủy phường ") for w in wards} == WARD_NAMES
    assert wards.count() == 14
    for ward in wards:
        cells = OrgUnit.objects.filter(parent=ward, kind=UnitKind.PARTY_CELL)
        assert 5 <= cells.count() <= 7, ward.code
        assert all(cell.path == f"{ward.path}{cell.code}/" for cell in cells)
    assert not OrgUnit.objects.exclude(path__startswith="QU-LB/").exists()

    people = Person.objects.count()
    assert 900 <= people <= 1100
    assert not Person.objects.filter(unit__path__startswith="QU-LB/").count() < people
    # Every ward has a secretary; every cell has people.
    assert (
        Person.objects.filter(position__name="Bí thư Đảng ủy phường")
        .values("unit")
        .distinct()
        .count()
        == 14
    )
    assert (
        not OrgUnit.objects.filter(kind=UnitKind.PARTY_CELL)
        .annotate(n=Count("people"))
        .filter(n=0)
        .exists()
    )

    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for role in Role.values:
        holders = User.objects.filter(role_assignments__role=role)
        assert holders.count() == 1, role
        assert holders.get().check_password(demo.DEMO_PASSWORD), role
    ward_users = User.objects.filter(
        role_assignments__role__in=[Role.WARD_SECRETARY, Role.WARD_STAFF]
    )
    assert set(ward_users.values_list("role_assignments__unit__code", flat=True)) == {"P-BODE"}
    assert User.objects.get(username="bithu.bode").person.unit.code == "P-BODE"

    before = snapshot()
    started = time.monotonic()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second_run = time.monotonic() - started
    assert snapshot() == before
    assert first_run + second_run < TIME_LIMIT_SECONDS


def test_load_city_builds_a_small_city(db):
    added = demo.load_city(districts=2, people_per_district=300)
    assert added == 600
    root = OrgUnit.objects.get(code="TU-HN")
    assert root.parent is None and root.path == "TU-HN/" and root.depth == 0
    subtree = OrgUnit.objects.filter(path__startswith="TU-HN/")
    # 2 districts, 14 wards each, 8 cells per ward, plus the root.
    assert subtree.count() == 1 + 2 * (1 + 14 * (1 + 8))
    assert subtree.filter(kind=UnitKind.WARD_COMMITTEE).count() == 28
    assert subtree.filter(kind=UnitKind.PARTY_CELL).count() == 224
    for unit in subtree.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "") + unit.code + "/"
        assert unit.path == expected, unit.code
        assert unit.depth == unit.path.count("/") - 1
    cell = OrgUnit.objects.get(code="Q02-P14-C8")
    assert cell.path == "TU-HN/Q02/Q02-P14/Q02-P14-C8/" and cell.depth == 3
    assert Person.objects.filter(code__startswith="HN").count() == 600
    district = OrgUnit.objects.get(code="Q01")
    assert Person.objects.filter(unit__path__startswith=district.path).count() == 300
    assert not Person.objects.filter(code__startswith="HN", name_folded="").exists()
    assert (
        not Person.objects.filter(code__startswith="HN")
        .exclude(unit__kind=UnitKind.PARTY_CELL)
        .exists()
    )
    # A second call adds nothing.
    assert demo.load_city(districts=2, people_per_district=300) == 0
    assert Person.objects.count() == 600


def test_seed_demo_refuses_on_a_real_server_without_force(db, settings):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not OrgUnit.objects.exists()


def test_the_city_data_set_sits_above_the_district_and_stays_consistent(db):
    """City scale: Long Biên under the city, a city login, evaluations and rolled-up tasks."""
    from django.db.models import Avg, Count, Q

    from cadres.models import Evaluation
    from longbien.core import demo as kernel_demo
    from longbien.org import scope
    from resolutions.models import Task

    demo.load_long_bien(people_per_cell=1)
    demo.load_city(districts=2, people_per_district=100)
    for _name, loader in kernel_demo.city_loaders():
        loader()
    cell = OrgUnit.objects.get(code="CB-BODE-01")
    assert cell.path == "TU-HN/QU-LB/P-BODE/CB-BODE-01/" and cell.depth == 3
    city_admin = User.objects.get(username=demo.CITY_LOGIN)
    assert scope.can(city_admin, scope.Area.CADRES, scope.VIEW, cell)
    cadres = Person.objects.filter(code__startswith="HN", management_level="grassroots_committee")
    assert cadres.count() == 40
    city_evaluations = Evaluation.objects.filter(person__code__startswith="HN")
    assert city_evaluations.count() == 40 * 60
    assert not city_evaluations.exclude(status="approved").exists()
    assert not city_evaluations.exclude(unit=models.F("person__unit")).exists()
    parents = Task.objects.filter(unit__path__startswith="TU-HN/Q", parent__isnull=True).annotate(
        mean=Avg("children__progress"),
        open_children=Count("children", filter=~Q(children__status="done")),
    )
    assert parents.count() == 2 * 40 * 14
    assert (
        Task.objects.filter(unit__path__startswith="TU-HN/Q", parent__isnull=False).count()
        == 2 * 40 * 14 * 5
    )
    for task in parents:
        expected = 100 if task.open_children == 0 else min(99, round(task.mean))
        assert task.progress == expected, task.pk
        assert (task.status == "done") == (task.progress == 100)
        assert (task.completed_on is not None) == (task.progress == 100)
