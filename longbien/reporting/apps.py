from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "longbien.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import demo, indicators, navigation
        from .models import FigureCorrection, QuarterlyReport, ReturnComment

        # The frozen figures are a derived copy of the indicators: left out of the trail.
        auditlog.register(QuarterlyReport, exclude_fields=["frozen", "version"])
        auditlog.register(FigureCorrection)
        auditlog.register(ReturnComment)
        navigation.register()
        demo.register()
        indicators.register()
