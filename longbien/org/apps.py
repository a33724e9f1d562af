from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "longbien.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self) -> None:
        from longbien.core import navigation, search

        from . import audit, pickers, resources  # noqa: F401  (auditlog, pickers, import/export)
        from .scope import Area
        from .search import search_org

        search.register(search_org)
        navigation.register(
            navigation.NavItem(_("Trang chủ"), "home", Area.ORG, order=0),
            navigation.NavItem(
                _("Cây tổ chức"), "org:unit_list", Area.ORG, group=_("Tổ chức"), order=10
            ),
            navigation.NavItem(
                _("Cán bộ, đảng viên"), "org:person_list", Area.PEOPLE, group=_("Tổ chức"), order=11
            ),
            navigation.NavItem(
                _("Nhiệm kỳ"), "org:term_list", Area.ORG, group=_("Tổ chức"), order=12
            ),
            navigation.NavItem(
                _("Phân quyền"),
                "org:role_list",
                Area.ROLES,
                action="change",
                group=_("Hệ thống"),
                order=890,
            ),
            navigation.NavItem(
                _("Nhật ký hệ thống"), "audit_log", Area.AUDIT, group=_("Hệ thống"), order=900
            ),
            # For those who use the API only: whole-tree administrators and token holders.
            navigation.NavItem(
                _("Tài liệu API"),
                "api:docs",
                Area.ORG,
                group=_("Hệ thống"),
                order=910,
                visible=navigation.uses_api,
            ),
            navigation.NavItem(
                _("Trang quản trị"), "admin:index", Area.AUDIT, group=_("Hệ thống"), order=920
            ),
        )
