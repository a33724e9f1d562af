"""Pages of cadre work. Thin: selectors read, services write, the scope module decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import periods
from longbien.audit import entries_for
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    WorkflowFormView,
)
from longbien.formatting import vn_number
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Term

from . import selectors, services
from .choices import DecisionKind, EvaluationStatus, Rating
from .forms import (
    ApproveForm,
    AssessForm,
    AssignmentForm,
    AssignmentResultForm,
    DecisionForm,
    EvaluationCreateForm,
    GridPickForm,
    PeopleForm,
    PlanForm,
    PlanReviewForm,
    RateUnassessedForm,
    ReturnForm,
    ReviseForm,
    SelfAssessForm,
    TestForm,
    TrainingForm,
)
from .models import (
    Evaluation,
    PersonnelDecision,
    QualificationTest,
    SelfImprovementPlan,
    TrainingClass,
)
from .workflows import EVALUATION_WORKFLOW

PAGE_SIZE = 50


def _need(user: Any, action: str = scope.VIEW) -> None:
    if not selectors.sees_area(user, action):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def _need_evaluations(user: Any) -> None:
    if not selectors.may_use_evaluations(user):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _get_or_404(getter: Callable[..., Any], user: Any, pk: int) -> Any:
    try:
        return getter(user=user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _can_change(user: Any, unit: OrgUnit) -> bool:
    return scope.can(user, scope.Area.CADRES, scope.CHANGE, unit)


def _default_unit(request: HttpRequest, action: str = scope.VIEW) -> OrgUnit | None:
    """The unit picked in the header if allowed, else the top of the user's scope."""
    current = request.current_unit
    if current is not None and scope.can(request.user, scope.Area.CADRES, action, current):
        return current
    paths = scope.scope_paths(request.user, scope.Area.CADRES, action)
    if not paths:
        return None
    if paths[0] == "":
        return OrgUnit.objects.filter(code=settings.PORTAL_ROOT_UNIT_CODE).first() or (
            OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        )
    return OrgUnit.objects.filter(path=paths[0]).first()


def _unit_from_query(request: HttpRequest, action: str = scope.VIEW) -> OrgUnit | None:
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return _default_unit(request, action)
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    if not scope.can(request.user, scope.Area.CADRES, action, unit):
        raise PermissionDenied(_("Bạn không có quyền với đơn vị này."))
    return unit


# --- Evaluations ---------------------------------------------------------------------------


@login_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    _need_evaluations(request.user)
    evaluations = selectors.evaluation_list(
        user=request.user,
        unit=request.current_unit,
        year=_int(request.GET.get("year")),
        month=_int(request.GET.get("month")),
        status=request.GET.get("status", ""),
        rating=request.GET.get("rating", ""),
        query=request.GET.get("q", ""),
    )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    own = None
    if request.user.person_id:
        own = Person.objects.filter(pk=request.user.person_id).first()
    return render(
        request,
        "cadres/evaluation_list.html",
        {
            "page_obj": page,
            "statuses": EvaluationStatus.choices,
            "ratings": Rating.choices,
            "months": range(1, 13),
            "can_add": selectors.sees_area(request.user, scope.CHANGE) or own is not None,
            "can_grid": selectors.sees_area(request.user, scope.CHANGE),
            "own": own,
        },
    )


class _OwnRecordDetail(ScopedDetailView):
    """A record the cadre sees as their own, or a cadres role in scope."""

    area = None  # the cadre themself or a cadres role (_need_evaluations)

    def check_area(self) -> None:
        _need_evaluations(self.request.user)


class EvaluationDetailView(_OwnRecordDetail):
    model = Evaluation
    selector = selectors.evaluation_get
    context_object_name = "evaluation"
    template_name = "cadres/evaluation_detail.html"
    attachments = True
    workflow = EVALUATION_WORKFLOW  # workflow_actions: what this user may do now

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        evaluation, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "is_self": user.person_id == evaluation.person_id,
            "timeline": selectors.evaluation_timeline(evaluation=evaluation),
            "revisions": evaluation.revisions.select_related("revised_by"),
            "can_change": _can_change(user, evaluation.unit),
        }


