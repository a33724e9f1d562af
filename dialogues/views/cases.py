"""The public-opinion cases: the register, intake with the duplicate suggestion, the record
with its timeline, the workflow steps, reassignment, merging, and a unit's page (its open
cases, its resolution rate, its open commitments).

The citizen who raised a case (name, phone, address) is personal data: shown only when
``selectors.sees_citizen``; everywhere else "(ẩn)", the history included.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import deadlines
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    WorkflowActionView,
    WorkflowFormView,
)
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.service import batch

from .. import selectors, services
from ..choices import CASE_FINISHED, CaseSource, CaseStatus
from ..filters.cases import CaseFilterSet
from ..forms.cases import (
    CITIZEN_NOTE,
    SAVE_NEW,
    CaseAnswerForm,
    CaseAssignForm,
    CaseForm,
    CaseMergeForm,
    CaseReassignForm,
    CaseTransferForm,
    UnitPeriodForm,
)
from ..models import DialogueIssue, OpinionCase, Reception
from ..tables.cases import CaseTable
from ..workflows import CASE_WORKFLOW, INTAKE, OPEN

AREA = scope.Area.DIALOGUES
MASK = gettext_lazy("(ẩn)")
# The intake's parameter naming the reception session a case is received at.
RECEPTION_PARAM = "tiep-cong-dan"
CITIZEN_FIELDS = ("citizen_name", "citizen_phone", "citizen_address")


def citizen_of(user: Any, case: OpinionCase) -> dict[str, Any]:
    """The citizen's data as this user may see it: the values, or "(ẩn)" for each."""
    shown = selectors.sees_citizen(user, case)
    return {
        "shown": shown,
        **{name: (getattr(case, name) if shown else MASK) for name in CITIZEN_FIELDS},
    }


def _masked_history(rows: list[Any]) -> list[Any]:
    """The history without the citizen's data: each change of it reads "(ẩn)"."""
    labels = {
        str(capfirst(OpinionCase._meta.get_field(name).verbose_name)) for name in CITIZEN_FIELDS
    }
    for row in rows:
        row.changes = [
            (label, MASK if old else "", MASK if new else "")
            if label in labels
            else (label, old, new)
            for label, old, new in row.changes
        ]
    return rows


def time_limit(case: OpinionCase, today: dt.date | None = None) -> dict[str, Any]:
    """The case's due date as its page shows it: effective date, days left or overdue."""
    today = today or timezone.localdate()
    finished = case.status in CASE_FINISHED
    if case.due_on is None:
        return {"due_on": None, "effective": None, "finished": finished, "days_overdue": 0,
                "days_left": 0}  # fmt: skip
    effective = deadlines.effective_deadline(case.due_on)
    overdue = deadlines.days_overdue(case.due_on, today, done=finished)
    left = 0 if finished or overdue else (effective - today).days
    return {"due_on": case.due_on, "effective": effective, "finished": finished,
            "days_overdue": overdue, "days_left": left}  # fmt: skip


def reception_of(user: Any, case: OpinionCase) -> Reception | None:
    """The reception session the case was received at, if the user may see it."""
    reception = case.reception if case.reception_id else None
    if reception is None or not scope.can_on(user, reception):
        return None
    return reception


class _CaseObject:
    """The case of the URL, among those the user may see (404 outside)."""

    model = OpinionCase
    area = None  # the record first (404 without the area), then the rule of the step
    request: HttpRequest
    object: OpinionCase

    def get_scoped_queryset(self) -> Any:
        return selectors.case_list(self.request.user).select_related(
            "merged_into", "dialogue_issue__dialogue", "reception__unit"
        )

    def case_context(self) -> dict[str, Any]:
        """What every page of the case shows above its form (``case_facts.html``)."""
        case = self.object
        return {"case": case, "limit": time_limit(case),
                "reception": reception_of(self.request.user, case)}  # fmt: skip


# --- The register ------------------------------------------------------------------------------


