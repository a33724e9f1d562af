"""The dialogues app's menu entries: dialogues and commitments, public-opinion cases."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from longbien.core import navigation
from longbien.org.scope import Area


def register() -> None:
    group = _("Dân vận")
    item = navigation.NavItem
    navigation.register(
        item(_("Đối thoại với Nhân dân"), "dialogues:dialogue_list", Area.DIALOGUES,
             group=group, order=50),
        item(_("Cam kết tại đối thoại"), "dialogues:commitment_list", Area.DIALOGUES,
             group=group, order=51),
        item(_("Dư luận xã hội phản ánh"), "dialogues:case_list", Area.DIALOGUES,
             group=group, order=52),
        item(_("Tiếp công dân"), "dialogues:reception_list", Area.DIALOGUES,
             group=group, order=53),
        item(_("Phản biện xã hội, giám sát"), "dialogues:critique_list", Area.DIALOGUES,
             group=group, order=54),
        item(_("Góp ý xây dựng Đảng, chính quyền"), "dialogues:feedback_list", Area.DIALOGUES,
             group=group, order=55),
        item(_("Mô hình dân vận khéo"), "dialogues:model_list", Area.DIALOGUES,
             group=group, order=56),
    )  # fmt: skip
