"""The term reports' API: ``term-reports/`` (URL names ``api:reporting-term-report-…``).

- ``POST`` asks for the report of a unit (``unit``: its code) over a term (``term``: its
  code) or a year (``year``, with ``half`` 1 or 2 for six months): **202** with the new job
  (its task starts once committed), **200** with the existing one for the same request (the
  request key: nothing is rendered twice; a failed job is queued again). Whoever may see the
  unit's reports may ask for one (the view right, as the page).
- ``GET`` lists the jobs of the units the caller may see; ``GET {id}/`` shows one: ``state``,
  ``stage``, ``percent``, ``error`` and, once done, ``file_url`` (the download page, which
  checks the scope again).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.response import Response

from longbien import periods
from longbien.core.api import InputSerializer, ScopedGenericViewSet, UnitCodeField, api_input
from longbien.org import scope
from longbien.org.models import Term

from .. import term_jobs
from ..models import TermReportJob


class TermReportPermission(permissions.BasePermission):
    """Reading and asking for a report both need the view right of the reports area."""

    message = _("Bạn không có quyền truy cập chức năng này.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return scope.has_area(request.user, scope.Area.REPORTS, scope.VIEW)


class TermReportJobSerializer(serializers.ModelSerializer):
    """A term report's job: its request, state and progress, and the file once done."""

    unit: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    term: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    period_label = serializers.SerializerMethodField(help_text=_("Kỳ báo cáo, bằng chữ."))
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    file_url = serializers.SerializerMethodField(
        help_text=_("Địa chỉ tải báo cáo (PDF) khi đã xong; null khi chưa.")
    )

    class Meta:
        model = TermReportJob
        fields = [
            "id", "key", "unit", "unit_name", "period_kind", "term", "year", "half",
            "period_label", "state", "state_label", "stage", "stage_label", "percent", "error",
            "attempts", "file_url", "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_period_label(self, job: TermReportJob) -> str:
        return str(job.period().label)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, job: TermReportJob) -> str | None:
        if job.state != TermReportJob.State.DONE or not job.file:
            return None
        url = reverse("reporting:term_download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class TermReportRequestSerializer(InputSerializer):
    """What report to make: a unit and a term, or a unit and a year (with a half)."""

    unit = UnitCodeField(area=scope.Area.REPORTS, help_text=_("Mã đơn vị."))
    term = serializers.SlugRelatedField(
        slug_field="code", queryset=Term.objects.all(), required=False, allow_null=True,
        help_text=_("Mã nhiệm kỳ, ví dụ 2015-2020."),
        error_messages={"does_not_exist": _("Không có nhiệm kỳ “{value}”.")},
    )  # fmt: skip
    year = serializers.IntegerField(
        required=False, allow_null=True, min_value=periods.FIRST_YEAR,
        max_value=periods.LAST_YEAR,
    )  # fmt: skip
    half = serializers.ChoiceField(
        choices=[1, 2], required=False, allow_null=True,
        help_text=_("1: 6 tháng đầu, 2: 6 tháng cuối (cùng với year)."),
    )  # fmt: skip


class TermReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet
):  # fmt: skip
    """Term (annual, six-monthly) reports made in the background, with their progress."""

    serializer_class = TermReportJobSerializer
    scope_area = scope.Area.REPORTS
    permission_classes = [permissions.IsAuthenticated, TermReportPermission]
    filterset_fields = ["state", "period_kind"]

    def get_scope_action(self) -> str:
        return scope.VIEW

    def get_base_queryset(self) -> QuerySet:
        return term_jobs.job_list(self.request.user)

    @extend_schema(
        request=TermReportRequestSerializer,
        responses={202: TermReportJobSerializer, 200: TermReportJobSerializer},
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Ask for a report: 202 with the new job (started), 200 with the same request's job."""
        data = api_input(self, TermReportRequestSerializer, request.data)
        try:
            job, created = term_jobs.job_request(actor=request.user, **data)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        answer = self.get_serializer(job)
        return Response(answer.data, status=status.HTTP_202_ACCEPTED if created else 200)
