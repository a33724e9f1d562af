"""Training classes for key cadres: enrolment and completion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien.audit import entries_for

from .. import filters, selectors, services, tables
from ..forms import (
    TrainingForm,
)
from ..models import (
    TrainingClass,
)
from ._common import (
    _CadresForm,
    _CadresList,
    _can_change,
    _EnrolView,
    _get_or_404,
    _need,
    _Row,
    _row_errors,
)


class TrainingListView(_CadresList):
    model = TrainingClass
    selector = selectors.training_list
    filterset_class = filters.TrainingFilterSet
    table_class = tables.TrainingTable
    template_name = "cadres/training_list.html"


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
                request,
                ngettext(
                    "Đã lưu kết quả của %(count)s học viên.",
                    "Đã lưu kết quả của %(count)s học viên.",
                    len(saved),
                )
                % {"count": len(saved)},
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
        return ngettext(
            "Đã ghi danh %(count)s học viên.", "Đã ghi danh %(count)s học viên.", len(result)
        ) % {"count": len(result)}


training_enrol = TrainingEnrolView.as_view()
