from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "longbien.attachments"
    label = "attachments"
    verbose_name = _("Tệp đính kèm")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Attachment

        auditlog.register(Attachment, exclude_fields=["file"])
