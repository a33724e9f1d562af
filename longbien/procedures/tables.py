"""The table of the procedures register (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import LinkColumn, Table, TemplateColumn, low

from .models import Procedure


class ProcedureTable(Table):
    code = LinkColumn(
        inside="code",
        verbose_name=_("Mã"),
    )
    name = TemplateColumn(
        '{{ record.name }}{% if record.iso_9001 %} <span class="badge green">ISO</span>{% endif %}',
        verbose_name=_("Tên"),
        order_by=("name_folded",),
    )
    kind = tables.Column(verbose_name=_("Loại"), attrs=low())
    area = tables.Column(verbose_name=_("Lĩnh vực"), attrs=low())
    level = tables.Column(verbose_name=_("Cấp"), attrs=low())
    version = tables.Column(verbose_name=_("Phiên bản"), attrs=low())
    effective_date = TemplateColumn(
        "{{ record.effective_date|vn_short_date }}{% if record.retired_on %} – "
        "{{ record.retired_on|vn_short_date }}{% endif %}",
        verbose_name=_("Hiệu lực"),
    )
    owner_unit = tables.Column(
        accessor="owner_unit__name", verbose_name=_("Đơn vị"), order_by="owner_unit__path",
        attrs=low(),
    )  # fmt: skip

    default_hidden = ("version",)

    class Meta(Table.Meta):
        model = Procedure
        fields = ()
        empty_text = _("Chưa có quy trình.")
