"""The tables of the reception and model registers (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import LinkColumn, Table, TemplateColumn, low, num, unit_column
from longbien.formatting import vn_short_date

from ..models import MobilisationModel, Reception


class ReceptionTable(Table):
    held_on = LinkColumn(
        shown=vn_short_date,
        verbose_name=_("Ngày tiếp"),
        attrs={"td": {"class": "nowrap"}},
    )
    leader = TemplateColumn(
        '{{ record.leader }}{% if record.leader_title %} <small class="muted">'
        "{{ record.leader_title }}</small>{% endif %}",
        verbose_name=_("Lãnh đạo tiếp"),
        order_by=("leader",),
    )
    place = tables.Column(verbose_name=_("Địa điểm"), attrs=low())
    unit = unit_column(_("Đơn vị"))
    citizens = tables.Column(verbose_name=_("Lượt công dân"), attrs=num())
    case_count = tables.Column(verbose_name=_("Vụ việc tiếp nhận"), attrs=num())

    class Meta(Table.Meta):
        model = Reception
        fields = ()
        empty_text = _("Không có buổi tiếp công dân phù hợp.")


class ModelTable(Table):
    year = tables.Column(verbose_name=_("Năm"), attrs={"td": {"class": "nowrap"}})
    name = LinkColumn(
        truncate=120,
        verbose_name=_("Tên mô hình"),
        order_by=("name_folded",),
    )
    unit = unit_column(_("Đơn vị"))
    field = tables.Column(verbose_name=_("Lĩnh vực"), attrs=low())
    recognition = tables.Column(verbose_name=_("Cấp công nhận"))

    class Meta(Table.Meta):
        model = MobilisationModel
        fields = ()
        empty_text = _("Không có mô hình phù hợp.")
