from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    label = "resolutions"
    verbose_name = _("Nghị quyết và thực hiện")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from longbien import indicators
        from longbien.audit import DERIVED_FIELDS
        from longbien.core import demo, navigation, search
        from longbien.org.scope import Area

        from . import indicators as resolution_indicators
        from . import pickers, resources  # noqa: F401  (picker lookups, import/export registry)
        from .demo import load_city, load_demo
        from .models import Briefing, BriefingIssue, Conference, Document, Review, Task, TaskUpdate
        from .search import search_documents
        from .worklist import register as register_worklist

        for model in (Briefing, BriefingIssue, Conference, Review, Task, TaskUpdate):
            auditlog.register(model)
        auditlog.register(Document, exclude_fields=DERIVED_FIELDS, m2m_fields={"implements"})
        # In the definitions' order (the order pages list them in), each with its provider:
        # the tasks' counts on their own (the on-time share is compared across units).
        for provider, definitions, reads in resolution_indicators.providers():
            indicators.register(Area.RESOLUTIONS, provider, *definitions, reads=reads)
        search.register(search_documents, model=(Document, Task))
        register_worklist()
        demo.register(10, "resolutions", load_demo)
        demo.register_city(10, "resolutions", load_city)
        group = _("Nghị quyết")
        navigation.register(
            navigation.NavItem(
                _("Văn bản, nghị quyết"),
                "resolutions:document_list",
                Area.RESOLUTIONS,
                group=group,
                order=20,
            ),
            navigation.NavItem(
                _("Nhiệm vụ triển khai"),
                "resolutions:task_list",
                Area.RESOLUTIONS,
                group=group,
                order=21,
            ),
            navigation.NavItem(
                _("Nhiệm vụ quá hạn"),
                "resolutions:overdue_board",
                Area.RESOLUTIONS,
                group=group,
                order=22,
            ),
            navigation.NavItem(
                _("Học tập, quán triệt"),
                "resolutions:conference_list",
                Area.RESOLUTIONS,
                group=group,
                order=23,
            ),
            navigation.NavItem(
                _("Giao ban"), "resolutions:briefing_list", Area.RESOLUTIONS, group=group, order=24
            ),
        )