class CaseListView(ScopedListView):
    model = OpinionCase
    selector = selectors.case_list
    filterset_class = CaseFilterSet
    table_class = CaseTable
    template_name = "dialogues/case_list.html"
    paginate_by = 50
    register = "opinion_cases"


case_list = CaseListView.as_view()


# --- Intake, with the duplicate suggestion ----------------------------------------------------

# A file chosen on the intake is kept while the page is shown again (the duplicate step, a
# refusal): a browser never sends a chosen file twice. The bytes wait in the cache (shared by
# the web processes, expiring by itself); the form carries a token signed for the user.
STAGED_SECONDS = 60 * 60
_STAGED_SALT = "dialogues.case_create.staged_file"


def _staged_key(key: str) -> str:
    return f"dialogues:staged-upload:{key}"


def stage_upload(user: Any, upload: UploadedFile) -> str:
    """Keep ``upload`` for ``user`` a while; return the token that gives it back."""
    key = secrets.token_urlsafe(24)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    cache.set(_staged_key(key), {"user": user.pk, "data": data,
                                 "content_type": upload.content_type or ""},
              STAGED_SECONDS)  # fmt: skip
    return signing.dumps({"key": key, "user": user.pk, "name": upload.name or ""},
                         salt=_STAGED_SALT)  # fmt: skip


