from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    label = "cadres"
    verbose_name = _("Cán bộ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from longbien.core import demo, navigation, search
        from longbien.org.scope import Area

        from . import audit, indicators, person_sections, pickers, resources, worklist  # noqa: F401  (registries)
        from .demo import load_city, load_demo
        from .models import PersonnelDecision, QualificationTest, TrainingClass
        from .search import search_cadres

        group = _("Cán bộ")
        navigation.register(
            navigation.NavItem(
                _("Đánh giá hằng tháng"), "cadres:evaluation_list", Area.CADRES, group=group,
                order=30, visible=_sees_evaluations,
            ),
            navigation.NavItem(
                _("Duyệt theo tháng"), "cadres:evaluation_grid", Area.CADRES, action="change",
                group=group, order=31,
            ),
            navigation.NavItem(
                _("Phân bố xếp loại"), "cadres:distribution", Area.CADRES, group=group, order=32
            ),
            navigation.NavItem(
                _("Quyết định nhân sự"), "cadres:decision_list", Area.CADRES, group=group, order=33
            ),
            navigation.NavItem(
                _("Sát hạch cán bộ"), "cadres:test_list", Area.CADRES, group=group, order=34
            ),
            # A cadre without a role writes and reads their own plan, as with evaluations.
            navigation.NavItem(
                _("Kế hoạch tu dưỡng"), "cadres:plan_list", Area.CADRES, group=group, order=35,
                visible=_sees_evaluations,
            ),
            navigation.NavItem(
                _("Phân công đảng viên"), "cadres:assignment_list", Area.CADRES, group=group,
                order=36,
            ),
            navigation.NavItem(
                _("Lớp bồi dưỡng"), "cadres:training_list", Area.CADRES, group=group, order=37
            ),
        )  # fmt: skip
        demo.register(20, "cadres", load_demo)
        demo.register_city(20, "cadres", load_city)
        indicators.register()
        worklist.register()
        person_sections.register()
        search.register(search_cadres, model=(PersonnelDecision, QualificationTest, TrainingClass))


def _sees_evaluations(user) -> bool:
    from longbien.org import scope

    return scope.has_area(user, scope.Area.CADRES) or bool(getattr(user, "person_id", None))
