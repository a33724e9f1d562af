"""Import/export of public-opinion cases and dialogues, with Vietnamese column headers.

Every imported row goes through the services: a new case through ``case_receive``, a changed
one through ``case_update``; a new dialogue through ``dialogue_create``, a changed one through
``dialogue_update`` (the issues raised at a dialogue are recorded on its page, not in the
sheet). Units are looked up within the importer's scope, or among those the rows they read
already name (a case assigned to their ward by the district).

The citizen's name, phone and address (personal data, Nghị định 13/2023) are exported only on
the rows where ``selectors.sees_citizen(user, case)``; elsewhere the cell reads "(ẩn)", and a
masked cell imported back changes nothing. An importer who may not see a stored case's citizen
never writes those cells: anything but the mask there is refused (whatever it says, so that
the refusal tells nothing about the stored value), and a mask is never stored as a value.

Feedback (Decision 218) is imported and exported: a new row through ``feedback_create`` (with
its answer, if any), a changed one through ``feedback_update`` and, for its answer,
``feedback_respond``. Critiques and supervisions, reception sessions and skilful mass
mobilisation models are exported only (their recommendations and cases are on their pages).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from longbien.core.io import (
    ChoiceLabelWidget,
    DateWidget,
    IntegerWidget,
    LookupWidget,
    Register,
    ScopedResource,
    ServiceResource,
    name_column,
)
from longbien.core.io import register as register_io
from longbien.org import scope
from longbien.org.models import OrgUnit

from . import selectors, services
from .choices import (
    CaseCategory,
    CaseSource,
    CaseStatus,
    CritiqueKind,
    DialogueLevel,
    ModelField,
    Organiser,
    Outcome,
    Recognition,
    Urgency,
)
from .models import Critique, Dialogue, Feedback, MobilisationModel, OpinionCase, Reception

#: What a citizen's cell reads for an exporter who may not see it.
MASK = "(ẩn)"
CITIZEN_FIELDS = ("citizen_name", "citizen_phone", "citizen_address")


class _Masked:
    """A masked cell read back: the stored value stays (nothing was disclosed to change)."""

    def __repr__(self) -> str:
        return "MASKED"


MASKED: Any = _Masked()


def _field(name: str, header: str, widget: Any = None, **kwargs: Any) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=header,
        widget=widget or widgets.CharWidget(allow_blank=True),
        **kwargs,
    )


class ShownUnitWidget(LookupWidget):
    """A unit by its code: one in the importer's scope, or one that a record they read
    already names in this column (the district behind a case assigned to their ward).

    Read back, an unchanged row stays unchanged; a change to it is then the service's call.
    """

    def __init__(self, model: type, column: str) -> None:
        super().__init__(OrgUnit, field="code")
        self.record_model, self.column = model, column

    def scoped(self, user: Any):
        shown = self.record_model.objects.restrict(user).values(self.column)
        return OrgUnit.objects.filter(
            Q(pk__in=OrgUnit.objects.restrict(user).values("pk")) | Q(pk__in=shown)
        )

    def unknown(self, value: Any) -> str:
        return _("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": value}


class CitizenWidget(widgets.CharWidget):
    """A citizen's cell: "(ẩn)" when the exporter may not see it, read back as unchanged."""

    def __init__(self) -> None:
        super().__init__(allow_blank=True)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.strip() == MASK:
            return MASKED
        return super().clean(value, row, **kwargs)


