"""A test-only app: one confidential object type, declared as the inspections app will be.

Installed by ``longbien.settings.test`` only (never in dev or production settings).
"""

from django.apps import AppConfig


class ConfidentialAppConfig(AppConfig):
    name = "tests.confidential_app"
    label = "confidential_app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from longbien import indicators
        from longbien.core import search
        from longbien.org.scope import Area

        from .models import OpenSecret, Secret, provide, search_secrets

        auditlog.register(Secret)
        auditlog.register(OpenSecret)
        search.register(search_secrets, model=Secret)
        indicators.register(
            Area.INSPECTIONS,
            provide,
            indicators.Indicator("secrets.total", "secrets", Area.INSPECTIONS),
            confidential=True,
        )
