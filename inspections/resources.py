"""Import/export of plan items, inspections and supervisions, discipline decisions (and an
export of cases for the inspection role), with Vietnamese column headers.

Every imported row goes through the services (``plan_item_add``/``plan_item_update``,
``inspection_create``/``inspection_update`` and the workflow steps marked ``imports=True``,
``discipline_create``): the same checks, scope, audit and overlap rules as on the pages.
Units, people, plan items and inspections are looked up within the importer's scope only.

A plan item names its plan by the planning body's code and the year; a body that has no plan
for that year yet gets one (``plan_create``, which checks that the importer may plan for it).
"""

from __future__ import annotations

import datetime as dt
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
from longbien.org.models import OrgUnit, Person

from . import services
from .choices import (
    Activity,
    CaseKind,
    CaseLevel,
    CaseOutcome,
    CaseStatus,
    DisciplineForm,
    InspectionKind,
    InspectionStatus,
    PlanItemStatus,
    SubjectType,
)
from .models import Case, Discipline, Inspection, Plan, PlanItem, month_end
from .workflows import INSPECTION_WORKFLOW

YEAR_HEADER = "Năm"
PLAN_BODY_HEADER = "Mã cơ quan lập kế hoạch"


def _field(name: str, header: str, widget: Any = None, **kwargs: Any) -> fields.Field:
    return fields.Field(
        attribute=name,
        column_name=header,
        widget=widget or widgets.CharWidget(allow_blank=True),
        **kwargs,
    )


class UnitWidget(LookupWidget):
    """A unit by its code, among the units the importer may see."""

    def __init__(self) -> None:
        super().__init__(OrgUnit, field="code")

    def unknown(self, value: Any) -> str:
        return _("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": value}


class ShownUnitWidget(UnitWidget):
    """A unit in the importer's scope, or one that a record they read already names in this
    column (the district body behind an inspection of their ward).

    An export lists such rows with that unit's code; read back, the code is found, so an
    unchanged row stays unchanged, and a change to the row is then judged by the service.
    Nothing is disclosed that the export did not show.
    """

    def __init__(self, model: type, column: str) -> None:
        super().__init__()
        self.record_model, self.column = model, column

    def scoped(self, user: Any):
        shown = self.record_model.objects.restrict(user).values(self.column)
        return OrgUnit.objects.filter(
            Q(pk__in=OrgUnit.objects.restrict(user).values("pk")) | Q(pk__in=shown)
        )


class PersonWidget(LookupWidget):
    """A party member by code (typed in any case), among the people the importer may see."""

    def __init__(self) -> None:
        super().__init__(Person, field="code")

    def lookup_key(self, value: Any) -> str:
        return super().lookup_key(value).upper()

    def clean(self, value, row=None, **kwargs):
        return super().clean(str(value).strip().upper() if value else value, row, **kwargs)

    def unknown(self, value: Any) -> str:
        return _("Không có đảng viên mã “%(code)s” trong phạm vi của bạn.") % {"code": value}


class RecordWidget(LookupWidget):
    """A plan item or an inspection by its ID, among those the importer may see."""

    def unknown(self, value: Any) -> str:
        return _("Không tìm thấy %(model)s có ID “%(value)s” trong phạm vi của bạn.") % {
            "model": self.model._meta.verbose_name,
            "value": value,
        }


def _year(row: Any) -> int | None:
    """The plan's year typed in the row (Excel may hold 2026.0)."""
    value = (row or {}).get(YEAR_HEADER)
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and 2000 <= number <= 2100 else None


