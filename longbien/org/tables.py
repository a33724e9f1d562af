"""The tables of the organisation registers (longbien/core/tables.py)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from longbien.core.tables import DateColumn, LinkColumn, Table, TemplateColumn, low, unit_column

from .models import Person


class PersonTable(Table):
    full_name = LinkColumn(verbose_name=_("Họ và tên"), order_by=("sort_key",))
    code = TemplateColumn("<code>{{ record.code }}</code>", verbose_name=_("Mã"))
    birth_year = TemplateColumn(
        '{{ record.birth_date.year|default:"–" }}',
        verbose_name=_("Năm sinh"),
        order_by=("birth_date",),
        attrs=low(),
    )
    position = tables.Column(
        accessor="position", verbose_name=_("Chức vụ"), order_by="position__name", attrs=low()
    )
    unit = unit_column()
    management_level = tables.Column(verbose_name=_("Diện quản lý"), attrs=low())
    party_member_since = DateColumn(verbose_name=_("Ngày vào Đảng"), default="–", attrs=low())

    default_hidden = ("management_level",)

    class Meta(Table.Meta):
        model = Person
        fields = ()
        empty_text = _("Không có ai phù hợp.")
