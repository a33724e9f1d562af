"""The generic views themselves (longbien/core/generic.py), with the portal's own models."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from cadres.choices import EvaluationStatus
from cadres.models import Evaluation
from longbien.core.generic import ScopedDetailView, ScopedListView
from longbien.core.models import AccessEntry
from longbien.org.choices import Role
from longbien.org.models import OrgUnit
from tests.cadres.conftest import make_person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {"a": make_person("CBA", tree.cell_a1), "b": make_person("CBB", tree.cell_b1)}


@pytest.fixture
def evaluation(users, people):
    """Person A's month, a draft (opened by district staff)."""
    from cadres import services

    return services.evaluation_create(actor=users["staff"], person=people["a"], year=2026, month=3)


@pytest.fixture
def self_assessed(evaluation, people):
    from cadres import services

    cadre = make_user("canbo_a", person=people["a"])
    return services.evaluation_self_assess(
        actor=cadre, evaluation=evaluation, self_assessment="Hoàn thành", self_rating="good"
    )


@pytest.fixture
def assessed(self_assessed, users):
    from cadres import services

    return services.evaluation_assess(
        actor=users["ward_secretary"], evaluation=self_assessed, superior_assessment="Tốt",
        proposed_rating="good",
    )  # fmt: skip


class UnitList(ScopedListView):
    model = OrgUnit
    ordering = ["path"]
    search_fields = ("name_folded",)
    register = "units"
    template_name = "unused.html"  # the response is inspected unrendered


class UnitDetail(ScopedDetailView):
    model = OrgUnit
    lookup_field = lookup_url_kwarg = "code"
    template_name = "unused.html"


def _get(view, user, path="/", **kwargs):
    request = RequestFactory().get(path)
    request.user = user
    return view.as_view()(request, **kwargs)


# --- ScopedListView ------------------------------------------------------------------------


def test_list_shows_only_the_users_subtree(users, tree):
    response = _get(UnitList, users["ward_secretary"])
    codes = [unit.code for unit in response.context_data["page_obj"]]
    assert codes == ["P-A", "CB-A1"]


def test_list_of_the_whole_tree_for_a_district_role(users, tree):
    response = _get(UnitList, users["staff"])
    assert len(response.context_data["page_obj"]) == 5


def test_list_refuses_a_user_without_the_area(users, tree):
    with pytest.raises(PermissionDenied):
        _get(UnitList, users["no_role"])


def test_list_search_ignores_diacritics_and_case(users, tree):
    response = _get(UnitList, users["staff"], "/?q=anh duong")
    assert [u.code for u in response.context_data["page_obj"]] == ["P-A"]


def test_list_applies_a_filterset_within_the_scope(users, tree):
    import django_filters

    class UnitFilter(django_filters.FilterSet):
        class Meta:
            model = OrgUnit
            fields = ["kind"]

    class Filtered(UnitList):
        filterset_class = UnitFilter

    response = _get(Filtered, users["ward_secretary"], "/?kind=party_cell")
    assert [u.code for u in response.context_data["page_obj"]] == ["CB-A1"]
    assert response.context_data["filterset"].is_bound


def test_list_out_of_range_page_shows_the_last_page(users, tree):
    class Small(UnitList):
        paginate_by = 2

    response = _get(Small, users["staff"], "/?page=99")
    assert response.context_data["page_obj"].number == 3


def test_list_links_the_register_export_when_the_user_may_export(users, tree):
    response = _get(UnitList, users["ward_staff"])
    assert (
        response.context_data["export_url"] == reverse("io_export", args=["units"]) + "?format=xlsx"
    )

    class Unknown(UnitList):
        register = "no-such-register"

    assert _get(Unknown, users["ward_staff"]).context_data["export_url"] == ""