evaluation_detail = EvaluationDetailView.as_view()


class _CadresForm(ServiceFormView):
    """A form page of cadre work: ``cadres/form.html``, one service, back to the record."""

    area = scope.Area.CADRES
    template_name = "cadres/form.html"

    def may_change(self) -> bool:
        return self.object is None or _can_change(self.request.user, self.object.unit)


class _OwnRecordForm(_CadresForm):
    """A record the cadre opens for themself, or staff in scope for them (``person`` field)."""

    area = None
    form_class: Any
    denied_field = "person"

    def is_staff(self) -> bool:
        return selectors.sees_area(self.request.user, scope.CHANGE)

    def may_change(self) -> bool:
        return self.is_staff() or bool(self.request.user.person_id)

    def get_initial(self) -> dict[str, Any]:
        if self.request.user.person_id and not self.is_staff():
            return {"person": self.request.user.person.code}
        return {}


class EvaluationCreateView(_OwnRecordForm):
    form_class = EvaluationCreateForm
    title = gettext_lazy("Mở phiếu đánh giá hằng tháng")
    cancel_url = "cadres:evaluation_list"
    denied_message = gettext_lazy("Bạn không có quyền mở phiếu đánh giá.")

    def perform(self, form: Any) -> Evaluation:
        return services.evaluation_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Evaluation, form: Any) -> str:
        return _("Đã mở phiếu đánh giá %(e)s.") % {"e": result}


evaluation_create = EvaluationCreateView.as_view()


class EvaluationStepView(WorkflowFormView):
    """The page of one workflow step: a form, one service call, back to the record.

    Who may open the page is the table's rule for the step; the record's state is checked
    by the service, whose clear error is shown on the form.
    """

    model = Evaluation
    area = None  # the cadre themself or a cadres role (_need_evaluations)
    template_name = "cadres/form.html"
    selector = selectors.evaluation_get
    workflow = EVALUATION_WORKFLOW

    def check_area(self) -> None:
        _need_evaluations(self.request.user)

    def get_title(self) -> str:
        return f"{self.title} – {self.object}"

    def get_extra_context(self) -> dict[str, Any]:
        return {"evaluation": self.object}


def _step(step: str, form_class: type, title: Any, done: Any, submit: Any) -> Any:
    return EvaluationStepView.as_view(
        step=step, form_class=form_class, title=title, success_message=done, submit_label=submit
    )


evaluation_self_assess = _step(
    "self_assess", SelfAssessForm,
    gettext_lazy("Tự đánh giá"), gettext_lazy("Đã ghi phần tự đánh giá."), gettext_lazy("Gửi tự đánh giá"),
)  # fmt: skip
evaluation_assess = _step(
    "assess", AssessForm,
    gettext_lazy("Nhận xét, đề xuất xếp loại"), gettext_lazy("Đã ghi nhận xét của cấp trên."), gettext_lazy("Ghi nhận xét"),
)  # fmt: skip
evaluation_approve = _step(
    "approve", ApproveForm,
    gettext_lazy("Phê duyệt"), gettext_lazy("Đã phê duyệt; tháng này đã khóa."), gettext_lazy("Phê duyệt"),
)  # fmt: skip
evaluation_return = _step(
    "return", ReturnForm,
    gettext_lazy("Trả lại"), gettext_lazy("Đã trả lại phiếu đánh giá."), gettext_lazy("Trả lại"),
)  # fmt: skip
evaluation_rate_unassessed = _step(
    "rate_unassessed", RateUnassessedForm,
    gettext_lazy("Xếp loại khi cán bộ không tự đánh giá"),
    gettext_lazy("Đã xếp loại và phê duyệt; lý do đã được ghi, tháng này đã khóa."),
    gettext_lazy("Xếp loại và phê duyệt"),
)  # fmt: skip
evaluation_revise = _step(
    "revise", ReviseForm,
    gettext_lazy("Điều chỉnh xếp loại"), gettext_lazy("Đã ghi điều chỉnh xếp loại."), gettext_lazy("Ghi điều chỉnh"),
)  # fmt: skip


