"""Import/export of documents, tasks and conferences, with Vietnamese column headers."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from longbien.core.io import Register, ScopedResource, register
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.resources import ChoiceLabelWidget, DateWidget, LookupWidget

from . import services
from .models import Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


class TopicsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return [t.strip() for t in str(value or "").split(",") if t.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


def _field(name: str, header: str, widget=None, **kwargs) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=header,
        widget=widget or widgets.CharWidget(allow_blank=True),
        **kwargs,
    )


class DocumentResource(ScopedResource):
    id = _field("id", "ID", widgets.IntegerWidget())
    symbol = _field("symbol", "Số hiệu")
    kind = _field(
        "kind", "Loại văn bản", ChoiceLabelWidget(Document._meta.get_field("kind").choices)
    )
    issuing_unit = _field("issuing_unit", "Mã đơn vị ban hành", LookupWidget(OrgUnit, field="code"))
    issuer_name = _field("issuer_name", "Cơ quan ban hành (cấp trên)")
    title = _field("title", "Trích yếu")
    summary = _field("summary", "Tóm tắt")
    topics = _field("topics", "Chủ đề", TopicsWidget())
    signed_date = _field("signed_date", "Ngày ký", DateWidget())
    signer = _field("signer", "Người ký")
    status = _field(
        "status",
        "Trạng thái",
        ChoiceLabelWidget(Document._meta.get_field("status").choices),
        default="issued",
    )

    scope_area = AREA

    class Meta:
        model = Document
        import_id_fields = ("id",)
        fields = (
            "id",
            "symbol",
            "kind",
            "issuing_unit",
            "issuer_name",
            "title",
            "summary",
            "topics",
            "signed_date",
            "signer",
            "status",
        )
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            Document.objects.restrict(self.user)
            .select_related("issuing_unit")
            .order_by("signed_date", "id")
        )

    def in_scope(self, instance) -> bool:
        return True  # checked with the rest of the rules in validate_instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        _collect(errors, lambda: services.document_check_import(actor=self.user, document=instance))
        super().validate_instance(instance, errors, validate_unique=False)


def _collect(errors: dict, check) -> None:
    """Run a service check and add its messages to an import row's errors."""
    try:
        check()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    except PermissionDenied as denied:
        errors.setdefault(NON_FIELD_ERRORS, []).append(str(denied))


class TaskResource(ScopedResource):
    id = _field("id", "ID", widgets.IntegerWidget())
    document = _field("document", "ID văn bản", LookupWidget(Document))
    document_symbol = fields.Field(
        attribute="document__symbol", column_name="Số hiệu văn bản", readonly=True
    )
    parent = _field("parent", "ID nhiệm vụ cấp trên", LookupWidget(Task))
    title = _field("title", "Nội dung nhiệm vụ")
    description = _field("description", "Yêu cầu cụ thể")
    unit = _field("unit", "Mã đơn vị chủ trì", LookupWidget(OrgUnit, field="code"))
    deadline = _field("deadline", "Thời hạn", DateWidget())
    status = _field(
        "status",
        "Trạng thái",
        ChoiceLabelWidget(Task._meta.get_field("status").choices),
        default="not_started",
    )
    progress = _field("progress", "Tiến độ (%)", widgets.IntegerWidget(), default=0)
    completed_on = _field("completed_on", "Ngày hoàn thành", DateWidget())

    scope_area = AREA

    class Meta:
        model = Task
        import_id_fields = ("id",)
        fields = (
            "id",
            "document",
            "document_symbol",
            "parent",
            "title",
            "description",
            "unit",
            "deadline",
            "status",
            "progress",
            "completed_on",
        )
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return Task.objects.restrict(self.user).select_related("document", "unit").order_by("id")

    def in_scope(self, instance) -> bool:
        return True  # checked with the rest of the rules in validate_instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        _collect(errors, lambda: services.task_check_import(actor=self.user, task=instance))
        super().validate_instance(instance, errors, validate_unique)


class ConferenceResource(ScopedResource):
    id = _field("id", "ID", widgets.IntegerWidget())
    document = _field("document", "ID văn bản", LookupWidget(Document))
    document_symbol = fields.Field(
        attribute="document__symbol", column_name="Số hiệu văn bản", readonly=True
    )
    unit = _field("unit", "Mã đơn vị tổ chức", LookupWidget(OrgUnit, field="code"))
    held_on = _field("held_on", "Ngày tổ chức", DateWidget())
    expected_attendees = _field("expected_attendees", "Số người phải dự", widgets.IntegerWidget())
    present_attendees = _field("present_attendees", "Số người dự", widgets.IntegerWidget())
    learning_reports = _field(
        "learning_reports", "Số bài thu hoạch", widgets.IntegerWidget(), default=0
    )
    missing_reports_note = _field("missing_reports_note", "Người chưa nộp bài thu hoạch")

    scope_area = AREA

    class Meta:
        model = Conference
        import_id_fields = ("id",)
        fields = (
            "id",
            "document",
            "document_symbol",
            "unit",
            "held_on",
            "expected_attendees",
            "present_attendees",
            "learning_reports",
            "missing_reports_note",
        )
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            Conference.objects.restrict(self.user).select_related("document", "unit").order_by("id")
        )

    def in_scope(self, instance) -> bool:
        return True  # checked with the rest of the rules in validate_instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        _collect(
            errors, lambda: services.conference_check_import(actor=self.user, conference=instance)
        )
        super().validate_instance(instance, errors, validate_unique)


register(
    Register("documents", _("Văn bản"), DocumentResource, AREA),
    Register("tasks", _("Nhiệm vụ triển khai"), TaskResource, AREA),
    Register("conferences", _("Hội nghị học tập, quán triệt"), ConferenceResource, AREA),
)
