"""Import/export of documents, tasks and conferences, with Vietnamese column headers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.instance_loaders import CachedInstanceLoader

from longbien.core.io import (
    ChoiceLabelWidget,
    DateWidget,
    IntegerWidget,
    LinesWidget,
    LookupWidget,
    Register,
    ServiceResource,
    name_column,
    register,
)
from longbien.org import scope
from longbien.org.models import OrgUnit

from . import services
from .models import Conference, Document, Task

AREA = scope.Area.RESOLUTIONS


def _field(name: str, header: str, widget=None, **kwargs) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=header,
        widget=widget or widgets.CharWidget(allow_blank=True),
        **kwargs,
    )


class DocumentResource(ServiceResource):
    id = _field("id", "ID", IntegerWidget())
    symbol = _field("symbol", "Số hiệu")
    kind = _field(
        "kind", "Loại văn bản", ChoiceLabelWidget(Document._meta.get_field("kind").choices)
    )
    issuing_unit_name = name_column("issuing_unit__name", "Đơn vị ban hành")
    issuing_unit = _field("issuing_unit", "Mã đơn vị ban hành", LookupWidget(OrgUnit, field="code"))
    issuer_name = _field("issuer_name", "Cơ quan ban hành (cấp trên)")
    title = _field("title", "Trích yếu")
    summary = _field("summary", "Tóm tắt")
    topics = _field("topics", "Chủ đề", LinesWidget())
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
            "issuing_unit_name",
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

    def create(self, *, values):
        return services.document_create(actor=self.user, reason=self.reason, **values)

    def update(self, *, stored, changes):
        return services.document_update(
            actor=self.user, document=stored, reason=self.reason, **changes
        )


class TaskResource(ServiceResource):
    id = _field("id", "ID", IntegerWidget())
    document = _field("document", "ID văn bản", LookupWidget(Document))
    document_symbol = fields.Field(
        attribute="document__symbol", column_name="Số hiệu văn bản", readonly=True
    )
    parent = _field("parent", "ID nhiệm vụ cấp trên", LookupWidget(Task))
    title = _field("title", "Nội dung nhiệm vụ")
    description = _field("description", "Yêu cầu cụ thể")
    unit_name = name_column("unit__name", "Đơn vị chủ trì")
    unit = _field("unit", "Mã đơn vị chủ trì", LookupWidget(OrgUnit, field="code"))
    deadline = _field("deadline", "Thời hạn", DateWidget())
    status = _field(
        "status",
        "Trạng thái",
        ChoiceLabelWidget(Task._meta.get_field("status").choices),
        default="not_started",
    )
    progress = _field("progress", "Tiến độ (%)", IntegerWidget(), default=0)
    completed_on = _field("completed_on", "Ngày hoàn thành", DateWidget())

    scope_area = AREA
    # A task's document, unit and parent are its identity: a change is a new assignment.
    fixed_on_update = ("document", "unit", "parent")
    error_fields = {"units": "unit"}

    class Meta:
        model = Task
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        fields = (
            "id",
            "document",
            "document_symbol",
            "parent",
            "title",
            "description",
            "unit_name",
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

    def create(self, *, values):
        (task,) = services.task_assign(
            actor=self.user, document=values["document"], units=[values["unit"]],
            title=values["title"] or "", deadline=values["deadline"],
            description=values["description"] or "", parent=values["parent"],
        )  # fmt: skip
        return self._progress(task, values)

    batch_create = True

    def create_many(self, *, rows):
        return services.task_import_many(actor=self.user, rows=rows, reason=self.reason)

    def update(self, *, stored, changes):
        edits = {k: v for k, v in changes.items() if k in ("title", "description", "deadline")}
        if edits:
            stored = services.task_update(actor=self.user, task=stored, reason=self.reason, **edits)
        if {"status", "progress", "completed_on"} & set(changes):
            stored = self._progress(stored, changes)
        return stored

    def _progress(self, task, values):
        return services.task_import_progress(
            actor=self.user, task=task,
            progress=values.get("progress", task.progress),
            status=values.get("status", task.status),
            completed_on=values.get("completed_on", task.completed_on),
        )  # fmt: skip


class ConferenceResource(ServiceResource):
    id = _field("id", "ID", IntegerWidget())
    document = _field("document", "ID văn bản", LookupWidget(Document))
    document_symbol = fields.Field(
        attribute="document__symbol", column_name="Số hiệu văn bản", readonly=True
    )
    unit_name = name_column("unit__name", "Đơn vị tổ chức")
    unit = _field("unit", "Mã đơn vị tổ chức", LookupWidget(OrgUnit, field="code"))
    held_on = _field("held_on", "Ngày tổ chức", DateWidget())
    expected_attendees = _field("expected_attendees", "Số người phải dự", IntegerWidget())
    present_attendees = _field("present_attendees", "Số người dự", IntegerWidget())
    learning_reports = _field("learning_reports", "Số bài thu hoạch", IntegerWidget(), default=0)
    missing_reports_note = _field("missing_reports_note", "Người chưa nộp bài thu hoạch")

    scope_area = AREA
    fixed_on_update = ("document",)

    class Meta:
        model = Conference
        import_id_fields = ("id",)
        fields = (
            "id",
            "document",
            "document_symbol",
            "unit_name",
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

    def create(self, *, values):
        return services.conference_record(actor=self.user, reason=self.reason, **values)

    def update(self, *, stored, changes):
        return services.conference_update(
            actor=self.user, conference=stored, reason=self.reason, **changes
        )


register(
    Register("documents", _("Văn bản"), DocumentResource, AREA),
    Register("tasks", _("Nhiệm vụ triển khai"), TaskResource, AREA),
    Register("conferences", _("Hội nghị học tập, quán triệt"), ConferenceResource, AREA),
)