def _grid_period(source: Any) -> tuple[int, int, list[str]]:
    """Read the grid's year and month (this month when absent); errors for invalid ones.

    An invalid value is an error, never a silent fall back to this month: a POST would
    otherwise approve another month than the one the user typed.
    """
    today = timezone.localdate()
    query = {"year": source.get("year") or "", "month": source.get("month") or ""}
    try:
        period = periods.from_query(
            {"year": query["year"] or today.year, "month": query["month"] or today.month}
        )
    except ValidationError as error:
        return today.year, today.month, [m for ms in error.message_dict.values() for m in ms]
    return period.start.year, period.start.month, []


@login_required
def evaluation_grid(request: HttpRequest) -> HttpResponse:
    """A unit's month on one page: a native select per cadre, one submit saves every row.

    Only months the cadre self-assessed (or the superior assessed) can be approved here;
    missing and draft months are listed for follow-up, without a select.
    """
    _need(request.user, scope.CHANGE)
    unit = _unit_from_query(request, scope.CHANGE)
    if unit is None:
        raise PermissionDenied(_("Bạn không có quyền duyệt đánh giá."))
    source = request.POST if request.method == "POST" else request.GET
    year, month, period_errors = _grid_period(source)
    pick = GridPickForm(
        {"unit": unit.code, "year": source.get("year", year), "month": source.get("month", month)},
        user=request.user,
    )
    if period_errors:
        return render(
            request,
            "cadres/evaluation_grid.html",
            {
                "pick": pick, "unit": unit, "year": year, "month": month, "rows": [],
                "ratings": Rating.choices, "open_count": 0, "period_invalid": True,
                "errors": [_("Chưa mở được bảng duyệt; không lưu gì."), *period_errors],
            },
            status=400,
        )  # fmt: skip
    rows = selectors.grid_rows(user=request.user, unit=unit, year=year, month=month)
    if len(rows) > settings.EVALUATION_GRID_MAX_ROWS:
        # A whole district on one page cannot be reviewed with care: ask for a smaller unit.
        message = _(
            "%(unit)s có %(n)s cán bộ: quá nhiều cho một bảng duyệt. Hãy chọn một phường hoặc chi bộ."
        ) % {"unit": unit.name, "n": len(rows)}
        return render(
            request,
            "cadres/evaluation_grid.html",
            {
                "pick": pick, "unit": unit, "year": year, "month": month, "rows": [],
                "ratings": Rating.choices, "open_count": 0, "period_invalid": True, "errors": [message],
            },
        )  # fmt: skip
    errors: list[str] = []
    if request.method == "POST":
        ratings = {}
        for row in rows:
            if row.locked:
                continue
            value = request.POST.get(f"rating-{row.person.pk}", "")
            row.value = value
            ratings[row.person.pk] = value  # a value posted for a row not open is refused
        try:
            saved = services.evaluation_bulk_approve(
                actor=request.user, unit=unit, year=year, month=month, ratings=ratings,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            by_person = getattr(error, "error_dict", {})
            for row in rows:
                for item in by_person.get(str(row.person.pk), []):
                    row.error = " ".join(item.messages)
            errors = [m for m in error.messages] if not by_person else []
            errors.insert(0, _("Chưa lưu dòng nào: hãy sửa các dòng báo lỗi rồi lưu lại."))
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            messages.success(
                request,
                _("Đã phê duyệt %(count)s phiếu đánh giá tháng %(month)s/%(year)s.")
                % {"count": len(saved), "month": month, "year": year},
            )
            return redirect(f"{request.path}?unit={unit.code}&year={year}&month={month}")
    return render(
        request,
        "cadres/evaluation_grid.html",
        {
            "pick": pick,
            "unit": unit,
            "year": year,
            "month": month,
            "rows": rows,
            "ratings": Rating.choices,
            "errors": errors,
            "open_count": sum(1 for row in rows if row.approvable),
            "waiting_count": sum(1 for row in rows if not row.locked and not row.approvable),
        },
        status=400 if errors else 200,
    )


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str, Term | None]:
    """The distribution's period (a term or a year; this year when none), from the query."""
    try:
        period = periods.from_query(request.GET, terms={t.code: t for t in Term.objects.all()})
    except ValidationError as error:
        for message in (m for ms in error.message_dict.values() for m in ms):
            messages.error(request, message)
        period = periods.year(timezone.localdate().year)
    return period.start, period.end, period.label, period.term


