from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    label = "inspections"
    verbose_name = _("Kiểm tra, giám sát")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from longbien.audit import DERIVED_FIELDS

        from . import (
            demo,
            indicators,
            navigation,
            person_sections,
            pickers,
            resources,
            search,
            worklist,
        )
        from .models import (
            Case,
            CaseExtension,
            CaseTimeLimit,
            Discipline,
            FollowUp,
            Inspection,
            Plan,
            PlanItem,
        )

        for model in (Plan, FollowUp, Discipline, CaseExtension, CaseTimeLimit):
            auditlog.register(model)
        for model in (PlanItem, Inspection):
            auditlog.register(model, exclude_fields=[*DERIVED_FIELDS, "topic_folded"])
        auditlog.register(Case, exclude_fields=[*DERIVED_FIELDS, "summary_folded"])
        # Each module registers what it offers with the kernel's registries.
        for module in (demo, indicators, navigation, person_sections, pickers, resources,
                       search, worklist):  # fmt: skip
            module.register()
