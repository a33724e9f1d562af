"""The inspections app's menu entries: plans and coordination, records, follow-ups,
discipline, and (for the inspection role only) cases and the read log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from longbien import confidential
from longbien.core import navigation
from longbien.org import scope
from longbien.org.scope import Area


def _heads(user: Any) -> bool:
    # The role check first (no query): only the inspection role can head the committee.
    return scope.has_area(user, Area.CONFIDENTIAL) and confidential.heads_committee(user)


def register() -> None:
    group = _("Kiểm tra, giám sát")
    item = navigation.NavItem
    navigation.register(
        item(_("Kế hoạch kiểm tra, giám sát"), "inspections:plan_list", Area.INSPECTION_PLANS,
             group=group, order=40),
        item(_("Nội dung kế hoạch"), "inspections:plan_item_list", Area.INSPECTION_PLANS,
             group=group, order=41),
        item(_("Phối hợp kế hoạch"), "inspections:coordination", Area.INSPECTION_PLANS,
             group=group, order=42),
        item(_("Cuộc kiểm tra, giám sát"), "inspections:inspection_list", Area.INSPECTIONS,
             group=group, order=43),
        item(_("Kiến nghị sau kiểm tra"), "inspections:follow_up_list", Area.INSPECTIONS,
             group=group, order=44),
        item(_("Theo dõi kiến nghị của đơn vị"), "inspections:follow_up_board",
             Area.INSPECTIONS, group=group, order=45),
        item(_("Kỷ luật đảng"), "inspections:discipline_list", Area.INSPECTIONS,
             group=group, order=46),
        item(_("Đơn tố cáo, khiếu nại"), "inspections:case_list", Area.CONFIDENTIAL,
             group=group, order=47),
        item(_("Nhật ký truy cập hồ sơ mật"), "inspections:access_log", Area.CONFIDENTIAL,
             group=group, order=48, visible=_heads),
    )  # fmt: skip
