"""The term reports' pages (under /bao-cao-quy/nhiem-ky/): ask for one, watch it, download it.

- :func:`term_list`: the form (a term, or a year with an optional half; a unit among those
  whose reports the viewer may see: the district for leadership and staff, their ward for the
  ward roles) and the jobs of the units the viewer may see. Submitting finds or creates the
  job (the same request is the same job) and starts the Celery task once committed.
- :func:`term_job`: the job, its progress bar and stage, refreshed by htmx polling
  :func:`term_progress` (a ``<meta http-equiv="refresh">`` inside ``<noscript>`` without
  JavaScript), and the download link when done.
- :func:`term_progress`: the progress as an HTML fragment for htmx, as JSON otherwise.
- :func:`term_download`: the PDF, for whoever may see the job's unit (404 otherwise).
- :func:`term_web`: the web version, built on the request (the same pickers, read from the
  query): the PDF's sections, sentences, tables, charts and appendix in the portal's layout,
  each figure a link to its drill-down. A unit outside the viewer's scope is a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien import periods
from longbien.core.forms import add_service_errors
from longbien.org import scope
from longbien.org.models import OrgUnit, Term, User

from .. import term_jobs, term_report
from ..models import TermReportJob
from .dashboard import choosable_units

AREA = scope.Area.REPORTS
POLL_SECONDS = 2


class TermReportForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Đơn vị"))
    term = forms.ModelChoiceField(
        label=gettext_lazy("Nhiệm kỳ"), queryset=Term.objects.order_by("-start_date"),
        required=False, to_field_name="code", empty_label=gettext_lazy("— theo năm —"),
    )  # fmt: skip
    year = forms.IntegerField(
        label=gettext_lazy("Năm"), required=False, min_value=periods.FIRST_YEAR,
        max_value=periods.LAST_YEAR,
    )  # fmt: skip
    half = forms.TypedChoiceField(
        label=gettext_lazy("Sáu tháng"), required=False, coerce=int, empty_value=None,
        choices=[("", gettext_lazy("Cả năm")), (1, gettext_lazy("6 tháng đầu")),
                 (2, gettext_lazy("6 tháng cuối"))],
    )  # fmt: skip

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        field = cast(forms.ChoiceField, self.fields["unit"])
        field.choices = [(unit.code, unit.name) for unit in units]

    def clean_unit(self) -> OrgUnit:
        return self.units[self.cleaned_data["unit"]]


def _job_or_404(request: HttpRequest, pk: int) -> TermReportJob:
    scope.require_area(request.user, AREA)
    try:
        return term_jobs.job_get(request.user, pk)
    except TermReportJob.DoesNotExist as exc:
        raise Http404(_("Không có báo cáo này trong phạm vi của bạn.")) from exc


@login_required
def term_list(request: HttpRequest) -> HttpResponse:
    scope.require_area(request.user, AREA)
    units = choosable_units(request.user)
    initial = {"year": timezone.localdate().year, "unit": units[0].code if units else ""}
    form = TermReportForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actor = cast(User, request.user)  # login_required
            job, created = term_jobs.job_request(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error) or _("Bạn không có quyền với đơn vị này."))
        else:
            if created:
                messages.success(request, _("Đã yêu cầu tạo báo cáo; hệ thống đang tạo trong nền."))
            elif job.state == TermReportJob.State.DONE:
                messages.info(request, _("Báo cáo này đã được tạo; bạn có thể tải về."))
            else:
                messages.info(request, _("Báo cáo này đã được yêu cầu; đang tạo trong nền."))
            return redirect(job.get_absolute_url())
    page = Paginator(term_jobs.job_list(request.user), 25).get_page(request.GET.get("page"))
    for job in page:
        job.web_url = web_url(job)
    return render(
        request, "reporting/term_list.html", {"form": form, "page_obj": page, "jobs": page}
    )


def web_url(job: TermReportJob) -> str:
    """The web version of a job's report (its unit and period as the page's query)."""
    query: dict[str, Any] = {"unit": job.unit.code}
    if job.term_id:
        query["term"] = job.term.code
    else:
        query["year"] = job.year
        if job.half:
            query["half"] = job.half
    return reverse("reporting:term_web") + "?" + urlencode(query)


def _context(job: TermReportJob) -> dict[str, Any]:
    return {
        "job": job,
        "poll_seconds": POLL_SECONDS,
        "progress_url": reverse("reporting:term_progress", args=[job.pk]),
        "download_url": reverse("reporting:term_download", args=[job.pk]),
        "web_url": web_url(job),
    }


@login_required
def term_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    return render(request, "reporting/term_job.html", _context(job))


@login_required
def term_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if getattr(request, "htmx", False):
        return render(request, "reporting/term_progress.html", _context(job))
    data = term_jobs.job_status(job)
    data["file_url"] = _context(job)["download_url"] if job.state == job.State.DONE else None
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def term_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_or_404(request, pk)
    if job.state != TermReportJob.State.DONE or not job.file:
        raise Http404(_("Báo cáo chưa tạo xong."))
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=term_jobs.download_name(job),
        content_type="application/pdf",
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


def _period(wanted: term_jobs.Request) -> periods.Period:
    if wanted.term is not None:
        return periods.term_period(wanted.term)
    if wanted.half is not None:
        return periods.half(int(wanted.year or 0), wanted.half)
    return periods.year(int(wanted.year or 0))


def _asked_unit(request: HttpRequest) -> OrgUnit | None:
    """The unit named by the query (None if none is); one outside the viewer's scope: 404."""
    code = str(request.GET.get("unit") or "").strip()
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None or not scope.can(request.user, AREA, scope.VIEW, unit):
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit


@login_required
def term_web(request: HttpRequest) -> HttpResponse:
    scope.require_area(request.user, AREA)
    units = choosable_units(request.user)
    unit = _asked_unit(request)
    if unit is not None and unit.pk not in {u.pk for u in units}:
        units = [*units, unit]
    initial = {"year": timezone.localdate().year, "unit": units[0].code if units else ""}
    form = TermReportForm(request.GET if unit is not None else None, units=units, initial=initial)
    report: dict[str, Any] | None = None
    wanted: term_jobs.Request | None = None
    if unit is not None and form.is_valid():
        data = form.cleaned_data
        try:
            wanted = term_jobs.make_request(
                unit=data["unit"], term=data["term"], year=data["year"], half=data["half"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            report = term_report.build_web_context(unit=wanted.unit, period=_period(wanted))
    job = (
        TermReportJob.objects.filter(key=wanted.key, state=TermReportJob.State.DONE).first()
        if wanted is not None
        else None
    )
    return render(
        request,
        "reporting/term_web.html",
        {
            "form": form,
            "report": report,
            "wanted": wanted,
            "download_url": reverse("reporting:term_download", args=[job.pk]) if job else "",
        },
    )