def test_list_of_a_confidential_model_writes_one_access_entry(users, tree):
    from tests.confidential_app.models import Secret

    class SecretList(ScopedListView):
        model = Secret
        ordering = ["pk"]
        template_name = "unused.html"

    Secret.objects.create(unit=tree.cell_a1, title="Đơn tố cáo 1")
    Secret.objects.create(unit=tree.cell_b1, title="Đơn tố cáo 2")
    admin_rows = _get(SecretList, users["admin"]).context_data["page_obj"].object_list
    assert list(admin_rows) == []  # a superuser-like admin without the role sees nothing
    before = AccessEntry.objects.count()
    rows = _get(SecretList, users["inspection"]).context_data["page_obj"].object_list
    assert [s.title for s in rows] == ["Đơn tố cáo 1", "Đơn tố cáo 2"]
    assert AccessEntry.objects.count() == before + 1  # one entry for the page shown


# --- ScopedDetailView ----------------------------------------------------------------------


def test_detail_outside_the_scope_is_not_found(users, tree):
    with pytest.raises(Http404):
        _get(UnitDetail, users["ward_secretary"], code="P-B")


def test_detail_inside_the_scope_has_the_record_and_its_history(users, tree):
    response = _get(UnitDetail, users["ward_secretary"], code="P-A")
    assert response.context_data["orgunit"] == tree.ward_a
    assert "audit_entries" in response.context_data
    assert "workflow_actions" not in response.context_data  # no workflow declared


def test_detail_lists_the_workflow_steps_the_user_may_take(users, evaluation):
    from cadres.workflows import EVALUATION_WORKFLOW

    class EvaluationDetail(ScopedDetailView):
        model = Evaluation
        workflow = EVALUATION_WORKFLOW
        template_name = "unused.html"

    response = _get(EvaluationDetail, users["staff"], pk=evaluation.pk)
    names = [action.name for action in response.context_data["workflow_actions"]]
    assert names == ["self_assess", "rate_unassessed"]


def test_detail_of_a_confidential_record_is_hidden_from_an_admin_and_logged(users, tree):
    from tests.confidential_app.models import Secret

    class SecretDetail(ScopedDetailView):
        model = Secret
        template_name = "unused.html"

    secret = Secret.objects.create(unit=tree.cell_a1, title="Đơn tố cáo")
    with pytest.raises(Http404):
        _get(SecretDetail, users["admin"], pk=secret.pk)
    before = AccessEntry.objects.count()
    assert _get(SecretDetail, users["inspection"], pk=secret.pk).context_data["object"] == secret
    assert AccessEntry.objects.count() == before + 1


def test_a_form_showing_a_confidential_record_records_the_read(users, tree):
    from django import forms

    from longbien.core.generic import ServiceFormView
    from tests.confidential_app.models import Secret

    class SecretForm(ServiceFormView):
        model = Secret
        edits_object = True
        template_name = "cadres/form.html"
        form_class = forms.Form
        form_takes_user = False
        cancel_url = "home"

        def may_change(self) -> bool:
            return True

    secret = Secret.objects.create(unit=tree.cell_a1, title="Đơn tố cáo")
    with pytest.raises(Http404):
        _get(SecretForm, users["admin"], pk=secret.pk)
    before = AccessEntry.objects.count()
    assert _get(SecretForm, users["inspection"], pk=secret.pk).status_code == 200
    assert AccessEntry.objects.count() == before + 1


# --- ServiceFormView -----------------------------------------------------------------------


