"""The working calendar page: the public holidays of a year and the days recorded by staff."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from longbien import deadlines, periods

from .calendar_days import calendar_day_remove, calendar_day_set, can_change_calendar
from .forms import DateField
from .generic import ServiceFormView
from .models import CalendarDay


class CalendarDayForm(forms.Form):
    date = DateField(label=gettext_lazy("Ngày"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại ngày"), choices=CalendarDay.Kind.choices)
    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Ví dụ: nghỉ bù Tết theo thông báo của Bộ LĐ-TB&XH."),
    )


def _require(user) -> None:
    if not can_change_calendar(user):
        raise PermissionDenied(_("Bạn không có quyền cập nhật lịch ngày làm việc."))


class CalendarDaysView(ServiceFormView):
    """List a year's public holidays and recorded days; add or replace a recorded day."""

    area = None  # the calendar's own rule (can_change_calendar)
    template_name = "core/calendar_days.html"
    form_class = CalendarDayForm
    form_takes_user = False
    catch_denied = False

    def check_permission(self) -> None:
        _require(self.request.user)

    def perform(self, form: forms.Form) -> CalendarDay:
        return calendar_day_set(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: CalendarDay, form: forms.Form) -> str:
        return _("Đã ghi ngày %(date)s.") % {"date": f"{result.date:%d/%m/%Y}"}

    def get_success_url(self, result: Any = None) -> str:
        return f"{self.request.path}?year={result.date.year}"

    def get_extra_context(self) -> dict[str, Any]:
        try:
            year = periods.from_query({"year": self.request.GET.get("year", "")}).start.year
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            year = timezone.localdate().year
        national = [(day, deadlines.rest_day_name(day)) for day in deadlines.public_holidays(year)]
        national += [(day, _("Ngày làm bù")) for day in deadlines.worked_weekends(year)]
        return {
            "year": year,
            "recorded": CalendarDay.objects.filter(date__year=year),
            "national": sorted(national),
        }


calendar_days = CalendarDaysView.as_view()


@login_required
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user)
    day = get_object_or_404(CalendarDay, pk=pk)
    calendar_day_remove(actor=request.user, day=day)
    messages.success(request, _("Đã xóa ngày %(date)s.") % {"date": f"{day.date:%d/%m/%Y}"})
    return redirect(f"{reverse('calendar_days')}?year={day.date.year}")
