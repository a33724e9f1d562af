"""The tables of the critiques and supervisions register and of the feedback register
(longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import (
    DateColumn,
    LinkColumn,
    Table,
    TemplateColumn,
    low,
    num,
    unit_column,
)

from ..models import Critique, Feedback

RESPONDED = (
    '<span class="{% if record.recommendation_count and record.responded_count == '
    "record.recommendation_count %}badge green{% elif record.recommendation_count %}badge amber"
    '{% endif %}">{{ record.responded_count }}/{{ record.recommendation_count }}</span>'
)

ANSWERED = (
    "{% load i18n %}{% if record.responded_on %}{{ record.responded_on|vn_short_date }}"
    '{% else %}<span class="badge amber">{% translate "Chưa trả lời" %}</span>{% endif %}'
)


class CritiqueTable(Table):
    held_on = DateColumn(
        verbose_name=_("Ngày"),
        attrs={"td": {"class": "nowrap"}},
    )
    kind = tables.Column(verbose_name=_("Hình thức"))
    subject = LinkColumn(
        truncate=100,
        verbose_name=_("Nội dung phản biện, giám sát"),
        order_by=("subject_folded",),
    )
    organiser = tables.Column(verbose_name=_("Tổ chức chủ trì"), attrs=low())
    unit = unit_column(_("Đơn vị"), attrs=low())
    recommendations = TemplateColumn(
        RESPONDED,
        verbose_name=_("Kiến nghị đã phản hồi"),
        order_by=("recommendation_count",),
        attrs=num(),
    )

    class Meta(Table.Meta):
        model = Critique
        fields = ()
        empty_text = _("Không có cuộc phản biện, giám sát phù hợp.")


class FeedbackTable(Table):
    received_on = DateColumn(
        verbose_name=_("Ngày góp ý"),
        attrs={"td": {"class": "nowrap"}},
    )
    content = LinkColumn(
        truncate=100,
        verbose_name=_("Nội dung góp ý"),
        order_by=("content_folded",),
    )
    sender = tables.Column(verbose_name=_("Tổ chức góp ý"), attrs=low())
    unit = unit_column(_("Đơn vị"), attrs=low())
    addressee = tables.Column(verbose_name=_("Cơ quan được góp ý"), attrs=low())
    responded_on = TemplateColumn(
        ANSWERED, verbose_name=_("Ngày trả lời"), attrs={"td": {"class": "nowrap"}}
    )

    class Meta(Table.Meta):
        model = Feedback
        fields = ()
        empty_text = _("Không có ý kiến góp ý phù hợp.")