class OpinionCaseResource(ServiceResource):
    """Public-opinion cases: intake and its corrections; the workflow's steps stay on the pages
    (status, assignment, answer and outcome are exported, read-only)."""

    id = _field("id", "ID", IntegerWidget())
    source = _field("source", "Nguồn", ChoiceLabelWidget(CaseSource.choices))
    received_on = _field("received_on", "Ngày tiếp nhận", DateWidget())
    content = _field("content", "Nội dung phản ánh")
    unit_name = name_column("unit__name", "Đơn vị liên quan")
    unit = _field("unit", "Mã đơn vị liên quan", ShownUnitWidget(OpinionCase, "unit"))
    category = _field("category", "Lĩnh vực", ChoiceLabelWidget(CaseCategory.choices))
    urgency = _field(
        "urgency", "Mức độ", ChoiceLabelWidget(Urgency.choices), default=Urgency.NORMAL
    )
    citizen_name = _field("citizen_name", "Họ tên người phản ánh", CitizenWidget())
    citizen_phone = _field("citizen_phone", "Điện thoại người phản ánh", CitizenWidget())
    citizen_address = _field("citizen_address", "Địa chỉ người phản ánh", CitizenWidget())
    status = fields.Field(
        attribute="status", column_name="Trạng thái", readonly=True,
        widget=ChoiceLabelWidget(CaseStatus.choices),
    )  # fmt: skip
    assigned_unit_name = name_column("assigned_unit__name", "Đơn vị xử lý")
    due_on = fields.Field(
        attribute="due_on", column_name="Hạn trả lời", readonly=True, widget=DateWidget()
    )
    answered_on = fields.Field(
        attribute="answered_on", column_name="Ngày trả lời", readonly=True, widget=DateWidget()
    )
    outcome = fields.Field(
        attribute="outcome", column_name="Kết quả", readonly=True,
        widget=ChoiceLabelWidget(Outcome.choices),
    )  # fmt: skip

    scope_area = scope.Area.DIALOGUES
    # The intake's identity: where and when it came from, and the unit it concerns.
    fixed_on_update = ("source", "received_on", "unit")

    class Meta:
        model = OpinionCase
        import_id_fields = ("id",)
        fields = (
            "id", "source", "received_on", "content", "unit_name", "unit", "category", "urgency",
            "citizen_name", "citizen_phone", "citizen_address", "status", "assigned_unit_name",
            "due_on", "answered_on", "outcome",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return selectors.case_list(self.user).order_by("-received_on", "-id")

    # --- Personal data: masked for whoever may not see it -----------------------------------

    def _sees(self, case: OpinionCase) -> bool:
        cache = self.__dict__.setdefault("_seen", {})
        if case.pk not in cache:
            cache[case.pk] = selectors.sees_citizen(self.user, case)
        return cache[case.pk]

    def _citizen(self, name: str, case: OpinionCase) -> str:
        return getattr(case, name) if self._sees(case) else MASK

    def dehydrate_citizen_name(self, case: OpinionCase) -> str:
        return self._citizen("citizen_name", case)

    def dehydrate_citizen_phone(self, case: OpinionCase) -> str:
        return self._citizen("citizen_phone", case)

    def dehydrate_citizen_address(self, case: OpinionCase) -> str:
        return self._citizen("citizen_address", case)

    def import_instance(self, instance, row, **kwargs):
        # Who may see the stored case's citizen, before the row's cells are applied.
        hidden = instance.pk is not None and not self._sees(instance)
        super().import_instance(instance, row, **kwargs)
        before = getattr(instance, "_import_before", None)
        hidden = hidden and before is not None
        typed: dict[str, list[str]] = {}
        for name in CITIZEN_FIELDS:
            value = getattr(instance, name)
            if value is MASKED:
                # A stored row keeps its value; a new row has nothing to keep.
                setattr(instance, name, before[name] if before is not None else "")
            elif hidden and self.fields[name].column_name in row:
                # Whoever may not see the citizen may not write over them either (nor learn,
                # from whether a value is refused, what is stored): any cell but the mask.
                setattr(instance, name, before[name])
                typed[name] = [
                    _("Bạn không được xem thông tin người phản ánh của vụ việc này nên không "
                      "sửa được; hãy để “%(mask)s”.") % {"mask": MASK}
                ]  # fmt: skip
        if typed:
            raise ValidationError(typed)

    def _record_change(self, line, stored, instance):
        """The dry run's before → after never shows what the importer may not see."""
        count = len(self.changes)
        super()._record_change(line, stored, instance)
        if len(self.changes) == count or self._sees(stored):
            return
        change = self.changes[-1]
        labels = {self.fields[name].column_name for name in CITIZEN_FIELDS}
        for index, item in enumerate(change.fields):
            if item.label in labels:
                change.fields[index] = type(item)(label=item.label, before=MASK, after=item.after)

    # --- Writes through the services ---------------------------------------------------------

    def create(self, *, values):
        if values.get("unit") is None:
            raise ValidationError({"unit": _("Hãy ghi mã đơn vị liên quan.")})
        if values.get("received_on") is None:
            raise ValidationError({"received_on": _("Hãy ghi ngày tiếp nhận.")})
        return services.case_receive(
            actor=self.user, source=values.get("source") or "",
            received_on=values["received_on"], content=values.get("content") or "",
            unit=values["unit"], category=values.get("category") or "",
            urgency=values.get("urgency") or Urgency.NORMAL,
            citizen_name=values.get("citizen_name") or "",
            citizen_phone=values.get("citizen_phone") or "",
            citizen_address=values.get("citizen_address") or "", reason=self.reason,
        )  # fmt: skip

    def update(self, *, stored, changes):
        return services.case_update(actor=self.user, case=stored, reason=self.reason, **changes)


class DialogueResource(ServiceResource):
    """Dialogues with citizens (the issues raised and commitments made are on each dialogue's
    page; the sheet shows how many)."""

    id = _field("id", "ID", IntegerWidget())
    level = _field("level", "Cấp", ChoiceLabelWidget(DialogueLevel.choices))
    unit_name = name_column("unit__name", "Đơn vị tổ chức")
    unit = _field("unit", "Mã đơn vị tổ chức", ShownUnitWidget(Dialogue, "unit"))
    held_on = _field("held_on", "Ngày đối thoại", DateWidget())
    chair = _field("chair", "Người chủ trì")
    topic = _field("topic", "Chủ đề")
    participants = _field("participants", "Số người tham dự", IntegerWidget())
    issue_count = fields.Field(attribute="issue_count", column_name="Số ý kiến", readonly=True)
    commitment_count = fields.Field(
        attribute="commitment_count", column_name="Số cam kết", readonly=True
    )

    scope_area = scope.Area.DIALOGUES
    fixed_on_update = ("level", "unit")

    class Meta:
        model = Dialogue
        import_id_fields = ("id",)
        fields = (
            "id", "level", "unit_name", "unit", "held_on", "chair", "topic", "participants",
            "issue_count", "commitment_count",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return selectors.dialogue_list(self.user).order_by("-held_on", "-id")

    def create(self, *, values):
        errors = {}
        if values.get("unit") is None:
            errors["unit"] = _("Hãy ghi mã đơn vị tổ chức.")
        if values.get("held_on") is None:
            errors["held_on"] = _("Hãy ghi ngày đối thoại.")
        if values.get("participants") is None:
            errors["participants"] = _("Hãy ghi số người tham dự.")
        if errors:
            raise ValidationError(errors)
        return services.dialogue_create(
            actor=self.user, level=values.get("level") or "", unit=values["unit"],
            held_on=values["held_on"], chair=values.get("chair") or "",
            topic=values.get("topic") or "", participants=values["participants"],
            reason=self.reason,
        )  # fmt: skip

    def update(self, *, stored, changes):
        return services.dialogue_update(
            actor=self.user, dialogue=stored, reason=self.reason, **changes
        )


class FeedbackResource(ServiceResource):
    """Feedback on building the Party and the government (Decision 218), with its answer."""

    id = _field("id", "ID", IntegerWidget())
    unit_name = name_column("unit__name", "Đơn vị")
    unit = _field("unit", "Mã đơn vị", ShownUnitWidget(Feedback, "unit"))
    sender = _field("sender", "Tổ chức góp ý", ChoiceLabelWidget(Organiser.choices))
    received_on = _field("received_on", "Ngày góp ý", DateWidget())
    content = _field("content", "Nội dung góp ý")
    addressee = _field("addressee", "Cơ quan được góp ý")
    response = _field("response", "Nội dung tiếp thu, trả lời")
    responded_on = _field("responded_on", "Ngày trả lời", DateWidget())

    scope_area = scope.Area.DIALOGUES
    fixed_on_update = ("unit",)
    #: Changed by ``feedback_respond`` (the rest by ``feedback_update``).
    answer_fields = ("response", "responded_on")

    class Meta:
        model = Feedback
        import_id_fields = ("id",)
        fields = (
            "id", "unit_name", "unit", "sender", "received_on", "content", "addressee",
            "response", "responded_on",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return selectors.feedback_list(self.user).order_by("-received_on", "-id")

    def create(self, *, values):
        errors = {}
        if values.get("unit") is None:
            errors["unit"] = _("Hãy ghi mã đơn vị.")
        if values.get("received_on") is None:
            errors["received_on"] = _("Hãy ghi ngày góp ý.")
        if errors:
            raise ValidationError(errors)
        return services.feedback_create(
            actor=self.user, unit=values["unit"], sender=values.get("sender") or "",
            received_on=values["received_on"], content=values.get("content") or "",
            addressee=values.get("addressee") or "", response=values.get("response") or "",
            responded_on=values.get("responded_on"), reason=self.reason,
        )  # fmt: skip

    def update(self, *, stored, changes):
        answer = {name: changes.pop(name) for name in self.answer_fields if name in changes}
        if changes:
            stored = services.feedback_update(
                actor=self.user, feedback=stored, reason=self.reason, **changes
            )
        if answer:
            response = answer.get("response", stored.response)
            responded_on = answer.get("responded_on", stored.responded_on)
            if (
                stored.responded_on is not None
                and not (response or "").strip()
                and not (responded_on)
            ):
                raise ValidationError(
                    {"response": _("Không xóa được câu trả lời đã ghi bằng nhập tệp.")}
                )
            stored = services.feedback_respond(
                actor=self.user, feedback=stored, response=response or "",
                responded_on=responded_on, reason=self.reason,
            )  # fmt: skip
        return stored


def _shown(attribute: str, header: str, widget: Any = None) -> fields.Field:
    """A read-only column of an export-only register."""
    return fields.Field(attribute=attribute, column_name=header, readonly=True,
                        widget=widget or widgets.Widget())  # fmt: skip


class CritiqueResource(ScopedResource):
    """Critique conferences and thematic supervisions, one row each with its recommendations
    counted (made, responded): exported only, the recommendations are on each page."""

    id = _shown("id", "ID", IntegerWidget())
    kind = _shown("kind", "Hình thức", ChoiceLabelWidget(CritiqueKind.choices))
    unit_name = name_column("unit__name", "Đơn vị")
    unit = _shown("unit__code", "Mã đơn vị")
    organiser = _shown("organiser", "Tổ chức chủ trì", ChoiceLabelWidget(Organiser.choices))
    held_on = _shown("held_on", "Ngày tổ chức", DateWidget())
    subject = _shown("subject", "Nội dung phản biện, giám sát")
    findings = _shown("findings", "Kết quả, phát hiện")
    recommendation_count = _shown("recommendation_count", "Số kiến nghị")
    responded_count = _shown("responded_count", "Số kiến nghị đã phản hồi")

    scope_area = scope.Area.DIALOGUES

    class Meta:
        model = Critique
        fields = (
            "id", "kind", "unit_name", "unit", "organiser", "held_on", "subject", "findings",
            "recommendation_count", "responded_count",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return selectors.critique_list(self.user).order_by("-held_on", "-id")


class ReceptionResource(ScopedResource):
    """Citizen reception sessions with the number of cases opened at each: exported only."""

    id = _shown("id", "ID", IntegerWidget())
    unit_name = name_column("unit__name", "Đơn vị")
    unit = _shown("unit__code", "Mã đơn vị")
    held_on = _shown("held_on", "Ngày tiếp", DateWidget())
    leader = _shown("leader", "Lãnh đạo tiếp công dân")
    leader_title = _shown("leader_title", "Chức vụ")
    place = _shown("place", "Địa điểm")
    citizens = _shown("citizens", "Số lượt công dân")
    case_count = _shown("case_count", "Số vụ việc tiếp nhận")
    notes = _shown("notes", "Ghi chú")

    scope_area = scope.Area.DIALOGUES

    class Meta:
        model = Reception
        fields = (
            "id", "unit_name", "unit", "held_on", "leader", "leader_title", "place", "citizens",
            "case_count", "notes",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return selectors.reception_list(self.user).order_by("-held_on", "-id")


class MobilisationModelResource(ScopedResource):
    """Skilful mass mobilisation models by unit and year: exported only."""

    id = _shown("id", "ID", IntegerWidget())
    year = _shown("year", "Năm")
    unit_name = name_column("unit__name", "Đơn vị")
    unit = _shown("unit__code", "Mã đơn vị")
    name = _shown("name", "Tên mô hình")
    field = _shown("field", "Lĩnh vực", ChoiceLabelWidget(ModelField.choices))
    recognition = _shown("recognition", "Cấp công nhận", ChoiceLabelWidget(Recognition.choices))
    description = _shown("description", "Mô tả, kết quả")

    scope_area = scope.Area.DIALOGUES

    class Meta:
        model = MobilisationModel
        fields = (
            "id", "year", "unit_name", "unit", "name", "field", "recognition", "description",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return selectors.model_list(self.user).order_by("-year", "unit__code", "id")


def register() -> None:
    """Register the app's registers with the kernel's import/export."""
    register_io(
        Register("opinion_cases", gettext_lazy("Vụ việc dư luận phản ánh"), OpinionCaseResource,
                 scope.Area.DIALOGUES),
        Register("dialogues", gettext_lazy("Đối thoại với Nhân dân"), DialogueResource,
                 scope.Area.DIALOGUES),
        Register("feedback", gettext_lazy("Góp ý xây dựng Đảng, chính quyền"), FeedbackResource,
                 scope.Area.DIALOGUES),
        Register("critiques", gettext_lazy("Phản biện xã hội, giám sát chuyên đề"),
                 CritiqueResource, scope.Area.DIALOGUES, importable=False),
        Register("receptions", gettext_lazy("Tiếp công dân"), ReceptionResource,
                 scope.Area.DIALOGUES, importable=False),
        Register("mobilisation_models", gettext_lazy("Mô hình dân vận khéo"),
                 MobilisationModelResource, scope.Area.DIALOGUES, importable=False),
    )  # fmt: skip