class PlanWidget(LookupWidget):
    """The plan of the body in this cell for the row's year (``Năm``).

    A body in the importer's scope without a plan for that year gives an unsaved plan, which
    :meth:`PlanItemResource.create` opens through ``plan_create``.
    """

    def __init__(self) -> None:
        super().__init__(Plan, field="body__code")

    def preload(self, values: Any) -> None:
        return  # a plan is found by two cells: looked up per (body, year), then remembered

    def clean(self, value, row=None, **kwargs):
        code = (str(value).strip() if value is not None else "").upper()
        if not code:
            return None
        year = _year(row)
        if year is None:
            raise ValueError(
                _("Hãy ghi năm của kế hoạch (cột “%(column)s”).") % {"column": YEAR_HEADER}
            )
        key = f"{code}|{year}"
        found = self.remembered(key)
        if found is not None:
            return found
        # A plan the importer keeps, or one whose items they read (another body's visit to
        # their ward): an unchanged row comes back unchanged, a change is the service's call.
        plan = (
            Plan.objects.restrict(self.user).filter(body__code__iexact=code, year=year).first()
            or Plan.objects.filter(
                body__code__iexact=code,
                year=year,
                pk__in=PlanItem.objects.restrict(self.user).values("plan"),
            ).first()
        )
        if plan is None:
            body = OrgUnit.objects.restrict(self.user).filter(code__iexact=code).first()
            if body is None:
                raise ValueError(
                    _("Không có cơ quan mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
                )
            if Plan.objects.filter(body=body, year=year).exists():
                raise ValueError(
                    _("Bạn không có quyền với kế hoạch năm %(year)s của %(body)s.")
                    % {"year": year, "body": body.name}
                )
            plan = Plan(body=body, year=year)  # opened by the service when the row is saved
        self.remember(key, plan)
        return plan

    def render(self, value, obj=None, **kwargs):
        return value.body.code if value is not None else ""


class MonthWidget(widgets.Widget):
    """A month of the plan's year, typed 1–12; stored as its first (or last) day."""

    def __init__(self, *, last: bool = False) -> None:
        super().__init__()
        self.last = last

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            number = 0.5
        if not number.is_integer() or not 1 <= number <= 12:
            raise ValueError(
                _("Tháng phải là số từ 1 đến 12, không phải “%(value)s”.") % {"value": value}
            )
        year = _year(row)
        if year is None:
            raise ValueError(
                _("Hãy ghi năm của kế hoạch (cột “%(column)s”).") % {"column": YEAR_HEADER}
            )
        first = dt.date(year, int(number), 1)
        return month_end(first) if self.last else first

    def render(self, value, obj=None, **kwargs):
        return value.month if value else ""


class RequiredRelations:
    """Blank cells of a required relation get a Vietnamese message, not Python's.

    ``derive(instance)`` first fills what the service would derive (a member's unit, the
    plan's body as the team's lead); each relation in ``required`` still empty is reported
    with its column's header.
    """

    required: tuple[str, ...] = ()

    def derive(self, instance: Any) -> None:
        return None

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict({})
        self.derive(instance)
        headers = {f.attribute: f.column_name for f in self.fields.values()}
        for name in self.required:
            if name not in errors and not _has(instance, name):
                errors[name] = [_("Hãy ghi “%(column)s”.") % {"column": headers.get(name, name)}]
        if errors:
            raise ValidationError(errors)


def _has(instance: Any, name: str) -> bool:
    """Whether a relation is set: by its id, or to a record not saved yet (a new plan)."""
    if getattr(instance, f"{name}_id", None) is not None:
        return True
    return instance._state.fields_cache.get(name) is not None


def _member_unit(instance: Any, unit: str, person: str) -> None:
    """A member's record belongs to the member's unit when the unit cell is blank."""
    if getattr(instance, f"{unit}_id") is None and getattr(instance, f"{person}_id") is not None:
        setattr(instance, unit, getattr(instance, person).unit)


class PlanItemResource(RequiredRelations, ServiceResource):
    id = _field("id", "ID", IntegerWidget())
    body_name = name_column("plan__body__name", "Cơ quan lập kế hoạch")
    plan = _field("plan", PLAN_BODY_HEADER, PlanWidget())
    year = fields.Field(attribute="plan__year", column_name=YEAR_HEADER, readonly=True)
    activity = _field("activity", "Hoạt động", ChoiceLabelWidget(Activity.choices))
    subject_type = _field("subject_type", "Đối tượng", ChoiceLabelWidget(SubjectType.choices))
    topic = _field("topic", "Nội dung")
    target_unit_name = name_column("target_unit__name", "Đơn vị được kiểm tra, giám sát")
    target_unit = _field(
        "target_unit", "Mã đơn vị được kiểm tra, giám sát", ShownUnitWidget(PlanItem, "target_unit")
    )
    target_person_name = name_column("target_person__full_name", "Đảng viên")
    target_person = _field("target_person", "Mã đảng viên", PersonWidget())
    starts_on = _field("starts_on", "Từ tháng", MonthWidget())
    ends_on = _field("ends_on", "Đến tháng", MonthWidget(last=True))
    lead_body_name = name_column("lead_body__name", "Cơ quan chủ trì đoàn")
    lead_body = _field(
        "lead_body", "Mã cơ quan chủ trì đoàn", ShownUnitWidget(PlanItem, "lead_body")
    )
    status = fields.Field(
        attribute="status", column_name="Trạng thái", readonly=True,
        widget=ChoiceLabelWidget(PlanItemStatus.choices),
    )  # fmt: skip
    justification = fields.Field(
        attribute="justification", column_name="Giải trình trùng lặp", readonly=True
    )

    scope_area = scope.Area.INSPECTION_PLANS
    # An item belongs to its plan; moving it to another body's plan is a new item.
    fixed_on_update = ("plan",)
    required = ("plan", "target_unit", "lead_body")

    def derive(self, instance):
        _member_unit(instance, "target_unit", "target_person")
        plan = instance._state.fields_cache.get("plan")
        if instance.lead_body_id is None and plan is not None:
            instance.lead_body = plan.body  # the service's default: the planning body leads

    error_fields = {"start_month": "starts_on", "end_month": "ends_on"}

    class Meta:
        model = PlanItem
        import_id_fields = ("id",)
        fields = (
            "id", "body_name", "plan", "year", "activity", "subject_type", "topic",
            "target_unit_name", "target_unit", "target_person_name", "target_person",
            "starts_on", "ends_on", "lead_body_name", "lead_body", "status", "justification",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            PlanItem.objects.restrict(self.user)
            .select_related("plan__body", "target_unit", "target_person", "lead_body")
            .order_by("-plan__year", "plan__body__sort_key", "starts_on", "id")
        )

    def create(self, *, values):
        plan = values["plan"]
        if plan is None:
            raise ValidationError({"plan": _("Hãy ghi mã cơ quan lập kế hoạch.")})
        if plan.pk is None:
            plan = Plan.objects.filter(body=plan.body, year=plan.year).first() or (
                services.plan_create(
                    actor=self.user, body=plan.body, year=plan.year, reason=self.reason
                )
            )
        starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
        return services.plan_item_add(
            actor=self.user, plan=plan, activity=values.get("activity") or "",
            subject_type=values.get("subject_type") or "", topic=values.get("topic") or "",
            start_month=starts_on.month if starts_on else None,
            end_month=ends_on.month if ends_on else None,
            target_unit=values.get("target_unit"), target_person=values.get("target_person"),
            lead_body=values.get("lead_body"), reason=self.reason,
        )  # fmt: skip

    def update(self, *, stored, changes):
        changes = dict(changes)
        if "starts_on" in changes:
            start = changes.pop("starts_on")
            changes["start_month"] = start.month if start else None
        if "ends_on" in changes:
            end = changes.pop("ends_on")
            changes["end_month"] = end.month if end else None
        return services.plan_item_update(
            actor=self.user, item=stored, reason=self.reason, **changes
        )


# --- Inspections and supervisions ---------------------------------------------------------------

#: The life cycle's order: an import moves a record forward only, through the steps marked
#: ``imports=True`` in ``INSPECTION_WORKFLOW``.
_ORDER = [IS.value for IS in InspectionStatus]
_STEP_TO = {
    InspectionStatus.IN_PROGRESS: "start",
    InspectionStatus.CONCLUDED: "conclude",
    InspectionStatus.CLOSED: "close",
}
#: What ``inspection_update`` may correct; the rest of a record is its identity.
_EDITABLE = ("topic", "kind", "team", "starts_on", "ends_on", "findings", "conclusion",
             "concluded_on")  # fmt: skip


class InspectionResource(RequiredRelations, ServiceResource):
    id = _field("id", "ID", IntegerWidget())
    activity = _field("activity", "Hoạt động", ChoiceLabelWidget(Activity.choices))
    subject_type = _field("subject_type", "Đối tượng", ChoiceLabelWidget(SubjectType.choices))
    kind = _field("kind", "Loại", ChoiceLabelWidget(InspectionKind.choices))
    topic = _field("topic", "Nội dung")
    unit_name = name_column("unit__name", "Đơn vị được kiểm tra, giám sát")
    unit = _field("unit", "Mã đơn vị được kiểm tra, giám sát", UnitWidget())
    person_name = name_column("person__full_name", "Đảng viên")
    person = _field("person", "Mã đảng viên", PersonWidget())
    conducting_body_name = name_column("conducting_body__name", "Cơ quan tiến hành")
    conducting_body = _field(
        "conducting_body", "Mã cơ quan tiến hành", ShownUnitWidget(Inspection, "conducting_body")
    )
    plan_item = _field("plan_item", "ID nội dung kế hoạch", RecordWidget(PlanItem))
    team = _field("team", "Đoàn kiểm tra, giám sát")
    starts_on = _field("starts_on", "Ngày bắt đầu", DateWidget())
    ends_on = _field("ends_on", "Ngày kết thúc dự kiến", DateWidget())
    findings = _field("findings", "Kết quả kiểm tra, giám sát")
    conclusion = _field("conclusion", "Kết luận")
    concluded_on = _field("concluded_on", "Ngày kết luận", DateWidget())
    closed_on = _field("closed_on", "Ngày kết thúc", DateWidget())
    status = _field(
        "status", "Trạng thái", ChoiceLabelWidget(InspectionStatus.choices),
        default=InspectionStatus.PLANNED,
    )  # fmt: skip

    scope_area = scope.Area.INSPECTIONS
    fixed_on_update = ("activity", "subject_type", "unit", "person", "conducting_body", "plan_item")
    required = ("unit", "conducting_body")

    def derive(self, instance):
        _member_unit(instance, "unit", "person")

    class Meta:
        model = Inspection
        import_id_fields = ("id",)
        fields = (
            "id", "activity", "subject_type", "kind", "topic", "unit_name", "unit", "person_name",
            "person", "conducting_body_name", "conducting_body", "plan_item", "team", "starts_on",
            "ends_on", "findings", "conclusion", "concluded_on", "closed_on", "status",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            Inspection.objects.restrict(self.user)
            .select_related("unit", "person", "conducting_body")
            .order_by("starts_on", "id")
        )

    def create(self, *, values):
        inspection = services.inspection_create(
            actor=self.user, activity=values.get("activity") or "",
            subject_type=values.get("subject_type") or "", kind=values.get("kind") or "",
            topic=values.get("topic") or "", conducting_body=values.get("conducting_body"),
            starts_on=values.get("starts_on"), unit=values.get("unit"),
            person=values.get("person"), plan_item=values.get("plan_item"),
            team=values.get("team") or "", ends_on=values.get("ends_on"), reason=self.reason,
        )  # fmt: skip
        return self._advance(inspection, values)

    def update(self, *, stored, changes):
        moving = "status" in changes
        edits = {name: changes[name] for name in _EDITABLE if name in changes}
        if moving:
            # The conclusion of a record being concluded by this row goes with the step.
            for name in ("conclusion", "concluded_on", "findings"):
                if stored.status in (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS):
                    edits.pop(name, None)
        elif "closed_on" in changes:
            raise ValidationError(
                {"closed_on": _("Ngày kết thúc chỉ ghi khi chuyển sang trạng thái “Đã kết thúc”.")}
            )
        if edits:
            stored = services.inspection_update(
                actor=self.user, inspection=stored, reason=self.reason, **edits
            )
        if moving:
            values = {
                "conclusion": changes.get("conclusion", stored.conclusion),
                "concluded_on": changes.get("concluded_on", stored.concluded_on),
                "findings": changes.get("findings", stored.findings),
                "closed_on": changes.get("closed_on", stored.closed_on),
                "status": changes["status"],
            }
            stored = self._advance(stored, values)
        return stored

    def _advance(self, inspection: Inspection, values: dict[str, Any]) -> Inspection:
        """Take the record to the row's status through the workflow's importable steps."""
        target = values.get("status") or InspectionStatus.PLANNED
        importable = INSPECTION_WORKFLOW.reachable_states(inspection.status, only=_imports)
        if target == inspection.status:
            return inspection
        if target not in importable:
            raise ValidationError(
                {"status": _("Không chuyển được từ “%(from)s” sang “%(to)s” bằng nhập tệp.")
                 % {"from": InspectionStatus(inspection.status).label,
                    "to": InspectionStatus(target).label}}
            )  # fmt: skip
        for state in _ORDER[_ORDER.index(inspection.status) + 1 : _ORDER.index(target) + 1]:
            step = _STEP_TO[InspectionStatus(state)]
            if step == "start":
                inspection = services.inspection_start(
                    actor=self.user, inspection=inspection, reason=self.reason
                )
            elif step == "conclude":
                inspection = services.inspection_conclude(
                    actor=self.user, inspection=inspection,
                    conclusion=values.get("conclusion") or "",
                    concluded_on=values.get("concluded_on"),
                    findings=values.get("findings") or "", reason=self.reason,
                )  # fmt: skip
            else:
                if not values.get("closed_on"):
                    raise ValidationError({"closed_on": _("Hãy ghi ngày kết thúc.")})
                inspection = services.inspection_close(
                    actor=self.user, inspection=inspection, closed_on=values["closed_on"],
                    reason=self.reason,
                )  # fmt: skip
        return inspection


# --- Discipline decisions ---------------------------------------------------------------------


class DisciplineResource(RequiredRelations, ServiceResource):
    """Discipline decisions: new rows only (a recorded decision has no correcting service).

    The case behind a decision is not a column: it would tell other roles that a case exists.
    """

    id = _field("id", "ID", IntegerWidget())
    subject_type = _field("subject_type", "Đối tượng", ChoiceLabelWidget(SubjectType.choices))
    form = _field("form", "Hình thức kỷ luật", ChoiceLabelWidget(DisciplineForm.choices))
    unit_name = name_column("unit__name", "Tổ chức đảng (hoặc nơi sinh hoạt)")
    unit = _field("unit", "Mã đơn vị", UnitWidget())
    person_name = name_column("person__full_name", "Đảng viên")
    person = _field("person", "Mã đảng viên", PersonWidget())
    symbol = _field("symbol", "Số quyết định")
    decided_on = _field("decided_on", "Ngày quyết định", DateWidget())
    deciding_body_name = name_column("deciding_body__name", "Cơ quan quyết định")
    deciding_body = _field(
        "deciding_body", "Mã cơ quan quyết định", ShownUnitWidget(Discipline, "deciding_body")
    )
    inspection = _field("inspection", "ID cuộc kiểm tra", RecordWidget(Inspection))

    scope_area = scope.Area.INSPECTIONS
    required = ("unit", "deciding_body")
    fixed_on_update = ("subject_type", "form", "unit", "person", "symbol", "decided_on",
                       "deciding_body", "inspection")  # fmt: skip

    class Meta:
        model = Discipline
        import_id_fields = ("id",)
        fields = (
            "id", "subject_type", "form", "unit_name", "unit", "person_name", "person", "symbol",
            "decided_on", "deciding_body_name", "deciding_body", "inspection",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def derive(self, instance):
        _member_unit(instance, "unit", "person")

    def get_queryset(self):
        return (
            Discipline.objects.restrict(self.user)
            .select_related("unit", "person", "deciding_body")
            .order_by("decided_on", "id")
        )

    def create(self, *, values):
        return services.discipline_create(
            actor=self.user, subject_type=values.get("subject_type") or "",
            form=values.get("form") or "", symbol=values.get("symbol") or "",
            decided_on=values.get("decided_on"), deciding_body=values.get("deciding_body"),
            unit=values.get("unit"), person=values.get("person"),
            inspection=values.get("inspection"), reason=self.reason,
        )  # fmt: skip

    def update(self, *, stored, changes):  # every column is fixed_on_update
        raise ValidationError(_("Quyết định kỷ luật đã ghi không sửa được bằng nhập tệp."))


# --- Cases: export only, for the inspection role ------------------------------------------------


class CaseResource(ScopedResource):
    """Denunciations and complaints, exported for the inspection role only (each export is
    recorded in the read log by ``export_register``); never imported."""

    id = _field("id", "ID", IntegerWidget())
    kind = _field("kind", "Loại đơn", ChoiceLabelWidget(CaseKind.choices))
    level = _field("level", "Cấp giải quyết", ChoiceLabelWidget(CaseLevel.choices))
    paper_reference = _field("paper_reference", "Số hồ sơ giấy")
    received_on = _field("received_on", "Ngày nhận đơn", DateWidget())
    subject_type = _field("subject_type", "Đối tượng", ChoiceLabelWidget(SubjectType.choices))
    unit_name = name_column("unit__name", "Tổ chức (hoặc nơi sinh hoạt)")
    unit = _field("unit", "Mã đơn vị", UnitWidget())
    person_name = name_column("person__full_name", "Đảng viên")
    person = _field("person", "Mã đảng viên", PersonWidget())
    summary = _field("summary", "Tóm tắt nội dung")
    handling_body_name = name_column("handling_body__name", "Cơ quan giải quyết")
    handling_body = _field("handling_body", "Mã cơ quan giải quyết", UnitWidget())
    status = _field("status", "Trạng thái", ChoiceLabelWidget(CaseStatus.choices))
    due_on = _field("due_on", "Hạn giải quyết", DateWidget())
    outcome = _field("outcome", "Kết quả", ChoiceLabelWidget(CaseOutcome.choices))
    concluded_on = _field("concluded_on", "Ngày kết luận", DateWidget())
    closed_on = _field("closed_on", "Ngày kết thúc", DateWidget())

    scope_area = scope.Area.CONFIDENTIAL

    class Meta:
        model = Case
        fields = (
            "id", "kind", "level", "paper_reference", "received_on", "subject_type", "unit_name",
            "unit", "person_name", "person", "summary", "handling_body_name", "handling_body",
            "status", "due_on", "outcome", "concluded_on", "closed_on",
        )  # fmt: skip
        export_order = fields

    def get_queryset(self):
        return (
            Case.objects.restrict(self.user)
            .select_related("unit", "person", "handling_body")
            .order_by("-received_on", "-id")
        )


def register() -> None:
    """Register the app's registers with the kernel's import/export."""
    register_io(
        Register("plan_items", gettext_lazy("Nội dung kế hoạch kiểm tra, giám sát"),
                 PlanItemResource, scope.Area.INSPECTION_PLANS),
        Register("inspections", gettext_lazy("Cuộc kiểm tra, giám sát"), InspectionResource,
                 scope.Area.INSPECTIONS),
        Register("disciplines", gettext_lazy("Quyết định kỷ luật"), DisciplineResource,
                 scope.Area.INSPECTIONS),
        Register("cases", gettext_lazy("Đơn tố cáo, khiếu nại"), CaseResource,
                 scope.Area.CONFIDENTIAL, importable=False),
    )  # fmt: skip


def _imports(transition: Any) -> bool:
    """A step an import may record (one function: the table keeps its answers per filter)."""
    return transition.imports