def _staged(user: Any, token: str) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        value = signing.loads(token, salt=_STAGED_SALT, max_age=STAGED_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("user") != user.pk:
        return None
    return value


def staged_name(user: Any, token: str) -> str:
    """The name of the file kept under ``token`` ("" for no file, or not this user's)."""
    value = _staged(user, token)
    return str(value.get("name") or "") if value else ""


def staged_upload(user: Any, token: str) -> UploadedFile | None:
    """The file kept under ``token``, or ``None`` (expired, or not this user's)."""
    value = _staged(user, token)
    if value is None:
        return None
    kept = cache.get(_staged_key(value["key"]))
    if not kept or kept.get("user") != user.pk:
        return None
    return SimpleUploadedFile(value["name"], kept["data"], content_type=kept["content_type"])


def drop_staged(user: Any, token: str) -> None:
    value = _staged(user, token)
    if value is not None:
        cache.delete(_staged_key(value["key"]))


class CaseCreateView(ServiceFormView):
    """Two steps when the case looks like an open one: the first POST shows the similar open
    cases; the second (``decision``) saves a new case, or saves it and merges it into one."""

    model = OpinionCase
    form_class = CaseForm
    template_name = "dialogues/case_create.html"
    title = gettext_lazy("Tiếp nhận vụ việc dư luận phản ánh")
    cancel_url = "dialogues:case_list"
    submit_label = gettext_lazy("Tiếp nhận")
    similar: list[OpinionCase] | None = None
    reception: Reception | None = None
    issue_param = "y-kien"

    def get_issue(self) -> DialogueIssue | None:
        """The dialogue issue the case is opened from (``?y-kien=<id>``), in the scope."""
        value = self.request.GET.get(self.issue_param, "")
        if not value.isdigit():
            return None
        return (
            DialogueIssue.objects.restrict(self.request.user)
            .select_related("dialogue__unit")
            .filter(pk=int(value))
            .first()
        )

    def get_reception(self) -> Reception | None:
        """The reception session the case is received at (``?tiep-cong-dan=<id>``), in the
        scope."""
        value = self.request.GET.get(RECEPTION_PARAM, "")
        if not value.isdigit():
            return None
        return (
            Reception.objects.restrict(self.request.user)
            .select_related("unit")
            .filter(pk=int(value))
            .first()
        )

    def get_initial(self) -> dict[str, Any]:
        reception = self.reception = self.get_reception()
        if reception is not None:
            return {"reception": reception.pk, "unit": reception.unit,
                    "source": CaseSource.RECEPTION, "received_on": reception.held_on}  # fmt: skip
        issue = self.get_issue()
        if issue is None:
            return {}
        dialogue = issue.dialogue
        return {"dialogue_issue": issue.pk, "content": issue.content, "unit": dialogue.unit,
                "source": CaseSource.DIALOGUE, "received_on": dialogue.held_on}  # fmt: skip

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        if form.is_valid() and not form.cleaned_data.get("decision"):
            data = form.cleaned_data
            self.similar = selectors.similar_cases(
                request.user, content=data["content"], unit=data["unit"]
            )
            if self.similar:
                self.keep_file(form)
                return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def _set_token(self, form: Any, token: str) -> None:
        form.data = form.data.copy()
        form.data[form.add_prefix("staged_file")] = token

    def keep_file(self, form: Any) -> None:
        """Keep the file chosen on this POST for the page shown again (replacing one kept
        before); drop the kept one when asked, or when the service refused it."""
        user = self.request.user
        token = form.data.get(form.add_prefix("staged_file"), "")
        refused = "file" in form.errors
        upload = None if refused else getattr(form, "cleaned_data", {}).get("file")
        drop = form.data.get(form.add_prefix("drop_staged_file")) in ("on", "1", "true", "True")
        if upload or refused or drop:
            if token:
                drop_staged(user, token)
            self._set_token(form, stage_upload(user, upload) if upload else "")

    def form_invalid(self, form: Any) -> HttpResponse:
        """A refused second step shows the similar cases again, to choose once more; the
        file chosen stays kept."""
        data = getattr(form, "cleaned_data", {})
        again = self.similar is None and form.data.get("decision")
        if again and data.get("content") and data.get("unit") is not None:
            self.similar = selectors.similar_cases(
                self.request.user, content=data["content"], unit=data["unit"]
            )
        if form.is_bound:
            self.keep_file(form)
        return super().form_invalid(form)

    def perform(self, form: Any) -> OpinionCase:
        user = self.request.user
        data = dict(form.cleaned_data)
        decision = data.pop("decision", "")
        token = data.pop("staged_file", "") or ""
        drop = data.pop("drop_staged_file", False)
        data["file"] = data.pop("file", None) or None
        if data["file"] is None and token and not drop:
            data["file"] = staged_upload(user, token)
            if data["file"] is None:
                name = staged_name(user, token) or _("đã chọn")
                raise ValidationError({"file": _(
                    "Tệp “%(name)s” chọn ở bước trước không còn được giữ (quá thời gian chờ). "
                    "Hãy chọn lại tệp, hoặc lưu lần nữa để tiếp nhận không kèm tệp."
                ) % {"name": name}})  # fmt: skip
        into = None
        if decision and decision != SAVE_NEW:
            into = selectors.case_list(user).filter(pk=int(decision)).first()
            if into is None:
                raise ValidationError({"decision": _("Không tìm thấy vụ việc cần gộp vào.")})
        # Both or neither: a case merged into another is never left saved alone.
        with batch():
            case = services.case_receive(actor=user, **data)
            if into is not None:
                services.case_merge(actor=user, case=case, into=into)
        if token:
            drop_staged(user, token)
        self.merged_into = into
        return case

    def get_success_message(self, result: OpinionCase, form: Any) -> str:
        if getattr(self, "merged_into", None) is not None:
            return _("Đã tiếp nhận vụ việc #%(case)s và gộp vào vụ việc #%(into)s.") % {
                "case": result.pk, "into": self.merged_into.pk,
            }  # fmt: skip
        return _("Đã tiếp nhận vụ việc #%(case)s.") % {"case": result.pk}

    def get_extra_context(self) -> dict[str, Any]:
        reception = self.reception
        return {"citizen_note": CITIZEN_NOTE, "similar": self.similar or [],
                "issue": None if reception else self.get_issue(), "reception": reception,
                "cancel_url": reception.get_absolute_url() if reception else self.get_cancel_url(),
                }  # fmt: skip

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["staged_name"] = staged_name(self.request.user, form["staged_file"].value() or "")
        return context


case_create = CaseCreateView.as_view()


# --- The record --------------------------------------------------------------------------------


class CaseDetailView(_CaseObject, ScopedDetailView):
    area = ""  # the register's area: 403 without it
    template_name = "dialogues/case_detail.html"
    context_object_name = "case"
    attachments = True
    workflow = CASE_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        citizen = citizen_of(user, case)
        if not citizen["shown"]:
            context["audit_entries"] = _masked_history(context["audit_entries"])
        coordinates = INTAKE.refusal(user, case) is None
        merged_into = case.merged_into
        if merged_into is not None and not scope.can_on(user, merged_into):
            merged_into = None
        return {
            **context,
            "citizen": citizen,
            "can_change": scope.can_on(user, case, scope.CHANGE),
            "limit": time_limit(case),
            "timeline": CASE_WORKFLOW.timeline(case),
            "assignments": case.assignments.select_related("unit", "by"),
            "merged": selectors.case_list(user).filter(merged_into=case).order_by("id"),
            "merged_into": merged_into,
            "issue": case.dialogue_issue
            if case.dialogue_issue_id and scope.can_on(user, case.dialogue_issue)
            else None,
            "reception": reception_of(user, case),
            "can_reassign": coordinates
            and case.status in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS),
            "can_merge": scope.can(user, AREA, scope.CHANGE, case.unit) and case.status in OPEN,
        }