@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    unit = _unit_from_query(request)
    if unit is None:
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))
    start, end, label, term = _period(request)
    result = selectors.distribution(user=request.user, unit=unit, start=start, end=end)
    flagged = selectors.flagged_cadres(user=request.user, unit=unit, start=start, end=end)
    yearly = None
    if term is None:
        yearly = Paginator(
            selectors.yearly_counts(user=request.user, unit=unit, year=start.year), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "cadres/distribution.html",
        {
            "unit": unit,
            "result": result,
            "period_label": label,
            "flagged": flagged[:200],
            "page_obj": yearly,
            "terms": Term.objects.all(),
            "ratings": Rating.choices,
            "units": scope_units(request.user),
            "year": start.year,
            "term": term,
        },
    )


def scope_units(user: Any):
    from longbien.org.selectors import unit_choices

    return unit_choices(user=user, area=scope.Area.CADRES).filter(depth__lte=1)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's cadre record: evaluations per year, decisions, tests, plans, assignments."""
    _need_evaluations(request.user)
    try:
        person = selectors.person_for_history(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    is_self = user.person_id == person.pk
    can_change = _can_change(user, person.unit)
    assignments = list(selectors.assignment_list(user=user, person=person))
    return render(
        request,
        "cadres/person_history.html",
        {
            "person": person,
            "evaluations": selectors.evaluation_list(user=user, person=person)[:120],
            "decisions": selectors.decision_list(user=user, person=person),
            "tests": selectors.participant_list(user=user, person=person),
            "plans": selectors.plan_list(user=user, person=person),
            "assignments": assignments,
            "trainings": selectors.training_history(user=user, person=person),
            "sees_area": selectors.sees_area(user),
            "can_change": can_change,
            "can_add_plan": can_change or is_self,
            "changeable": {a.pk for a in assignments if not is_self and _can_change(user, a.unit)},
        },
    )


# --- Decisions, tests, plans, assignments, trainings ----------------------------------------


class _CadresList(ScopedListView):
    area = scope.Area.CADRES
    paginate_by = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_add = selectors.sees_area(self.request.user, scope.CHANGE)
        return {**super().get_context_data(**kwargs), "can_add": can_add}


class DecisionListView(_CadresList):
    model = PersonnelDecision
    selector = selectors.decision_list
    template_name = "cadres/decision_list.html"
    register = "decisions"

    def selector_kwargs(self) -> dict[str, Any]:
        get = self.request.GET
        return {
            "unit": self.request.current_unit,
            "kind": get.get("kind", ""),
            "year": _int(get.get("year")),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "kinds": DecisionKind.choices}


decision_list = DecisionListView.as_view()


class DecisionCreateView(_CadresForm):
    form_class = DecisionForm
    title = gettext_lazy("Ghi quyết định nhân sự")
    cancel_url = "cadres:decision_list"

    def perform(self, form: Any) -> Any:
        return services.decision_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi quyết định %(s)s.") % {"s": result.symbol}

    def get_success_url(self, result: Any = None) -> str:
        return reverse("cadres:person_history", args=[result.person_id])


decision_create = DecisionCreateView.as_view()


class QualificationTestListView(_CadresList):
    model = QualificationTest
    selector = selectors.test_list
    template_name = "cadres/test_list.html"
    register = "test-results"


test_list = QualificationTestListView.as_view()


class QualificationTestCreateView(_CadresForm):
    form_class = TestForm
    title = gettext_lazy("Tạo kỳ sát hạch")
    cancel_url = "cadres:test_list"
    denied_field = "unit"

    def perform(self, form: Any) -> Any:
        return services.test_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã tạo kỳ sát hạch “%(test)s”.") % {"test": result}


test_create = QualificationTestCreateView.as_view()


@dataclass
class _Row:
    """One participant's line on a grid: what was typed and what went wrong."""

    participant: Any
    value: Any = ""
    error: str = ""


def _row_errors(rows: list[_Row], error: ValidationError) -> list[str]:
    """Put a bulk service's per-person errors on the rows; return the page-level ones."""
    by_person = getattr(error, "error_dict", {})
    for row in rows:
        for item in by_person.get(str(row.participant.person_id), []):
            row.error = " ".join(item.messages)
    general = [] if by_person else list(error.messages)
    return [_("Chưa lưu dòng nào: hãy sửa các dòng báo lỗi rồi lưu lại."), *general]


def _score_text(score: Any) -> str:
    return "" if score is None else vn_number(score, 1)


@login_required
def test_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A test session: its participants, one form for every score, and the results."""
    _need(request.user)
    test = _get_or_404(selectors.test_get, request.user, pk)
    participants = list(selectors.participant_list(user=request.user, test=test))
    can_change = _can_change(request.user, test.unit)
    rows = [_Row(participant=p, value=_score_text(p.score)) for p in participants]
    errors: list[str] = []
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Bạn không có quyền nhập điểm kỳ sát hạch này."))
        for row in rows:
            row.value = request.POST.get(f"score-{row.participant.person_id}", "").strip()
        try:
            saved = services.test_record_scores(
                actor=request.user, test=test,
                scores={row.participant.person_id: row.value for row in rows},
            )  # fmt: skip
        except ValidationError as error:
            errors = _row_errors(rows, error)
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            messages.success(request, _("Đã lưu điểm của %(count)s người.") % {"count": len(saved)})
            return redirect(test)
    return render(
        request,
        "cadres/test_detail.html",
        {
            "test": test,
            "rows": rows,
            "summary": selectors.test_summary(participants=participants),
            "can_change": can_change,
            "errors": errors,
            "audit_entries": entries_for(test)[:30],
        },
        status=400 if errors else 200,
    )


class _EnrolView(_CadresForm):
    """Add people to a session or a class the user may change: all of them or none."""

    edits_object = True
    form_class = PeopleForm
    catch_denied = False

    def get_success_url(self, result: Any = None) -> str:
        return self.object.get_absolute_url()


class ParticipantAddView(_EnrolView):
    selector = selectors.test_get
    submit_label = gettext_lazy("Thêm")
    denied_message = gettext_lazy("Bạn không có quyền thêm người dự kỳ sát hạch này.")

    def get_title(self) -> str:
        return _("Thêm người dự sát hạch – %(test)s") % {"test": self.object}

    def perform(self, form: Any) -> Any:
        return services.test_add_participants(
            actor=self.request.user, test=self.object, **form.cleaned_data
        )

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã thêm %(count)s người dự sát hạch.") % {"count": len(result)}


test_add_participants = ParticipantAddView.as_view()


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans in scope; a cadre without a role sees their own."""
    _need_evaluations(request.user)
    year = _int(request.GET.get("year"), timezone.localdate().year)
    plans = selectors.plan_list(user=request.user, unit=request.current_unit, year=year)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cadres/plan_list.html",
        {
            "page_obj": page,
            "year": year,
            "public_unit": _default_unit(request),
            "can_add": selectors.sees_area(request.user, scope.CHANGE)
            or bool(request.user.person_id),
        },
    )


