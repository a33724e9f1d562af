"""Serializers of the quarterly reports' API: what a report shows, and the input of each write.

Reads show a report with its figures (the indicators of the unit's subtree for the quarter:
computed now while the report is written, frozen from its submission on; a corrected figure
shows the computed value beside it; a frozen figure whose records have changed since shows
today's value) and the comments of its returns. Every write names the ``version`` it read; a
stale one is refused (409) and nothing is saved. Input serializers refuse unknown fields.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from longbien.core.api import InputSerializer, UnitCodeField
from longbien.org import scope

from ..choices import Section
from ..figures import Figure
from ..models import QuarterlyReport, ReturnComment

Input = InputSerializer


def _code(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


def _version(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1, max_value=2**31 - 1,
        help_text=_("Phiên bản của báo cáo mà bạn đã đọc (trường version); phiên bản cũ bị "
                    "từ chối (409) và không có gì được lưu."),
        **kwargs,
    )  # fmt: skip


# --- reads -------------------------------------------------------------------------------------


class QuarterlyReportSerializer(serializers.ModelSerializer):
    """A report in a list: its unit, quarter, state and deadline (no figures)."""

    unit = _code()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    on_time = serializers.BooleanField(
        read_only=True, allow_null=True,
        help_text=_("Gửi đúng hạn (null khi chưa gửi)."),
    )  # fmt: skip

    class Meta:
        model = QuarterlyReport
        fields = [
            "id", "unit", "unit_name", "year", "quarter", "status", "due_on", "on_time",
            "first_submitted_on", "submitted_at", "accepted_at", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ValueSerializer(serializers.Serializer):
    """A figure's value: a count, or a share (percent) with its numerator and denominator."""

    count = serializers.IntegerField(allow_null=True)
    share = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class FigureSerializer(serializers.Serializer):
    """One figure of the report (``computed``: the system's count before the ward's
    correction; ``today``: today's value when the records changed since the figures were
    frozen)."""

    code = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    share = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    computed = serializers.IntegerField(allow_null=True)
    explanation = serializers.CharField(allow_blank=True)
    today = ValueSerializer(allow_null=True)


def figure_data(figure: Figure) -> dict[str, Any]:
    value = figure.value
    today = figure.today
    return {
        "code": figure.code,
        "label": str(figure.indicator.label),
        "group": str(figure.indicator.group),
        "count": value.count,
        "share": value.share,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "computed": figure.computed,
        "explanation": figure.explanation,
        "today": None if today is None else {
            "count": today.count, "share": today.share, "numerator": today.numerator,
            "denominator": today.denominator,
        },
    }  # fmt: skip


class ReturnCommentSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = ReturnComment
        fields = ["round", "section", "comment", "by", "at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_by(self, comment: ReturnComment) -> str:
        user = comment.by
        return user.get_full_name() or user.get_username()


class QuarterlyReportDetailSerializer(QuarterlyReportSerializer):
    """A report with its narrative, its figures (grouped as the apps group them, flattened
    with ``group``; the areas the caller reads on the unit only) and the comments of its
    returns. The view hands over ``figures`` and ``comments`` (``report_figures``,
    ``report_comments``)."""

    figures = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    class Meta(QuarterlyReportSerializer.Meta):
        fields = [
            *QuarterlyReportSerializer.Meta.fields, "results", "limitations", "next_tasks",
            "proposals", "frozen_at", "figures", "comments",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, report: QuarterlyReport) -> list[dict[str, Any]]:
        groups = getattr(report, "figure_groups", None) or []
        rows = [figure_data(f) for group in groups for f in group.figures]
        return FigureSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(ReturnCommentSerializer(many=True))
    def get_comments(self, report: QuarterlyReport) -> list[dict[str, Any]]:
        rows = getattr(report, "comment_rows", None) or []
        return ReturnCommentSerializer(rows, many=True, context=self.context).data


class VersionConflictSerializer(serializers.Serializer):
    """The refusal of a stale version: the report was changed since it was read."""

    version = serializers.ListField(child=serializers.CharField())


# --- writes -------------------------------------------------------------------------------------


class ReportOpenSerializer(Input):
    """The unit (by code), year and quarter of the report to open (created not started if the
    unit has none yet)."""

    unit = UnitCodeField(area=scope.Area.REPORTS)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)


class CorrectionSerializer(Input):
    """A corrected count, with why (a value equal to the computed one removes the correction)."""

    code = serializers.CharField(max_length=100)
    value = serializers.IntegerField()
    explanation = serializers.CharField(required=False, allow_blank=True, default="")


class ReportUpdateSerializer(Input):
    version = _version()
    results = serializers.CharField(required=False, allow_blank=True)
    limitations = serializers.CharField(required=False, allow_blank=True)
    next_tasks = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    corrections = CorrectionSerializer(many=True, required=False)

    def validate_corrections(self, value: Any) -> dict[str, tuple[int, str]]:
        codes = [item["code"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Mỗi chỉ tiêu chỉ được đính chính một lần."))
        return {item["code"]: (item["value"], item["explanation"]) for item in value}


class ReportVersionSerializer(Input):
    """The version read; the reason, if any, goes in the ``X-Change-Reason`` header."""

    version = _version()


class ReportReturnSerializer(Input):
    version = _version()
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True), allow_empty=False,
        help_text=_("Ý kiến theo từng phần: results, limitations, next_tasks, proposals, "
                    "figures → nội dung."),
    )  # fmt: skip

    def validate_comments(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(Section.values))
        if unknown:
            raise serializers.ValidationError(
                _("Không có phần “%(section)s” trong báo cáo; các phần là: %(known)s.")
                % {"section": unknown[0], "known": ", ".join(Section.values)}
            )
        return value
