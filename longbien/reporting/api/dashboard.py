"""The leadership dashboard as JSON: ``GET /api/v1/reporting/dashboard/``.

The same figures as the page (:func:`longbien.reporting.dashboard.build`), for the same period
and unit query (``term``, or ``year`` with ``half`` or ``quarter``; ``unit`` a unit's code,
by default the caller's own), each tile with the drill-down URL of the records behind it. A
unit unknown or outside the caller's reports area, or an invalid period, is a 400 (keyed
``unit``, or by the period's parameter).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from longbien import replica
from longbien.org import scope

from .. import charts
from .. import dashboard as board
from ..views.dashboard import dashboard_query


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count (integer) or a share (a percentage, one decimal); null when there is no data."""

    def to_representation(self, value: Any) -> Any:
        return value


class PeriodSerializer(serializers.Serializer):
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = NumberField(allow_null=True, help_text=_("Số lượng, hoặc tỷ lệ phần trăm."))
    is_share = serializers.BooleanField()
    shown = serializers.CharField(help_text=_("Giá trị như trang hiển thị (“95,4%”)."))
    before = NumberField(allow_null=True, help_text=_("Cùng kỳ năm trước."))
    before_shown = serializers.CharField()
    change = serializers.CharField(help_text=_("“up”, “down” hoặc rỗng."))
    detail = serializers.CharField(help_text=_("Tử số / mẫu số của một tỷ lệ."))
    url = serializers.CharField(help_text=_("Danh sách hồ sơ đằng sau con số."))


class ChartRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())
    urls = serializers.ListField(child=serializers.CharField())
    is_reference = serializers.BooleanField()


class ChartSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    headings = serializers.ListField(child=serializers.CharField())
    rows = ChartRowSerializer(many=True)


class ExceptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField()


class LateReportSerializer(serializers.Serializer):
    unit = serializers.CharField()
    quarter = serializers.CharField()
    url = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    period = PeriodSerializer()
    unit = UnitSerializer()
    tiles = TileSerializer(many=True)
    charts = ChartSerializer(many=True)
    exceptions = ExceptionSerializer(many=True)
    late_reports = LateReportSerializer(many=True)


def _number(value: Any) -> Any:
    found = board.number(value)
    return float(found) if isinstance(found, Decimal) else found


def _chart(figure: charts.Figure) -> dict[str, Any]:
    table = figure.table
    return {
        "title": str(figure.title),
        "kind": str(figure.chart.kind),
        "headings": [str(h) for h in table.headings],
        "rows": [
            {
                "label": str(row.label),
                "values": [cell.text for cell in row.cells],
                "urls": [cell.url for cell in row.cells],
                "is_reference": row.is_reference,
            }
            for row in table.rows
        ],
    }


def dashboard_data(dash: board.Dashboard) -> dict[str, Any]:
    """The dashboard as the API's JSON (plain data, in the page's order)."""
    return {
        "period": {"label": str(dash.period.label), "start": dash.period.start,
                   "end": dash.period.end},
        "unit": {"code": dash.unit.code, "name": dash.unit.name},
        "tiles": [
            {
                "key": tile.key, "label": str(tile.label), "value": _number(tile.value),
                "is_share": bool(tile.value and tile.value.indicator.is_share),
                "shown": tile.shown, "before": _number(tile.before),
                "before_shown": tile.before_shown, "change": tile.change,
                "detail": tile.detail, "url": tile.url,
            }
            for tile in dash.tiles
        ],
        "charts": [_chart(figure) for figure in dash.charts],
        "exceptions": [
            {"key": s.key, "title": str(s.title), "count": s.count, "url": s.url}
            for s in dash.exceptions
        ],
        "late_reports": [
            {"unit": late.unit.code, "quarter": late.quarter_label, "url": late.url}
            for late in dash.late_reports
        ],
    }  # fmt: skip


PERIOD_PARAMETERS = [
    OpenApiParameter("term", str, description=_("Mã nhiệm kỳ (thay cho năm).")),
    OpenApiParameter("year", int, description=_("Năm (mặc định: năm nay).")),
    OpenApiParameter("half", int, enum=[1, 2], description=_("6 tháng đầu (1) hoặc cuối (2).")),
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description=_("Quý.")),
    OpenApiParameter("unit", str, description=_("Mã đơn vị (mặc định: đơn vị của bạn).")),
]


class DashboardView(APIView):
    """The leadership dashboard of a unit's subtree over a period, with drill-down URLs."""

    scope_area = scope.Area.REPORTS

    @extend_schema(
        operation_id="reporting_dashboard",
        parameters=PERIOD_PARAMETERS,
        responses={200: DashboardSerializer},
        summary=_("Bảng điều hành"),
        description=_(
            "Số liệu của bảng điều hành cho một đơn vị (cả các đơn vị trực thuộc) trong một kỳ, "
            "mỗi chỉ tiêu kèm đường dẫn tới danh sách hồ sơ đằng sau con số."
        ),
    )
    def get(self, request: Request) -> Response:
        try:
            query = dashboard_query(request, strict=True)  # type: ignore[arg-type]
        except Http404 as error:
            # A query value, not a path naming a record: an unknown unit and one outside the
            # caller's scope get the same 400 (the kernel's contract keeps 404 for paths).
            raise exceptions.ValidationError({"unit": [str(error)]}) from error
        with replica.reads():
            dash = board.build(viewer=request.user, unit=query.unit, period=query.period,
                               terms=query.terms)  # fmt: skip
        return Response(DashboardSerializer(dashboard_data(dash)).data)
