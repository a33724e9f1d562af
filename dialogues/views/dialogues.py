"""Pages of the dialogues with citizens and their commitments.

The register, the dialogue's page (its issues, each answered or with its commitment, the
commitments' figures, the cases opened from its issues, files and history), recording and
correcting a dialogue, adding an issue, a commitment's progress report and the commitments'
register. Every write is one service of ``dialogues.services``; every read starts from the
selectors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView
from longbien.org import scope

from .. import selectors, services
from ..choices import CommitmentStatus
from ..filters.dialogues import CommitmentFilterSet, DialogueFilterSet
from ..forms.dialogues import (
    ISSUE_FIELDS,
    CommitmentReportForm,
    DialogueForm,
    DialogueUpdateForm,
    IssueForm,
)
from ..models import Commitment, Dialogue, DialogueIssue
from ..tables.dialogues import CommitmentTable, DialogueTable, commitment_lateness

AREA = scope.Area.DIALOGUES
FORM_TEMPLATE = "dialogues/dialogue_form.html"


def _dialogue_rows(user: Any) -> QuerySet[Dialogue]:
    # The counts' GROUP BY drops the model's ordering: the register's order, restated.
    return selectors.dialogue_list(user).order_by("-held_on", "-id")


class DialogueListView(ScopedListView):
    model = Dialogue
    selector = _dialogue_rows
    filterset_class = DialogueFilterSet
    table_class = DialogueTable
    template_name = "dialogues/dialogue_list.html"
    register = "dialogues"


dialogue_list = DialogueListView.as_view()


class _DialogueObject:
    """Find the dialogue among those the user may see (404 outside)."""

    model = Dialogue
    rows = selectors.dialogue_list


class DialogueDetailView(_DialogueObject, ScopedDetailView):
    context_object_name = "dialogue"
    template_name = "dialogues/dialogue_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        dialogue, user = self.object, self.request.user
        today = timezone.localdate()
        can_change = scope.can_on(user, dialogue, scope.CHANGE)
        issues = selectors.dialogue_issues(user, dialogue)
        for issue in issues:
            promise = getattr(issue, "commitment", None) if _has_commitment(issue) else None
            issue.promise = promise
            if promise is not None:
                promise.days_late = commitment_lateness(promise, today)
                promise.can_report = promise.status == CommitmentStatus.OPEN and scope.can_on(
                    user, promise, scope.CHANGE
                )
            issue.opened_cases = list(issue.cases.all())
        promises = Commitment.objects.filter(issue__dialogue=dialogue)
        return {
            **super().get_context_data(**kwargs),
            "issues": issues,
            "figures": selectors.commitment_figures(promises, today),
            "can_change": can_change,
            "today": today,
        }


def _has_commitment(issue: DialogueIssue) -> bool:
    try:
        issue.commitment  # noqa: B018 (select_related: no query)
    except Commitment.DoesNotExist:
        return False
    return True


dialogue_detail = DialogueDetailView.as_view()


class DialogueCreateView(ServiceFormView):
    """A dialogue and up to five issues, in one service call (nothing saved on error)."""

    model = Dialogue
    area = AREA
    template_name = FORM_TEMPLATE
    form_class = DialogueForm
    title = gettext_lazy("Ghi cuộc đối thoại với Nhân dân")
    cancel_url = "dialogues:dialogue_list"
    denied_field = "unit"

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": timezone.localdate()}

    def perform(self, form: Any) -> Dialogue:
        upload = form.cleaned_data.get("file")
        try:
            return services.dialogue_create(
                actor=self.request.user, file=upload or None, issues=form.issues(),
                **form.dialogue_data(),
            )  # fmt: skip
        except ValidationError as error:
            raise _placed(error, form) from error

    def get_success_message(self, result: Dialogue, form: Any) -> str:
        count = len(form.issues())
        return ngettext(
            "Đã ghi cuộc đối thoại “%(topic)s” với %(count)s ý kiến.",
            "Đã ghi cuộc đối thoại “%(topic)s” với %(count)s ý kiến.",
            count,
        ) % {"topic": result.topic, "count": count}


def _placed(error: ValidationError, form: DialogueForm) -> ValidationError:
    """Put an issue's refusal (content, answer, commitment, owner unit, deadline) on the
    fieldsets of the filled issues; the dialogue's own errors stay on their fields."""
    if not hasattr(error, "error_dict"):
        return error
    placed: dict[str, list[Any]] = {}
    for key, errors in error.error_dict.items():
        if key not in ISSUE_FIELDS or not form.filled:
            placed.setdefault(key, []).extend(errors)
            continue
        for index in form.filled:
            placed.setdefault(f"issue{index}_{key}", []).extend(errors)
    return ValidationError(placed)


