from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    label = "dialogues"
    verbose_name = _("Dân vận: đối thoại, dư luận")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from longbien.audit import DERIVED_FIELDS

        from . import demo, indicators, navigation, pickers, resources, search, worklist
        from .models import (
            CaseAssignment,
            Commitment,
            Critique,
            Dialogue,
            DialogueIssue,
            Feedback,
            MobilisationModel,
            OpinionCase,
            Reception,
            Recommendation,
        )

        for model in (DialogueIssue, Commitment, CaseAssignment, Recommendation, Reception):
            auditlog.register(model)
        auditlog.register(Dialogue, exclude_fields=[*DERIVED_FIELDS, "topic_folded"])
        auditlog.register(Critique, exclude_fields=[*DERIVED_FIELDS, "subject_folded"])
        auditlog.register(Feedback, exclude_fields=[*DERIVED_FIELDS, "content_folded"])
        auditlog.register(MobilisationModel, exclude_fields=[*DERIVED_FIELDS, "name_folded"])
        # The citizen's name, phone and address (personal data) stay out of the trail (the
        # auditlog mask keeps half of each value: not enough).
        auditlog.register(
            OpinionCase,
            exclude_fields=[
                *DERIVED_FIELDS, "content_folded", "words",
                "citizen_name", "citizen_phone", "citizen_address",
            ],
        )  # fmt: skip
        # Each module registers what it offers with the kernel's registries.
        for module in (demo, indicators, navigation, pickers, resources, search, worklist):
            module.register()
