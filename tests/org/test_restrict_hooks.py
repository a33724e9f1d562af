"""The read path: restrict() and its model hooks, for a whole-tree, a subtree and no scope.

Every hook is checked three ways: the queryset (``restrict``), the object check (``can_on``)
and the SQL it writes (indexable subqueries, never "everything" collapsing under an OR).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from cadres import services as cadre_services
from cadres.models import Evaluation, QualificationTest
from cadres.models import TestParticipant as Participant
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit
from longbien.procedures import services as procedure_services
from longbien.procedures.models import Procedure
from resolutions import services as resolution_services
from resolutions.choices import DocumentKind
from resolutions.models import Document
from tests.cadres.conftest import make_person
from tests.conftest import make_user
from tests.resolutions.factories import make_document


@pytest.fixture
def viewers(tree, users):
    """A whole tree (a superuser without a role; a role on the root), a subtree, no scope."""
    return {
        "superuser": make_user("root", is_superuser=True),
        "root_role": users["leadership"],
        "subtree": users["ward_secretary"],
        "no_scope": users["no_role"],
    }


def _check_object_rule_agrees(model, viewers, action=scope.VIEW):
    for name, user in viewers.items():
        listed = set(model.objects.restrict(user, action).values_list("pk", flat=True))
        for obj in model.objects.all():
            assert scope.can_on(user, obj, action) == (obj.pk in listed), (name, obj)


# --- The kernel --------------------------------------------------------------------------------


def test_everything_survives_an_or_where_an_empty_q_collapses(tree):
    # The defect: Q() | Q(x) is Q(x) in Django, so "everything, or x" became just x.
    assert OrgUnit.objects.filter(Q() | Q(path="QU/")).count() == 1
    assert OrgUnit.objects.filter(scope.everything() | Q(path="QU/")).count() == 5
    assert OrgUnit.objects.filter(scope.nothing() | Q(path="QU/")).count() == 1
    assert scope.is_unrestricted(OrgUnit.objects.filter(scope.everything()))
    assert not scope.is_unrestricted(OrgUnit.objects.filter(path="QU/"))


def test_unit_q_for_a_whole_tree_compiles_to_no_filter(tree, viewers):
    query = scope.unit_q(viewers["superuser"], scope.Area.RESOLUTIONS, unit_field="issuing_unit")
    assert scope.is_unrestricted(Document.objects.filter(query))
    assert Document.objects.filter(query).query.where is not None


def test_either_keeps_trivial_cases_trivial(tree):
    assert scope.either(OrgUnit, scope.everything(), Q(path="x")) == scope.everything()
    assert scope.either(OrgUnit, scope.nothing(), scope.nothing()) == scope.nothing()
    assert scope.either(OrgUnit, scope.nothing(), Q(path="QU/")) == Q(path="QU/")
    both = scope.either(OrgUnit, Q(path="QU/"), Q(path="P-A/"))
    assert set(OrgUnit.objects.filter(both).values_list("code", flat=True)) == {"QU"}


def test_subtree_filters_are_subqueries_on_the_path_index_not_joins(tree, users):
    secretary = users["ward_secretary"]
    sql = str(Evaluation.objects.restrict(secretary).order_by().query)  # (ordering joins)
    assert "JOIN" not in sql
    assert "LIKE" in sql and '"unit_id" IN (SELECT' in sql


# --- "Issued above": documents ------------------------------------------------------------------


@pytest.fixture
def documents(tree, users):
    return {
        "district": make_document(users["staff"], tree.root, symbol="01-NQ/QU"),
        "ward_a": make_document(
            users["staff"], tree.ward_a, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
        ),
        "ward_b": make_document(
            users["staff"], tree.ward_b, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION
        ),
        "upper": resolution_services.document_create(
            actor=users["staff"],
            symbol="05-CT/TW",
            kind=DocumentKind.DIRECTIVE,
            issuing_unit=None,
            title="Chỉ thị",
            signed_date=dt.date(2016, 5, 15),
        ),  # fmt: skip
    }


def _names(queryset, named):
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, obj in named.items() if obj.pk in pks}


def test_documents_whole_tree_sees_every_document(documents, viewers):
    for name in ("superuser", "root_role"):
        assert _names(Document.objects.restrict(viewers[name]), documents) == set(documents)
    # A whole-tree scope also changes documents from above (none of the leadership's role).
    assert _names(Document.objects.restrict(viewers["superuser"], scope.CHANGE), documents) == set(
        documents
    )


def test_documents_subtree_reads_its_own_and_from_above_and_changes_its_own(documents, viewers):
    ward = viewers["subtree"]
    assert _names(Document.objects.restrict(ward), documents) == {"district", "ward_a", "upper"}
    assert _names(Document.objects.restrict(ward, scope.CHANGE), documents) == {"ward_a"}


def test_documents_no_scope_sees_nothing(documents, viewers):
    assert not Document.objects.restrict(viewers["no_scope"]).exists()
    assert not Document.objects.restrict(viewers["no_scope"], scope.CHANGE).exists()


def test_documents_object_check_agrees_with_the_list(documents, viewers):
    _check_object_rule_agrees(Document, viewers)
    _check_object_rule_agrees(Document, viewers, scope.CHANGE)


# --- "Issued above": procedures -----------------------------------------------------------------


@pytest.fixture
def procedures(tree, users):
    def make(unit, code):
        return procedure_services.procedure_create(
            actor=users["staff"], code=code, name=f"Quy trình {code}", kind="procedure",
            area="office", level="district", effective_date=dt.date(2016, 1, 1), owner_unit=unit,
        )  # fmt: skip

    return {
        "district": make(tree.root, "QT-01"),
        "ward_a": make(tree.ward_a, "QT-02"),
        "ward_b": make(tree.ward_b, "QT-03"),
    }


def test_procedures_by_scope(procedures, viewers):
    for name in ("superuser", "root_role"):
        assert _names(Procedure.objects.restrict(viewers[name]), procedures) == set(procedures)
    ward = viewers["subtree"]
    assert _names(Procedure.objects.restrict(ward), procedures) == {"district", "ward_a"}
    assert not Procedure.objects.restrict(viewers["no_scope"]).exists()
    _check_object_rule_agrees(Procedure, viewers)


def test_procedure_list_of_a_superuser_is_not_empty(procedures, viewers):
    from longbien.procedures import selectors

    assert selectors.procedure_list(user=viewers["superuser"]).count() == 3


# --- "Own records": cadres ----------------------------------------------------------------------


@pytest.fixture
def evaluations(tree, users):
    a = make_person("OWA", tree.cell_a1)
    b = make_person("OWB", tree.cell_b1)
    made = {
        name: cadre_services.evaluation_create(
            actor=users["staff"], person=person, year=2026, month=3
        )
        for name, person in (("a", a), ("b", b))
    }
    return made, a, b


def test_own_records_whole_tree_sees_all_even_when_linked_to_a_person(evaluations, viewers):
    made, a, b = evaluations
    root = viewers["superuser"]
    root.person = b
    root.save()
    assert _names(Evaluation.objects.restrict(root), made) == {"a", "b"}
    assert _names(Evaluation.objects.restrict(viewers["root_role"]), made) == {"a", "b"}


def test_own_records_subtree_sees_its_people_and_oneself(evaluations, tree):
    made, a, b = evaluations
    # A ward A secretary whose own record is kept in ward B (moved, or a district cadre).
    secretary = make_user("sec_linked", Role.WARD_SECRETARY, tree.ward_a, person=b)
    assert _names(Evaluation.objects.restrict(secretary), made) == {"a", "b"}
    # Reading only: changing one's own record is left to the roles and the workflow.
    assert _names(Evaluation.objects.restrict(secretary, scope.CHANGE), made) == {"a"}
    assert scope.can_on(secretary, made["b"], scope.VIEW)
    assert not scope.can_on(secretary, made["b"], scope.CHANGE)


def test_own_records_no_scope(evaluations, viewers, tree):
    made, a, b = evaluations
    assert not Evaluation.objects.restrict(viewers["no_scope"]).exists()
    person_only = make_user("only_me", person=a)
    assert _names(Evaluation.objects.restrict(person_only), made) == {"a"}
    _check_object_rule_agrees(Evaluation, {**viewers, "person_only": person_only})


def test_own_records_sql_is_a_union_of_indexable_branches(evaluations, tree):
    made, a, b = evaluations
    secretary = make_user("sec_union", Role.WARD_SECRETARY, tree.ward_a, person=b)
    sql = str(Evaluation.objects.restrict(secretary).query)
    assert "UNION" in sql and " OR " not in sql


def test_sessions_are_seen_through_their_participants(tree, users, viewers):
    district = cadre_services.test_create(
        actor=users["staff"], unit=tree.root, subject="x", held_on=dt.date(2026, 3, 1)
    )
    other = cadre_services.test_create(
        actor=users["staff"], unit=tree.ward_b, subject="y", held_on=dt.date(2026, 3, 1)
    )
    cadre_services.test_add_participants(
        actor=users["staff"], test=district, people=[make_person("TSA", tree.cell_a1)]
    )
    sessions = {"district": district, "other": other}
    ward = viewers["subtree"]
    assert _names(QualificationTest.objects.restrict(ward), sessions) == {"district"}
    assert not QualificationTest.objects.restrict(ward, scope.CHANGE).exists()
    for name in ("superuser", "root_role"):
        assert _names(QualificationTest.objects.restrict(viewers[name]), sessions) == set(sessions)
    assert not QualificationTest.objects.restrict(viewers["no_scope"]).exists()
    assert Participant.objects.restrict(ward).count() == 1
    _check_object_rule_agrees(QualificationTest, viewers)


# --- Prefetches ---------------------------------------------------------------------------------


def test_restricted_prefetch_narrows_the_related_rows(documents, users, tree):
    resolution_services.task_assign(
        actor=users["staff"], document=documents["district"], units=[tree.ward_a, tree.ward_b],
        title="Việc", deadline=dt.date(2026, 3, 1),
    )  # fmt: skip
    ward = users["ward_secretary"]
    from resolutions.models import Task

    (document,) = Document.objects.filter(pk=documents["district"].pk).prefetch_related(
        scope.RestrictedPrefetch("tasks", ward, queryset=Task.objects.all())
    )
    assert [t.unit_id for t in document.tasks.all()] == [tree.ward_a.pk]
