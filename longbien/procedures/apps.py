from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "longbien.procedures"
    label = "procedures"
    verbose_name = _("Quy trình công tác")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from longbien import indicators
        from longbien.core import demo, navigation
        from longbien.org.scope import Area

        from . import indicators as procedure_indicators
        from .demo import load_demo
        from .models import Procedure

        auditlog.register(Procedure, exclude_fields=["name_folded"])
        demo.register(5, "procedures", load_demo)
        indicators.register(
            Area.ORG,
            procedure_indicators.provide,
            *procedure_indicators.INDICATORS,
            reads=(Procedure,),
        )
        navigation.register(
            navigation.NavItem(
                _("Quy trình công tác (ISO)"),
                "procedures:list",
                Area.ORG,
                group=_("Tổ chức"),
                order=13,
            )
        )