@pytest.mark.urls("tests.core.generic_urls")
def test_service_form_puts_the_services_refusal_on_the_form_and_changes_nothing(
    client_for, users, evaluation
):
    client = client_for(users["staff"])
    url = reverse("generic_return", args=[evaluation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Thiếu minh chứng"})
    assert response.status_code == 200
    from cadres.workflows import EVALUATION_WORKFLOW

    # A draft cannot be returned: the table's own Vietnamese message, on the form.
    expected = EVALUATION_WORKFLOW.invalid_error(evaluation, EVALUATION_WORKFLOW["return"])
    assert response.context["form"].non_field_errors() == expected.messages
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.returned_reason == ""


@pytest.mark.urls("tests.core.generic_urls")
def test_service_form_puts_a_field_error_on_its_field(client_for, users, self_assessed):
    response = client_for(users["staff"]).post(
        reverse("generic_return", args=[self_assessed.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Hãy nêu lý do trả lại."]
    self_assessed.refresh_from_db()
    assert self_assessed.status == EvaluationStatus.SELF_ASSESSED


@pytest.mark.urls("tests.core.generic_urls")
def test_service_form_shows_a_refusal_of_the_actor_on_the_form(client_for, users, tree, people):
    from cadres import services

    other = services.evaluation_create(actor=users["staff"], person=people["b"], year=2026, month=3)
    services.evaluation_self_assess(
        actor=users["staff"], evaluation=other, self_assessment="Tốt", self_rating="good"
    )
    # Ward A's secretary reads cadres records of ward A only: ward B's is not found.
    ward = client_for(users["ward_secretary"])
    assert ward.post(reverse("generic_return", args=[other.pk]), {"reason": "x"}).status_code == 404
    # A ward-B secretary may read it but the table refuses a role without the area's change.
    viewer = make_user("leader_b", Role.LEADERSHIP, tree.ward_b)
    response = client_for(viewer).post(reverse("generic_return", args=[other.pk]), {"reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    other.refresh_from_db()
    assert other.status == EvaluationStatus.SELF_ASSESSED


@pytest.mark.urls("tests.core.generic_urls")
def test_service_form_success_redirects_with_a_message(client_for, users, self_assessed):
    client = client_for(users["staff"])
    response = client.post(
        reverse("generic_return", args=[self_assessed.pk]), {"reason": "Thiếu minh chứng"}
    )
    assert response.status_code == 302
    assert response["Location"] == self_assessed.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã trả lại."]
    self_assessed.refresh_from_db()
    assert self_assessed.status == EvaluationStatus.DRAFT


# --- WorkflowActionView --------------------------------------------------------------------


@pytest.mark.urls("tests.core.generic_urls")
def test_workflow_action_refuses_an_invalid_move_with_the_vietnamese_message(
    client_for, users, evaluation
):
    client = client_for(users["staff"])
    response = client.post(reverse("generic_action", args=[evaluation.pk, "approve"]))
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Không thể chuyển từ trạng thái “Chưa tự đánh giá” sang “Đã phê duyệt”."]
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


@pytest.mark.urls("tests.core.generic_urls")
def test_workflow_action_requires_the_reason_the_table_asks_for(client_for, users, self_assessed):
    client = client_for(users["staff"])
    url = reverse("generic_action", args=[self_assessed.pk, "return"])
    response = client.post(url)
    assert len(list(get_messages(response.wsgi_request))) == 1  # the missing reason
    self_assessed.refresh_from_db()
    assert self_assessed.status == EvaluationStatus.SELF_ASSESSED
    response = client.post(url, {"reason": "Thiếu minh chứng"})
    assert [m.level_tag for m in get_messages(response.wsgi_request)][-1] == "success"
    self_assessed.refresh_from_db()
    assert self_assessed.status == EvaluationStatus.DRAFT


@pytest.mark.urls("tests.core.generic_urls")
def test_workflow_action_refuses_the_person_their_own_approval(client_for, users, assessed):
    from longbien.org.models import RoleAssignment, User

    own = User.objects.get(username="canbo_a")
    RoleAssignment.objects.create(user=own, role=Role.STAFF, unit=assessed.unit)
    response = client_for(own).post(reverse("generic_action", args=[assessed.pk, "approve"]))
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Không được tự phê duyệt phiếu đánh giá của chính mình."]
    assessed.refresh_from_db()
    assert assessed.status == EvaluationStatus.ASSESSED


@pytest.mark.urls("tests.core.generic_urls")
def test_workflow_action_is_post_only_and_scoped(client_for, users, evaluation):
    url = reverse("generic_action", args=[evaluation.pk, "approve"])
    assert client_for(users["staff"]).get(url).status_code == 405
    outsider = make_user("secretary_b", Role.WARD_SECRETARY, OrgUnit.objects.get(code="P-B"))
    assert client_for(outsider).post(url).status_code == 404
    unknown = reverse("generic_action", args=[evaluation.pk, "fly"])
    assert client_for(users["staff"]).post(unknown).status_code == 404
