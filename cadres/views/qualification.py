"""Qualification tests (sát hạch): sessions, rosters, scores and results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from longbien.audit import entries_for

from .. import filters, selectors, services, tables
from ..forms import (
    TestForm,
)
from ..models import (
    QualificationTest,
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
    _score_text,
)


class QualificationTestListView(_CadresList):
    model = QualificationTest
    selector = selectors.test_list
    filterset_class = filters.QualificationTestFilterSet
    table_class = tables.QualificationTestTable
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
            messages.success(
                request,
                ngettext(
                    "Đã lưu điểm của %(count)s người.",
                    "Đã lưu điểm của %(count)s người.",
                    len(saved),
                )
                % {"count": len(saved)},
            )
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
        return ngettext(
            "Đã thêm %(count)s người dự sát hạch.",
            "Đã thêm %(count)s người dự sát hạch.",
            len(result),
        ) % {"count": len(result)}


test_add_participants = ParticipantAddView.as_view()
