"""The ward quarterly reports' pages (under /bao-cao-quy/).

The register; opening a unit's report of a quarter; a report's page (its figures prefilled
from the indicators, corrected ones with both values, the diff of a frozen report against
today's records, the narrative, staff's comments by round, the workflow, the history); the
edit page (the narrative and the corrected figures, with the version the page read: a stale
one saves nothing and the text typed stays on the page); and the steps: submit, return with
comments per section, accept. Every write is one service of ``reporting.services``; every read
starts from the selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from longbien import indicators, periods
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    WorkflowActionView,
    WorkflowFormView,
)
from longbien.formatting import vn_number, vn_percent
from longbien.indicators import Value
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.service import batch

from .. import figures, selectors, services
from ..choices import EDITABLE, NARRATIVE, ReportStatus, Section
from ..filters import ReportFilterSet
from ..forms import VALUE_PREFIX, WHY_PREFIX, ReportForm, ReturnForm, VersionForm, figure_initial
from ..models import QuarterlyReport, ReturnComment, reporting_kinds
from ..tables import ReportTable, quarter_label, status_badge, timing
from ..workflows import REPORT_WORKFLOW

AREA = scope.Area.REPORTS
# How many units a user may write reports for before the register stops offering a link to
# each one's report of the quarter (district staff use the compliance board instead).
OPEN_LINKS_MAX = 3
# The service's errors said at the top of a form rather than on a (hidden) field.
ON_TOP = ("version", "comments", "corrections")


def may_change(user: Any, report: QuarterlyReport) -> bool:
    return scope.can(user, AREA, scope.CHANGE, report.unit)


def may_edit(user: Any, report: QuarterlyReport) -> bool:
    """Whether the edit page is open to ``user``: the report editable, the unit theirs."""
    return report.status in EDITABLE and may_change(user, report)


def _on_top(error: ValidationError) -> ValidationError:
    """The service's error with the version, the comments and the corrections as the form's
    own errors (said at the top of the page)."""
    if not hasattr(error, "error_dict"):
        return error
    placed: dict[str, list[Any]] = {}
    for name, errors in error.error_dict.items():
        target = NON_FIELD_ERRORS if name in ON_TOP else name
        placed.setdefault(target, []).extend(errors)
    return ValidationError(placed)


# --- What a figure looks like on a page ---------------------------------------------------------


def shown(value: Value | None) -> str:
    """A figure in the Vietnamese way: "1.204", or a share "95,4% (103/108)"."""
    if value is None:
        return "–"
    indicator = value.indicator
    if indicator.is_share:
        if value.share is None:
            return "–"
        share = vn_percent(value.share, indicator.places)
        return f"{share} ({vn_number(value.numerator)}/{vn_number(value.denominator)})"
    return vn_number(value.count)


def hover(value: Value, labels: dict[str, str]) -> str:
    """What a figure counts (its ``title``): the indicator, and for a share its counts."""
    indicator = value.indicator
    label = str(indicator.label)
    if not indicator.is_share:
        return label
    numerator = labels.get(indicator.numerator, indicator.numerator)
    denominator = labels.get(indicator.denominator, indicator.denominator)
    return _("%(label)s = %(numerator)s / %(denominator)s (%(top)s / %(bottom)s)") % {
        "label": label, "numerator": numerator, "denominator": denominator,
        "top": vn_number(value.numerator), "bottom": vn_number(value.denominator),
    }  # fmt: skip


@dataclass
class FigureRow:
    code: str
    label: str
    title: str
    value: str
    corrected: bool
    computed: str
    explanation: str
    today: str
    is_share: bool
    # The register of the records behind the figure, on the unit's subtree and the quarter.
    url: str = ""


@dataclass
class FigureGroup:
    label: Any
    rows: list[FigureRow]


def figure_groups(
    groups: list[figures.Group], report: QuarterlyReport | None = None
) -> list[FigureGroup]:
    labels = {i.code: str(i.label) for i in indicators.definitions()}
    quarter = figures.period_of(report) if report is not None else None

    def drill(indicator: Any) -> str:
        if report is None or quarter is None:
            return ""
        return indicators.drill_url(indicator, unit=report.unit, start=quarter.start,
                                    end=quarter.end)  # fmt: skip

    return [
        FigureGroup(group.label, [
            FigureRow(
                code=f.code, label=str(f.indicator.label), title=hover(f.value, labels),
                value=shown(f.value), corrected=f.corrected,
                computed=vn_number(f.computed) if f.corrected else "",
                explanation=f.explanation, today=shown(f.today) if f.today else "",
                is_share=f.indicator.is_share, url=drill(f.indicator),
            )
            for f in group.figures
        ])
        for group in groups
    ]  # fmt: skip


def comments_by_section(comments: list[ReturnComment]) -> dict[str, list[ReturnComment]]:
    by_section: dict[str, list[ReturnComment]] = {}
    for comment in comments:
        by_section.setdefault(comment.section, []).append(comment)
    return by_section


def _typed(form: Any, name: str) -> str:
    """The text posted for ``name`` as it would be stored (to compare with what is)."""
    return str(form.data.get(name) or "").replace("\r\n", "\n").strip()


def _started(year: int, quarter: int, today: dt.date) -> bool:
    if quarter not in (1, 2, 3, 4) or not periods.FIRST_YEAR <= year <= periods.LAST_YEAR:
        return False
    return periods.quarter(year, quarter).start <= today


# --- The register ------------------------------------------------------------------------------


class ReportListView(ScopedListView):
    model = QuarterlyReport
    selector = selectors.report_list
    filterset_class = ReportFilterSet
    table_class = ReportTable
    template_name = "reporting/report_list.html"

    def open_links(self) -> list[dict[str, Any]]:
        """For a user who writes the reports of a few units: each unit's report of the
        current quarter and of the one before (the one due now)."""
        user = self.request.user
        units = [
            unit
            for unit in selectors.reporting_units(user)[: OPEN_LINKS_MAX + 1]
            if scope.can(user, AREA, scope.CHANGE, unit)
        ]
        if not units or len(units) > OPEN_LINKS_MAX:
            return []
        year, quarter = periods.quarter_of(timezone.localdate())
        previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return [
            {"unit": unit, "label": periods.quarter(y, q).label,
             "url": reverse("reporting:report_open", args=[unit.code, y, q])}
            for unit in units
            for y, q in (previous, (year, quarter))
        ]  # fmt: skip

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["open_links"] = self.open_links()
        return context


report_list = ReportListView.as_view()


# --- Opening a unit's report of a quarter -------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_open(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """The unit's report of the quarter: shown if it exists; else, to who may write it, a page
    to start it (POST: opened, then its edit page); to a reader, "not started". A unit out of
    the scope, one that does not report, or a quarter not begun: 404."""
    user = request.user
    scope.require_area(user, AREA, scope.VIEW)
    unit = OrgUnit.objects.filter(code=code).first()
    if (
        unit is None
        or not scope.can(user, AREA, scope.VIEW, unit)
        or unit.kind not in reporting_kinds()
        or not _started(year, quarter, timezone.localdate())
    ):
        raise Http404
    found = selectors.report_list(user).filter(unit=unit, year=year, quarter=quarter).first()
    may_start = scope.can(user, AREA, scope.CHANGE, unit)
    if found is not None:
        if request.method == "POST" and may_edit(user, found):
            return redirect("reporting:report_edit", found.pk)
        return redirect(found.get_absolute_url())
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied(_("Đơn vị chưa bắt đầu báo cáo quý này."))
        try:
            report = services.report_open(actor=user, unit=unit, year=year, quarter=quarter)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reporting:report_list")
        return redirect("reporting:report_edit", report.pk)
    return render(request, "reporting/report_open.html", {
        "unit": unit, "year": year, "quarter": quarter,
        "period": periods.quarter(year, quarter), "may_start": may_start,
    })  # fmt: skip


# --- A report's page ---------------------------------------------------------------------------


class _ReportObject:
    """The report of the URL, among those the user may see (404 outside)."""

    model = QuarterlyReport
    request: HttpRequest
    object: QuarterlyReport

    def get_scoped_queryset(self) -> QuerySet[QuarterlyReport]:
        return selectors.report_list(self.request.user).select_related("accepted_by")

    def report_context(self) -> dict[str, Any]:
        report = self.object
        colour, text = timing(report)
        return {"report": report, "period": periods.quarter(report.year, report.quarter),
                "status_badge": status_badge(report), "timing": text, "timing_colour": colour,
                }  # fmt: skip


class ReportDetailView(_ReportObject, ScopedDetailView):
    template_name = "reporting/report_detail.html"
    context_object_name = "report"
    workflow = REPORT_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        frozen = bool(report.frozen)
        groups = figures.report_figures(report, viewer=user, compare_today=frozen)
        by_section = comments_by_section(selectors.report_comments(user, report))
        return {
            **context,
            **self.report_context(),
            "groups": figure_groups(groups, report),
            "changed": any(f.today for g in groups for f in g.figures),
            "frozen": frozen,
            "sections": [
                {
                    "name": str(name),
                    "label": Section(name).label,
                    "text": report.section(name),
                    "comments": by_section.get(str(name), []),
                }
                for name in NARRATIVE
            ],  # fmt: skip
            "figure_comments": by_section.get(str(Section.FIGURES), []),
            "timeline": REPORT_WORKFLOW.timeline(report),
            "can_edit": may_edit(user, report),
        }


report_detail = ReportDetailView.as_view()


# --- The edit page -----------------------------------------------------------------------------


class ReportEditView(_ReportObject, ServiceFormView):
    """The narrative and the corrected figures. The version the page read travels with the
    form: a report saved by someone else meanwhile is refused, nothing is saved, and the page
    comes back with what was typed (and what is stored now, to compare)."""

    form_class = ReportForm
    form_takes_user = False
    edits_object = True
    template_name = "reporting/report_edit.html"
    denied_message = gettext_lazy("Bạn không có quyền sửa báo cáo của đơn vị này.")
    success_message = gettext_lazy("Đã lưu báo cáo.")
    stale = False
    sent = False
    correction_errors: list[str]

    def may_change(self) -> bool:
        return may_change(self.request.user, self.object)

    def locked(self) -> HttpResponse | None:
        """A report no longer editable (sent, accepted): back to its page, with why."""
        report = self.object
        if report.status in EDITABLE:
            return None
        if report.status == ReportStatus.ACCEPTED:
            message = _("Báo cáo đã được tiếp nhận và khóa; không sửa được nữa.")
        else:
            message = _("Báo cáo đã gửi; chờ Văn phòng Quận ủy tiếp nhận hoặc trả lại.")
        messages.error(self.request, message)
        return redirect(report.get_absolute_url())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.locked() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.locked() or super().post(request, *args, **kwargs)

    def figure_list(self) -> list[figures.Group]:
        if not hasattr(self, "_groups"):
            self._groups = figures.report_figures(self.object, viewer=self.request.user)
        return self._groups

    def count_figures(self) -> list[figures.Figure]:
        counts = figures.count_codes()
        return [f for g in self.figure_list() for f in g.figures if f.code in counts]

    def may_send(self) -> bool:
        return REPORT_WORKFLOW.permits(self.request.user, self.object, "submit")

    def get_title(self) -> str:
        report = self.object
        return _("Soạn báo cáo %(period)s – %(unit)s") % {
            "period": quarter_label(report), "unit": report.unit.name}  # fmt: skip

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "figures": self.count_figures()}

    def get_initial(self) -> dict[str, Any]:
        report = self.object
        return {
            "version": report.version,
            **{str(name): report.section(name) for name in NARRATIVE},
            **figure_initial(self.count_figures()),
        }

    def perform(self, form: Any) -> QuarterlyReport:
        user, report = self.request.user, self.object
        self.sent = "send" in self.request.POST
        try:
            with batch():  # saved and sent, or neither
                services.report_save(
                    actor=user, report=report, version=form.cleaned_data["version"],
                    corrections=form.corrections(), **form.texts(),
                )  # fmt: skip
                if self.sent:
                    services.report_submit(actor=user, report=report, version=report.version)
        except ValidationError as error:
            report.refresh_from_db()
            named = getattr(error, "error_dict", {})
            self.stale = "version" in named
            self.correction_errors = [m for e in named.get("corrections", []) for m in e.messages]
            raise _on_top(error) from error
        except PermissionDenied:
            report.refresh_from_db()
            raise
        return report

    def get_success_message(self, result: Any, form: Any) -> str:
        if self.sent:
            return _("Đã lưu và gửi báo cáo.")
        return str(self.success_message)

    def get_extra_context(self) -> dict[str, Any]:
        report, user = self.object, self.request.user
        by_section = comments_by_section(selectors.report_comments(user, report))
        return {
            **self.report_context(),
            "section_comments": by_section,
            "figure_comments": by_section.get(str(Section.FIGURES), []),
            "stale": self.stale,
            "correction_errors": getattr(self, "correction_errors", []),
            "may_send": self.may_send(),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form, report = context["form"], self.object
        comments = context["section_comments"]
        context["narrative"] = [
            {"field": field, "comments": comments.get(field.name, [])} for field in form.narrative()
        ]
        rows = {f.code for f in self.count_figures()}
        groups = [
            {"label": group.label, "rows": [
                {"figure": f, "label": str(f.indicator.label),
                 "computed": vn_number(f.computed if f.corrected else f.value.count),
                 "value": form[VALUE_PREFIX + f.code], "why": form[WHY_PREFIX + f.code]}
                for f in group.figures if f.code in rows
            ]}
            for group in self.figure_list()
        ]  # fmt: skip
        for group in groups:
            # A group is unfolded when something in it counts, is corrected or is refused.
            group["open"] = any(
                row["figure"].corrected or row["figure"].value.count or row["value"].errors
                or row["why"].errors or row["value"].value()
                for row in group["rows"]
            )  # fmt: skip
        context["figure_groups"] = [g for g in groups if g["rows"]]
        if self.stale:  # what is stored now, beside what was typed, to compare
            context["stored"] = [
                {"label": Section(name).label, "text": report.section(name)}
                for name in NARRATIVE
                if report.section(name) != _typed(form, str(name))
            ]
        return context


report_edit = ReportEditView.as_view()


# --- The steps ---------------------------------------------------------------------------------


class ReportStepView(_ReportObject, WorkflowActionView):
    """Submit or accept (POST only), naming the version shown. Who may not take the step gets
    the 403 with the workflow's reason; a refusal of the service (a stale version, an empty
    section, a wrong state) is a message on the report's page. Sending the version already
    sent again (a double click) is the same submission: the service does nothing more."""

    workflow = REPORT_WORKFLOW
    form_class = VersionForm
    done: Any = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.object = self.get_scoped_object()
        refusal = self.workflow.refusal(request.user, report, self.step)
        if refusal is not None:
            raise PermissionDenied(refusal)
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Trang đã cũ: hãy tải lại trang báo cáo rồi thử lại."))
            return redirect(report.get_absolute_url())
        service = self.workflow[self.step].perform
        try:
            service(actor=request.user, report=report, version=form.cleaned_data["version"])
        except (ValidationError, PermissionDenied) as error:
            texts = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in texts:
                messages.error(request, message)
        else:
            messages.success(request, str(self.done))
        return redirect(report.get_absolute_url())


report_submit = ReportStepView.as_view(step="submit", done=gettext_lazy("Đã gửi báo cáo."))
report_accept = ReportStepView.as_view(
    step="accept", done=gettext_lazy("Đã tiếp nhận báo cáo; số liệu của báo cáo đã được chốt.")
)


class ReportReturnView(_ReportObject, WorkflowFormView):
    """Return a sent report for more work: a comment on each section that needs it."""

    workflow = REPORT_WORKFLOW
    step = "return"
    form_class = ReturnForm
    template_name = "reporting/report_return.html"
    title = gettext_lazy("Trả lại báo cáo để bổ sung")
    submit_label = gettext_lazy("Trả lại")
    success_message = gettext_lazy("Đã trả lại báo cáo để đơn vị bổ sung.")

    def get_title(self) -> str:
        return f"{self.title} – {self.object}"

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.object.version}

    def perform(self, form: Any) -> QuarterlyReport:
        try:
            return services.report_return(
                actor=self.request.user, report=self.object,
                version=form.cleaned_data["version"], comments=form.comments(),
            )  # fmt: skip
        except ValidationError as error:
            raise _on_top(error) from error

    def get_extra_context(self) -> dict[str, Any]:
        return self.report_context()


report_return = ReportReturnView.as_view()
