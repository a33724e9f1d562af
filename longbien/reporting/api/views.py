"""The quarterly reports' API, on the kernel's scoped viewset: ``quarterly-reports/``.

Every read goes through the selectors and the model's ``restrict()`` (another ward's report is
a 404 for every route, actions included); every write calls one service.

- ``GET`` lists the reports (filters ``year``, ``quarter``, ``status``, ``unit``: a unit's
  code and its subtree); ``GET {id}/`` shows one with its narrative, figures and comments.
- ``POST`` opens the report of a unit, year and quarter (``report_open``: 201 when created,
  200 when it existed); ``PATCH {id}/`` writes the narrative and the corrected figures
  (``report_save``).
- ``POST {id}/submit/``, ``{id}/return/`` and ``{id}/accept/`` are the workflow's steps.

Each write names the ``version`` of the report it read. A stale version is answered **409
Conflict** (``{"version": [message]}``) and nothing is saved: someone else changed the report
since it was read. Submitting the version already submitted again (a double click, a retry)
is the same submission: the same answer, 200, one submission.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from longbien.core.api import ScopedGenericViewSet, SubtreeFilter, YearFilter, api_input
from longbien.org import scope

from .. import figures, selectors, services
from ..choices import ReportStatus
from ..models import QuarterlyReport
from ..workflows import REPORT_WORKFLOW
from .serializers import (
    QuarterlyReportDetailSerializer,
    QuarterlyReportSerializer,
    ReportOpenSerializer,
    ReportReturnSerializer,
    ReportUpdateSerializer,
    ReportVersionSerializer,
    VersionConflictSerializer,
)


class StaleVersion(exceptions.APIException):
    """409: the report was changed since the caller read it; nothing was saved."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Báo cáo đã được người khác sửa; hãy tải lại và nhập lại phần của mình.")
    default_code = "conflict"


CONFLICT = OpenApiResponse(
    VersionConflictSerializer,
    description=_("Phiên bản đã cũ: báo cáo đã được sửa từ lúc bạn đọc; không có gì được lưu."),
)


class QuarterlyReportFilter(django_filters.FilterSet):
    unit = SubtreeFilter()
    year = YearFilter(field_name="year")
    quarter = django_filters.ChoiceFilter(
        choices=[(q, str(q)) for q in (1, 2, 3, 4)], label=_("Quý")
    )

    class Meta:
        model = QuarterlyReport
        fields = ["status"]


class QuarterlyReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):
    """Ward quarterly reports: those of the caller's units.

    ``POST`` opens a unit's report of a quarter (``report_open``); ``PATCH`` writes its
    narrative and corrected figures (``report_save``); ``submit`` (the unit's secretary),
    ``return`` with comments per section and ``accept`` (the committee's office) are the
    workflow's steps. Every write carries ``version``: a stale one is a 409, nothing saved.
    """

    serializer_class = QuarterlyReportSerializer
    filterset_class = QuarterlyReportFilter
    scope_area = scope.Area.REPORTS
    ordering_fields = ["year", "quarter", "due_on"]

    def get_base_queryset(self) -> QuerySet:
        return selectors.report_list(self.request.user).order_by(
            "-year", "-quarter", "unit__sort_key", "id"
        )

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return QuarterlyReportDetailSerializer
        return super().get_serializer_class()

    def handle_exception(self, exc: Exception) -> Response:
        # A stale version is a conflict with another write, not bad input: 409.
        if isinstance(exc, DjangoValidationError) and "version" in getattr(exc, "error_dict", {}):
            exc = StaleVersion({"version": exc.message_dict["version"]})
        return super().handle_exception(exc)

    def _detail(self, report: QuarterlyReport) -> QuarterlyReport:
        user = self.request.user
        report.figure_groups = figures.report_figures(  # type: ignore[attr-defined]
            report, viewer=user, compare_today=bool(report.frozen)
        )
        report.comment_rows = selectors.report_comments(user, report)  # type: ignore[attr-defined]
        return report

    def _answer(self, report: QuarterlyReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_base_queryset().get(pk=report.pk)
        data = QuarterlyReportDetailSerializer(
            self._detail(fresh), context=self.get_serializer_context()
        ).data
        return Response(data, status=code)

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        report = self._detail(self.get_object())
        return Response(self.get_serializer(report).data)

    @extend_schema(
        request=ReportOpenSerializer,
        responses={201: QuarterlyReportDetailSerializer, 200: QuarterlyReportDetailSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Open the report of a unit, year and quarter: created (not started, 201) if the unit
        has none yet, else the existing one (200)."""
        data = api_input(self, ReportOpenSerializer, request.data)
        existed = QuarterlyReport.objects.filter(
            unit=data["unit"], year=data["year"], quarter=data["quarter"]
        ).exists()
        report = services.report_open(actor=request.user, **data)
        return self._answer(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        request=ReportUpdateSerializer,
        responses={200: QuarterlyReportDetailSerializer, 409: CONFLICT},
    )
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Write the narrative and the corrected figures (each with its explanation)."""
        report = self.get_object()
        data = api_input(self, ReportUpdateSerializer, request.data)
        services.report_save(actor=request.user, report=report, **data)
        return self._answer(report)

    @extend_schema(
        request=ReportVersionSerializer,
        responses={200: QuarterlyReportDetailSerializer, 409: CONFLICT},
        summary=str(REPORT_WORKFLOW["submit"].label),
    )
    @action(detail=True, methods=["post"], serializer_class=ReportVersionSerializer)
    def submit(self, request: Any, pk: Any = None) -> Response:
        """Send the report (the unit's secretary): its figures are frozen as they stand.
        Sending the version already sent again answers the same, one submission."""
        report = self.get_object()
        # The service decides (the same version again is no new submission, not a refusal).
        if report.status != ReportStatus.SUBMITTED:
            REPORT_WORKFLOW.check(request.user, report, "submit")
        data = api_input(self, ReportVersionSerializer, request.data)
        services.report_submit(actor=request.user, report=report, **data)
        return self._answer(report)

    @extend_schema(
        request=ReportReturnSerializer,
        responses={200: QuarterlyReportDetailSerializer, 409: CONFLICT},
        summary=str(REPORT_WORKFLOW["return"].label),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return",
            serializer_class=ReportReturnSerializer)  # fmt: skip
    def return_(self, request: Any, pk: Any = None) -> Response:
        """Return the report for more work, with a comment per section that needs it."""
        report = self.get_object()
        REPORT_WORKFLOW.check(request.user, report, "return")
        data = api_input(self, ReportReturnSerializer, request.data)
        services.report_return(actor=request.user, report=report, **data)
        return self._answer(report)

    @extend_schema(
        request=ReportVersionSerializer,
        responses={200: QuarterlyReportDetailSerializer, 409: CONFLICT},
        summary=str(REPORT_WORKFLOW["accept"].label),
    )
    @action(detail=True, methods=["post"], serializer_class=ReportVersionSerializer)
    def accept(self, request: Any, pk: Any = None) -> Response:
        """Accept the report: it is locked; its frozen figures are what summaries use."""
        report = self.get_object()
        REPORT_WORKFLOW.check(request.user, report, "accept")
        data = api_input(self, ReportVersionSerializer, request.data)
        services.report_accept(actor=request.user, report=report, **data)
        return self._answer(report)