class PlanCreateView(_OwnRecordForm):
    """A yearly plan: written by the cadre themself, or entered by staff in scope."""

    form_class = PlanForm
    title = gettext_lazy("Lập kế hoạch tu dưỡng, rèn luyện")
    cancel_url = "cadres:plan_list"
    denied_message = gettext_lazy("Bạn không có quyền lập kế hoạch tu dưỡng.")

    def get_initial(self) -> dict[str, Any]:
        if self.request.GET.get("person"):
            return {"person": self.request.GET["person"]}
        return super().get_initial()

    def perform(self, form: Any) -> Any:
        return services.plan_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã lưu %(plan)s.") % {"plan": result}


plan_create = PlanCreateView.as_view()


class PlanDetailView(_OwnRecordDetail):
    model = SelfImprovementPlan
    selector = selectors.plan_get
    context_object_name = "plan"
    template_name = "cadres/plan_detail.html"
    history_limit = 30

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "reviews": selectors.plan_reviews(plan=plan),
            "can_review": _can_change(user, plan.unit) and user.person_id != plan.person_id,
            "is_head": bool(plan.person.position and plan.person.position.is_head),
        }


plan_detail = PlanDetailView.as_view()


class PlanReviewView(_CadresForm):
    """The cell meeting's review note on a plan for one month."""

    edits_object = True
    selector = selectors.plan_get
    form_class = PlanReviewForm
    form_takes_user = False
    submit_label = gettext_lazy("Ghi nhận xét")
    denied_message = gettext_lazy("Bạn không có quyền ghi nhận xét cho kế hoạch này.")

    def get_initial(self) -> dict[str, Any]:
        plan = self.object
        reviewed = set(plan.reviews.values_list("month", flat=True))
        today = timezone.localdate()
        last = 12 if plan.year < today.year else today.month
        free = [month for month in range(1, last + 1) if month not in reviewed]
        return {"month": free[-1] if free else None}

    def get_title(self) -> str:
        return _("Nhận xét hằng tháng – %(plan)s") % {"plan": self.object}

    def perform(self, form: Any) -> Any:
        return services.plan_review(actor=self.request.user, plan=self.object, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi nhận xét tháng %(month)s.") % {"month": form.cleaned_data["month"]}


plan_review = PlanReviewView.as_view()


def public_plans(request: HttpRequest, code: str) -> HttpResponse:
    """Heads' plans of a unit, posted publicly: no login, nothing personal but name and post."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    year = _int(request.GET.get("year"), timezone.localdate().year)
    if not 2000 <= year <= 2100:
        raise Http404
    plans = selectors.public_head_plans(unit=unit, year=year)
    return render(request, "cadres/public_plans.html", {"unit": unit, "year": year, "plans": plans})


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    year = _int(request.GET.get("year"), timezone.localdate().year)
    missing = request.GET.get("missing") == "1"
    if missing:
        rows = selectors.members_without_assignment(
            user=request.user, year=year, unit=request.current_unit
        )
    else:
        rows = selectors.assignment_list(user=request.user, unit=request.current_unit, year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_change = selectors.sees_area(request.user, scope.CHANGE)
    return render(
        request,
        "cadres/assignment_list.html",
        {
            "page_obj": page,
            "year": year,
            "missing": missing,
            "can_add": can_change,
            # Only the rows of units the user may change get the "record result" link.
            "changeable": {
                row.pk
                for row in page
                if not missing and can_change and _can_change(request.user, row.unit)
            },
        },
    )


class AssignmentCreateView(_CadresForm):
    form_class = AssignmentForm
    title = gettext_lazy("Phân công nhiệm vụ cho đảng viên")
    cancel_url = "cadres:assignment_list"
    denied_field = "person"

    def get_initial(self) -> dict[str, Any]:
        get = self.request.GET
        initial = {"person": get.get("person", ""), "year": _int(get.get("year"))}
        return {k: v for k, v in initial.items() if v}

    def perform(self, form: Any) -> Any:
        return services.assignment_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã phân công nhiệm vụ năm %(year)s cho %(person)s.") % {
            "year": result.year,
            "person": result.person,
        }

    def get_success_url(self, result: Any = None) -> str:
        return f"{reverse('cadres:assignment_list')}?year={result.year}&missing=1"


class AssignmentResultView(_CadresForm):
    """The year-end result of a task assignment."""

    edits_object = True
    selector = selectors.assignment_get
    form_class = AssignmentResultForm
    form_takes_user = False
    cancel_url = "cadres:assignment_list"
    denied_message = gettext_lazy("Bạn không có quyền ghi kết quả nhiệm vụ này.")

    def get_initial(self) -> dict[str, Any]:
        return {"result": self.object.result, "result_note": self.object.result_note}

    def get_title(self) -> str:
        return _("Kết quả cuối năm – %(a)s") % {"a": self.object}

    def get_extra_context(self) -> dict[str, Any]:
        return {"assignment": self.object}

    def perform(self, form: Any) -> Any:
        return services.assignment_record_result(
            actor=self.request.user, assignment=self.object, **form.cleaned_data
        )

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi kết quả cuối năm của %(a)s.") % {"a": self.object}

    def get_success_url(self, result: Any = None) -> str:
        return f"{reverse('cadres:assignment_list')}?year={self.object.year}"


assignment_create = AssignmentCreateView.as_view()
assignment_result = AssignmentResultView.as_view()


class TrainingListView(_CadresList):
    model = TrainingClass
    selector = selectors.training_list
    template_name = "cadres/training_list.html"

    def selector_kwargs(self) -> dict[str, Any]:
        return {"unit": self.request.current_unit}


training_list = TrainingListView.as_view()


class TrainingCreateView(_CadresForm):
    form_class = TrainingForm
    title = gettext_lazy("Mở lớp bồi dưỡng")
    cancel_url = "cadres:training_list"
    denied_field = "unit"

    def perform(self, form: Any) -> Any:
        return services.training_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã mở lớp “%(t)s”.") % {"t": result}


training_create = TrainingCreateView.as_view()


@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A class: its participants and one form to mark who completed it."""
    _need(request.user)
    training = _get_or_404(selectors.training_get, request.user, pk)
    participants = list(selectors.training_participants(user=request.user, training=training))
    can_change = _can_change(request.user, training.unit)
    rows = [_Row(participant=p, value=p.completed) for p in participants]
    errors: list[str] = []
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Bạn không có quyền xác nhận kết quả lớp này."))
        ticked = set(request.POST.getlist("completed"))
        for row in rows:
            row.value = str(row.participant.person_id) in ticked
        try:
            saved = services.training_record_completion(
                actor=request.user, training=training,
                completed={row.participant.person_id: row.value for row in rows},
            )  # fmt: skip
        except ValidationError as error:
            errors = _row_errors(rows, error)
        except PermissionDenied as error:
            errors = [str(error)]
        else:
            messages.success(
                request, _("Đã lưu kết quả của %(count)s học viên.") % {"count": len(saved)}
            )
            return redirect(training)
    completed = sum(1 for p in participants if p.completed)
    return render(
        request,
        "cadres/training_detail.html",
        {
            "training": training,
            "rows": rows,
            "completed_count": completed,
            "can_change": can_change,
            "finished": training.end_date <= timezone.localdate(),
            "errors": errors,
            "audit_entries": entries_for(training)[:30],
        },
        status=400 if errors else 200,
    )


class TrainingEnrolView(_EnrolView):
    selector = selectors.training_get
    submit_label = gettext_lazy("Ghi danh")
    denied_message = gettext_lazy("Bạn không có quyền ghi danh vào lớp này.")

    def get_title(self) -> str:
        return _("Ghi danh học viên – %(t)s") % {"t": self.object}

    def perform(self, form: Any) -> Any:
        return services.training_enrol(
            actor=self.request.user, training=self.object, **form.cleaned_data
        )

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã ghi danh %(count)s học viên.") % {"count": len(result)}


training_enrol = TrainingEnrolView.as_view()
