"""The evaluations register's order (newest month, then the cadre's name) comes from the
evaluation's own copy of the person's sort key, which the database keeps right."""

from __future__ import annotations

from cadres import services
from cadres.models import Evaluation
from longbien.org.models import Person
from tests.cadres.conftest import make_person


def test_the_copy_follows_the_person_whoever_writes(users, tree):
    an = make_person("CB-AN", tree.cell_a1, "Nguyễn Văn An")
    binh = make_person("CB-BINH", tree.cell_a1, "Lê Thị Bình")
    for person in (binh, an):
        services.evaluation_create(actor=users["staff"], person=person, year=2026, month=3)
    Evaluation.objects.bulk_create([Evaluation(person=an, unit=an.unit, year=2026, month=4)])
    for evaluation in Evaluation.objects.select_related("person"):
        assert evaluation.person_sort_key == evaluation.person.sort_key != ""
    order = list(Evaluation.objects.values_list("year", "month", "person__full_name"))
    assert order == [(2026, 4, "Nguyễn Văn An"), (2026, 3, "Nguyễn Văn An"),
                     (2026, 3, "Lê Thị Bình")]  # fmt: skip
    # The person renamed (through the ORM, or by a queryset update): every evaluation follows.
    an.full_name = "Nguyễn Văn Yên"
    an.save()
    assert set(Evaluation.objects.filter(person=an).values_list("person_sort_key", flat=True)) == {
        Person.objects.get(pk=an.pk).sort_key
    }
    march = Evaluation.objects.filter(year=2026, month=3).values_list(
        "person__full_name", flat=True
    )
    assert list(march) == ["Lê Thị Bình", "Nguyễn Văn Yên"]
    # A write that tries to set the copy by hand is corrected.
    Evaluation.objects.filter(person=binh).update(person_sort_key="zzz")
    assert Evaluation.objects.get(person=binh).person_sort_key == binh.sort_key