case_detail = CaseDetailView.as_view()


# --- Steps with a page --------------------------------------------------------------------------


class CaseStepView(_CaseObject, WorkflowFormView):
    template_name = "dialogues/case_form.html"
    workflow = CASE_WORKFLOW
    object_kwarg = "case"

    def get_title(self) -> str:
        return f"{self.title} – #{self.object.pk}"

    def get_extra_context(self) -> dict[str, Any]:
        return self.case_context()


class CaseAssignView(CaseStepView):
    form_class = CaseAssignForm
    form_takes_user = True
    step = "assign"
    title = gettext_lazy("Giao xử lý vụ việc")
    submit_label = gettext_lazy("Giao xử lý")

    def get_initial(self) -> dict[str, Any]:
        case = self.object
        start = max(timezone.localdate(), case.received_on)
        return {"due_on": services.due_date(case.urgency, start)}

    def get_success_message(self, result: OpinionCase, form: Any) -> str:
        return _("Đã giao vụ việc cho %(unit)s, hạn trả lời %(due)s.") % {
            "unit": result.assigned_unit.name, "due": result.due_on.strftime("%d/%m/%Y"),
        }  # fmt: skip


case_assign = CaseAssignView.as_view()

case_answer = CaseStepView.as_view(
    step="answer",
    form_class=CaseAnswerForm,
    title=gettext_lazy("Trả lời vụ việc"),
    success_message=gettext_lazy("Đã ghi nội dung trả lời."),
    submit_label=gettext_lazy("Ghi trả lời"),
)
case_transfer = CaseStepView.as_view(
    step="transfer",
    form_class=CaseTransferForm,
    title=gettext_lazy("Chuyển vụ việc đến cơ quan khác"),
    success_message=gettext_lazy("Đã chuyển vụ việc."),
    submit_label=gettext_lazy("Chuyển"),
)


class CaseReassignView(_CaseObject, ServiceFormView):
    form_class = CaseReassignForm
    edits_object = True
    template_name = "dialogues/case_form.html"
    title = gettext_lazy("Giao lại vụ việc")
    submit_label = gettext_lazy("Giao lại")

    def check_permission(self) -> None:
        refusal = INTAKE.refusal(self.request.user, self.object)
        if refusal is not None:
            raise PermissionDenied(refusal)

    def get_title(self) -> str:
        return f"{self.title} – #{self.object.pk}"

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.object.assigned_unit, "due_on": self.object.due_on}

    def perform(self, form: Any) -> OpinionCase:
        return services.case_reassign(actor=self.request.user, case=self.object,
                                      **form.cleaned_data)  # fmt: skip

    def get_success_message(self, result: OpinionCase, form: Any) -> str:
        return _("Đã giao lại vụ việc cho %(unit)s.") % {"unit": result.assigned_unit.name}

    def get_extra_context(self) -> dict[str, Any]:
        return self.case_context()


case_reassign = CaseReassignView.as_view()


