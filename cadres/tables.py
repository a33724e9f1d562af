"""The tables of the cadres registers (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.links import reverse
from longbien.core.tables import (
    BadgeColumn,
    DateColumn,
    LinkColumn,
    NumberColumn,
    Table,
    TemplateColumn,
    low,
    num,
    unit_column,
)
from longbien.org.models import Person

from .choices import EvaluationStatus
from .models import (
    Evaluation,
    PersonnelDecision,
    QualificationTest,
    SelfImprovementPlan,
    TaskAssignment,
    TrainingClass,
)


def _person_history(record: object) -> str:
    return reverse("cadres:person_history", args=[record.person_id])  # type: ignore[attr-defined]


def person_column(label: str, order_by: str = "person__sort_key") -> LinkColumn:
    """The column of the cadre a record is about, linking to their cadre record (sorted by
    ``order_by``: the person's sort key, or the record's own copy of it)."""
    return LinkColumn(
        accessor="person__full_name",
        url=_person_history,
        verbose_name=label,
        order_by=(order_by,),
    )


#: An evaluation's state as a badge's colour (a draft: none).
STATUS_TONES = {
    EvaluationStatus.APPROVED: "green", EvaluationStatus.SELF_ASSESSED: "amber",
    EvaluationStatus.ASSESSED: "amber",
}  # fmt: skip


class EvaluationTable(Table):
    period = LinkColumn(
        accessor="period_label",
        verbose_name=_("Tháng"),
        order_by=("year", "month"),
        attrs={"td": {"class": "nowrap"}},
    )
    person = person_column(_("Cán bộ"), order_by="person_sort_key")
    position = tables.Column(
        accessor="person__position", verbose_name=_("Chức vụ"), orderable=False, attrs=low()
    )
    unit = unit_column(attrs=low())
    self_rating = tables.Column(verbose_name=_("Tự xếp loại"), attrs=low())
    rating = tables.Column(verbose_name=_("Xếp loại"))
    status = BadgeColumn(STATUS_TONES, verbose_name=_("Trạng thái"))

    class Meta(Table.Meta):
        model = Evaluation
        fields = ()
        empty_text = _("Chưa có phiếu đánh giá nào phù hợp.")


class DecisionTable(Table):
    default_hidden = ("unit",)

    decision_date = DateColumn(verbose_name=_("Ngày"))
    kind = tables.Column(verbose_name=_("Loại"))
    symbol = tables.Column(verbose_name=_("Số quyết định"), attrs=low())
    person = person_column(_("Cán bộ"))
    target = TemplateColumn(
        '{{ record.to_position|default:"–" }}{% if record.to_unit %}, '
        "{{ record.to_unit.name }}{% endif %}",
        verbose_name=_("Chức vụ, đơn vị mới"),
        orderable=False,
    )
    unit = unit_column(attrs=low())

    class Meta(Table.Meta):
        model = PersonnelDecision
        fields = ()
        empty_text = _("Chưa có quyết định nào.")


class PlanTable(Table):
    person = person_column(_("Cán bộ"))
    position = tables.Column(
        accessor="person__position", verbose_name=_("Chức vụ"), orderable=False, attrs=low()
    )
    unit = unit_column(attrs=low())
    commitments = LinkColumn(truncate=160, verbose_name=_("Nội dung cam kết"), orderable=False)
    review_count = tables.Column(verbose_name=_("Số tháng được nhận xét"), attrs=num())

    class Meta(Table.Meta):
        model = SelfImprovementPlan
        fields = ()
        empty_text = _("Chưa có kế hoạch nào.")


class TrainingTable(Table):
    name = LinkColumn(verbose_name=_("Lớp"))
    unit = unit_column(_("Đơn vị tổ chức"), attrs=low())
    start_date = TemplateColumn(
        "{{ record.start_date|vn_short_date }} – {{ record.end_date|vn_short_date }}",
        verbose_name=_("Thời gian"),
        attrs={"td": {"class": "nowrap"}},
    )
    participant_count = NumberColumn(verbose_name=_("Học viên"), attrs=num())
    completed_count = NumberColumn(verbose_name=_("Hoàn thành"), attrs=num())
    share = TemplateColumn(
        "{% vn_share record.completed_count record.participant_count %}",
        verbose_name=_("Tỷ lệ"),
        orderable=False,
        attrs=num(),
    )

    class Meta(Table.Meta):
        model = TrainingClass
        fields = ()
        empty_text = _("Chưa có lớp nào.")


class QualificationTestTable(Table):
    held_on = DateColumn(verbose_name=_("Ngày"))
    subject = LinkColumn(verbose_name=_("Nội dung"))
    unit = unit_column(_("Đơn vị tổ chức"), attrs=low())
    participant_count = NumberColumn(verbose_name=_("Số người dự"), attrs=num())
    passed_count = NumberColumn(verbose_name=_("Đạt"), attrs=num())

    class Meta(Table.Meta):
        model = QualificationTest
        fields = ()
        empty_text = _("Chưa có kỳ sát hạch nào.")


class AssignmentTable(Table):
    person = person_column(_("Đảng viên"))
    unit = unit_column(_("Chi bộ"))
    task = tables.Column(verbose_name=_("Nhiệm vụ"), orderable=False)
    result = TemplateColumn(
        '{% load i18n %}{{ record.get_result_display|default:"–" }}{% if record.result_note %} '
        '<small class="muted">({{ record.result_note }})</small>{% endif %}'
        '{% if record.may_record %} <a href="{% url "cadres:assignment_result" record.pk %}">'
        '{% if record.result %}{% translate "Sửa kết quả" %}{% else %}{% translate "Ghi kết quả" %}'
        "{% endif %}</a>{% endif %}",
        verbose_name=_("Kết quả cuối năm"),
    )

    class Meta(Table.Meta):
        model = TaskAssignment
        fields = ()
        empty_text = _("Chưa có phân công nào.")


class MissingMemberTable(Table):
    """Party members with no task for the year (``?missing=1``)."""

    config_key = "cadres.tables.MissingMemberTable"
    full_name = LinkColumn(
        url=lambda person: reverse("cadres:person_history", args=[person.pk]),
        verbose_name=_("Đảng viên"),
        order_by=("sort_key",),
    )
    position = tables.Column(verbose_name=_("Chức vụ"), orderable=False, attrs=low())
    unit = unit_column()
    assign = TemplateColumn(
        '{% load i18n %}{% if record.may_assign %}<a href="{% url "cadres:assignment_create" %}'
        '?person={{ record.code|urlencode }}&amp;year={{ record.for_year }}">'
        '{% translate "Phân công" %}</a>{% endif %}',
        verbose_name="",
        orderable=False,
    )

    class Meta(Table.Meta):
        model = Person
        fields = ()
        empty_text = _("Mọi đảng viên đều đã được phân công.")
