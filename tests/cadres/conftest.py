"""Cadres fixtures: people in cell A1 (ward A) and cell B1 (ward B), evaluations at each stage."""

from __future__ import annotations

import pytest

from cadres import services
from cadres.choices import Rating
from longbien.org.models import Person, Position
from tests.conftest import make_user


def make_person(
    code: str, unit, name: str = "", position: Position | None = None, **extra
) -> Person:
    person = Person(
        code=code, full_name=name or f"Nguyễn Văn {code}", sex="male", unit=unit,
        position=position, **extra,
    )  # fmt: skip
    person.save()
    return person


def self_assessed_month(actor, people, *, year: int, month: int, rating: str = Rating.GOOD):
    """Open and self-assess each person's month (as ``actor``): rows the grid may approve."""
    return [
        services.evaluation_self_assess(
            actor=actor,
            evaluation=services.evaluation_create(
                actor=actor, person=person, year=year, month=month
            ),
            self_assessment="Hoàn thành nhiệm vụ được giao",
            self_rating=rating,
        )
        for person in people
    ]


@pytest.fixture
def people(tree):
    head = Position.objects.create(name="Bí thư chi bộ", is_head=True, rank=1)
    return {
        "a": make_person("CBA", tree.cell_a1, "Lê Thị Ánh"),
        "a2": make_person("CBA2", tree.cell_a1, "Phạm Văn Bình"),
        "head_a": make_person("HEADA", tree.cell_a1, "Trần Văn Chính", head),
        "b": make_person("CBB", tree.cell_b1, "Đỗ Thị Bé"),
    }


@pytest.fixture
def cadre(people):
    """An account with no role, linked to person A."""
    return make_user("canbo_a", person=people["a"])


@pytest.fixture
def evaluation(users, people):
    return services.evaluation_create(actor=users["staff"], person=people["a"], year=2026, month=3)


@pytest.fixture
def self_assessed(evaluation, cadre):
    return services.evaluation_self_assess(
        actor=cadre, evaluation=evaluation, self_assessment="Hoàn thành", self_rating=Rating.GOOD
    )


@pytest.fixture
def assessed(self_assessed, users):
    return services.evaluation_assess(
        actor=users["ward_secretary"], evaluation=self_assessed, superior_assessment="Tốt",
        proposed_rating=Rating.GOOD,
    )  # fmt: skip


@pytest.fixture
def approved(assessed, users):
    return services.evaluation_approve(actor=users["staff"], evaluation=assessed)