class CaseMergeView(_CaseObject, ServiceFormView):
    form_class = CaseMergeForm
    form_takes_user = False
    edits_object = True
    template_name = "dialogues/case_form.html"
    title = gettext_lazy("Gộp vụ việc trùng")
    submit_label = gettext_lazy("Gộp")
    denied_message = gettext_lazy("Bạn không có quyền gộp vụ việc này.")

    def may_change(self) -> bool:
        return scope.can(self.request.user, AREA, scope.CHANGE, self.object.unit)

    def get_title(self) -> str:
        return f"{self.title} – #{self.object.pk}"

    def get_form_kwargs(self) -> dict[str, Any]:
        case = self.object
        similar = selectors.similar_cases(
            self.request.user, content=case.content, unit=case.unit, exclude=case.pk
        )
        return {**super().get_form_kwargs(), "similar": similar}

    def perform(self, form: Any) -> OpinionCase:
        user = self.request.user
        target = form.cleaned_data["target"]
        into = selectors.case_list(user).filter(pk=target).first()
        if into is None:
            field = "into_id" if form.cleaned_data.get("into_id") else "into"
            raise ValidationError({field: _("Không tìm thấy vụ việc #%(pk)s.") % {"pk": target}})
        return services.case_merge(actor=user, case=self.object, into=into,
                                   reason=form.cleaned_data.get("reason") or "")  # fmt: skip

    def get_success_message(self, result: OpinionCase, form: Any) -> str:
        return _("Đã gộp vào vụ việc #%(into)s.") % {"into": result.merged_into_id}

    def get_extra_context(self) -> dict[str, Any]:
        return self.case_context()


case_merge = CaseMergeView.as_view()


# --- One-click steps ---------------------------------------------------------------------------


class CaseActionView(_CaseObject, WorkflowActionView):
    workflow = CASE_WORKFLOW
    object_kwarg = "case"


case_start = CaseActionView.as_view(step="start")
case_close = CaseActionView.as_view(step="close")
case_reject = CaseActionView.as_view(step="reject")
case_reopen = CaseActionView.as_view(step="reopen")


# --- A unit's page -----------------------------------------------------------------------------


def period_of(form: UnitPeriodForm, today: dt.date) -> tuple[int, int | None, dt.date, dt.date]:
    """The year and quarter asked (the current year by default) and their first and last day."""
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("nam") or today.year
    quarter = data.get("quy")
    if quarter:
        start = dt.date(year, 3 * quarter - 2, 1)
        end = (dt.date(year, 3 * quarter, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return year, quarter, start, end


@login_required
def unit_board(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's open cases by due date (overdue first in red), its resolution rate for the
    year or quarter asked, and its open commitments. A unit out of the scope: 404."""
    if request.method not in ("GET", "HEAD"):
        raise Http404
    user = request.user
    scope.require_area(user, AREA, scope.VIEW)
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not scope.can(user, AREA, scope.VIEW, unit):
        raise Http404
    today = timezone.localdate()
    form = UnitPeriodForm(request.GET or None)
    year, quarter, start, end = period_of(form, today)
    cases = list(
        selectors.case_list(user)
        .filter(Q(unit__path__startswith=unit.path) | Q(assigned_unit__path__startswith=unit.path))
        .open()
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )
    for case in cases:
        case.days_late = deadlines.days_overdue(case.due_on, today)
    commitments = list(selectors.open_commitments(user, unit))
    for commitment in commitments:
        commitment.days_late = deadlines.days_overdue(commitment.deadline, today)
    return render(request, "dialogues/unit_board.html", {
        "unit": unit, "cases": cases, "overdue_count": sum(1 for c in cases if c.days_late),
        "rate": selectors.resolution_rate(user, unit, start, end, today=today),
        "period_form": form if form.is_bound else UnitPeriodForm(initial={"nam": year}),
        "year": year, "quarter": quarter, "start": start, "end": end,
        "commitments": commitments, "today": today,
        "can_add": scope.can(user, AREA, scope.CHANGE, unit),
    })  # fmt: skip
