from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "longbien.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from celery.signals import task_prerun
        from django.core import checks as django_checks
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_migrate, post_save

        from longbien.deadlines import recorded_days
        from longbien.org.scope import CHANGE, Area

        from . import checks, displays, heap, navigation
        from .models import CalendarDay

        # A choice field's label from a dict kept per language (longbien/core/displays.py).
        displays.install()

        # The figure cache's triggers on every table an indicator provider reads, after every
        # migrate (the providers are registered by then); the cache starts empty.
        post_migrate.connect(install_figure_triggers, sender=self, dispatch_uid="figure-cache")
        # Every Scope declaration is checked at start-up (longbien.E001-E004).
        django_checks.register(checks.check_scoped_models, django_checks.Tags.models)

        auditlog.register(CalendarDay)
        # Every request and every Celery task first checks the recorded days' version stamp in
        # the shared cache; a change bumps it (longbien.deadlines), so every process reads
        # them again, and only then.
        for signal in (request_started, task_prerun):
            signal.connect(recorded_days.recheck, dispatch_uid="deadlines-recorded-days")
        for signal in (post_save, post_delete):
            signal.connect(
                recorded_days.changed, sender=CalendarDay, dispatch_uid="deadlines-recorded-days"
            )
        # What the apps made at start-up is kept out of the collector's full passes.
        heap.freeze()
        navigation.register(
            navigation.NavItem(
                _("Lịch ngày làm việc"),
                "calendar_days",
                Area.ORG,
                action=CHANGE,
                group=_("Hệ thống"),
                order=905,
            )
        )


def install_figure_triggers(*, using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from longbien import figure_cache, indicators

    existing = set(connections[using].introspection.table_names())
    if "core_figurecache" not in existing:
        return
    figure_cache.install_triggers(indicators.watched_tables() & existing, using=using)
