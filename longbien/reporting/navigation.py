"""The reports' menu entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from longbien.core import navigation
from longbien.org.scope import Area


def register() -> None:
    group = _("Báo cáo")
    item = navigation.NavItem
    navigation.register(
        item(_("Bảng điều hành"), "reporting:dashboard", Area.REPORTS, group=group, order=69),
        item(_("Báo cáo quý của cơ sở"), "reporting:report_list", Area.REPORTS,
             group=group, order=70),
        item(_("Tình hình nộp báo cáo quý"), "reporting:compliance_board", Area.REPORTS,
             group=group, order=71),
        item(_("Báo cáo tổng kết"), "reporting:term_list", Area.REPORTS, group=group, order=72),
    )  # fmt: skip