dialogue_create = DialogueCreateView.as_view()


class DialogueUpdateView(_DialogueObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = DialogueUpdateForm
    form_takes_user = False
    denied_message = gettext_lazy("Bạn không có quyền sửa cuộc đối thoại này.")
    success_message = gettext_lazy("Đã sửa cuộc đối thoại.")

    def get_initial(self) -> dict[str, Any]:
        names = ("held_on", "chair", "topic", "participants")
        return {name: getattr(self.object, name) for name in names}

    def get_title(self) -> str:
        return _("Sửa cuộc đối thoại “%(topic)s”") % {"topic": self.object.topic}

    def perform(self, form: Any) -> Dialogue:
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        return services.dialogue_update(
            actor=self.request.user, dialogue=self.object, reason=reason, **data
        )


dialogue_update = DialogueUpdateView.as_view()


class DialogueIssueAddView(_DialogueObject, ServiceFormView):
    area = AREA
    edits_object = True
    template_name = FORM_TEMPLATE
    form_class = IssueForm
    success_message = gettext_lazy("Đã ghi ý kiến.")
    denied_message = gettext_lazy("Bạn không có quyền ghi cuộc đối thoại này.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "dialogue": self.object}

    def get_title(self) -> str:
        return _("Thêm ý kiến: %(topic)s") % {"topic": self.object.topic}

    def get_extra_context(self) -> dict[str, Any]:
        return {"dialogue": self.object}

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def get_success_url(self, result: Any = None) -> str:
        return result.get_absolute_url() if result is not None else super().get_success_url()

    def perform(self, form: Any) -> DialogueIssue:
        return services.dialogue_issue_add(
            actor=self.request.user, dialogue=self.object, **form.issue()
        )


dialogue_issue_add = DialogueIssueAddView.as_view()


class CommitmentReportView(ServiceFormView):
    model = Commitment
    area = AREA
    edits_object = True
    form_takes_user = False
    template_name = "dialogues/commitment_report.html"
    form_class = CommitmentReportForm
    submit_label = gettext_lazy("Báo cáo tiến độ")
    denied_message = gettext_lazy("Bạn không có quyền cập nhật cam kết của đơn vị này.")

    def get_scoped_queryset(self) -> QuerySet:
        return selectors.commitment_list(self.request.user)

    def get_initial(self) -> dict[str, Any]:
        return {"progress": self.object.progress, "evidence": self.object.evidence}

    def get_title(self) -> str:
        return _("Báo cáo thực hiện cam kết: %(content)s") % {
            "content": str(self.object.content)[:80]
        }

    def get_extra_context(self) -> dict[str, Any]:
        return {"commitment": self.object, "dialogue": self.object.issue.dialogue}

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def get_success_url(self, result: Any = None) -> str:
        if scope.can_on(self.request.user, self.object.issue.dialogue):
            return self.object.get_absolute_url()
        return reverse("dialogues:commitment_list")

    def get_success_message(self, result: Commitment, form: Any) -> str:
        if result.status == CommitmentStatus.DONE:
            return _("Đã ghi cam kết hoàn thành.")
        return _("Đã ghi tiến độ %(progress)s%%.") % {"progress": result.progress}

    def perform(self, form: Any) -> Commitment:
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        return services.commitment_report(
            actor=self.request.user, commitment=self.object, file=upload or None, **data
        )


commitment_report = CommitmentReportView.as_view()


class CommitmentListView(ScopedListView):
    model = Commitment
    selector = selectors.commitment_list
    filterset_class = CommitmentFilterSet
    table_class = CommitmentTable
    template_name = "dialogues/commitment_list.html"


commitment_list = CommitmentListView.as_view()
