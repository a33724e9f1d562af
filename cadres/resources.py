"""Import/export of evaluations, personnel decisions and test results (Vietnamese headers).

Every imported row goes through the services' checks (``*_check_import``), the same rules
as on the pages: scope of the stored and the new row, the evaluation workflow and its locked
months, nobody's own evaluation or score. People, units and test sessions are looked up only
within the user's scope, so a code outside it reads as unknown and reveals nothing. Every
message is Vietnamese: a bad cell never reaches the user as Python or SQL text.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import (
    ValidationError,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from longbien.core.io import (
    ChoiceLabelWidget,
    DateWidget,
    FileInstanceLoader,
    LookupWidget,
    Register,
    ServiceResource,
    name_column,
    register,
)
from longbien.org import scope
from longbien.org.models import OrgUnit, Person, Position

from . import selectors, services
from .choices import RATING_ABBREVIATIONS, DecisionKind, EvaluationStatus, Rating, TestResult
from .models import Evaluation, PersonnelDecision, QualificationTest, TestParticipant


class CodeWidget(LookupWidget):
    """A lookup by code in a catalogue (positions): unknown values name the catalogue."""

    def unknown(self, value: Any) -> str:
        return _("Không tìm thấy “%(value)s” trong danh mục %(what)s.") % {
            "value": value,
            "what": self.model._meta.verbose_name,
        }

    def invalid(self, value: Any) -> str:
        return self.unknown(value)


class ScopedCodeWidget(CodeWidget):
    """A lookup within the importing user's scope through an app selector (``scoped``)."""


class PersonWidget(ScopedCodeWidget):
    def __init__(self) -> None:
        super().__init__(Person, field="code")

    def scoped(self, user: Any):
        return selectors.people_in_scope(user=user)

    def lookup_key(self, value: Any) -> str:
        return super().lookup_key(value).upper()

    def clean(self, value, row=None, **kwargs):
        return super().clean(str(value).strip().upper() if value else value, row, **kwargs)

    def unknown(self, value: Any) -> str:
        return services.unknown_person_message(str(value).strip())


class UnitWidget(ScopedCodeWidget):
    def __init__(self) -> None:
        super().__init__(OrgUnit, field="code")

    def scoped(self, user: Any):
        return selectors.units_in_scope(user=user)

    def unknown(self, value: Any) -> str:
        return _("Không có đơn vị mã “%(code)s” trong phạm vi của bạn.") % {"code": value}


class TestWidget(ScopedCodeWidget):
    def __init__(self) -> None:
        super().__init__(QualificationTest, field="pk")

    def scoped(self, user: Any):
        return selectors.tests_in_scope(user=user)

    def unknown(self, value: Any) -> str:
        return _("Không có kỳ sát hạch mã “%(code)s” trong phạm vi của bạn.") % {"code": value}


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number (Excel may hold 2026.0), with a Vietnamese error for anything else."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4:
            return int(value)  # a file's thousands of years and months: plain digits
        else:
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value() or abs(number) > 9999:
            raise ValueError(_("“%(value)s” không phải là số nguyên.") % {"value": value})
        return int(number)


class ScoreWidget(widgets.DecimalWidget):
    """A score typed as 85, 85.5 or 85,5; an empty cell means no score (yet)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return services.parse_score(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from exc


def _rating_widget() -> ChoiceLabelWidget:
    widget = ChoiceLabelWidget(Rating.choices)
    # Abbreviations (HTXSNV, …) are accepted on import as well.
    widget.aliases = {abbr.lower(): value for value, abbr in RATING_ABBREVIATIONS.items()}
    original = widget.clean

    def clean(value, row=None, **kwargs):
        text = (str(value) if value is not None else "").strip().lower()
        if text in widget.aliases:
            return widget.aliases[text]
        return original(value, row, **kwargs)

    widget.clean = clean
    return widget


class StoredRowLoader(FileInstanceLoader):
    """Find the stored row a line updates, in scope or not, for the service to judge.

    The lookup values themselves (person, session) are found only within the user's scope;
    a stored row kept by another unit (a cadre who moved since) is then refused by the
    service check, by the scope rule, instead of failing as a duplicate. A value that cannot
    be found is reported with its own column, by :meth:`import_instance`.
    """

    def get_queryset(self):
        return self.resource._meta.model._default_manager.all()


class CadresServiceResource(ServiceResource):
    """Scoped lookups for the user; every row is written by the app's services."""

    scope_area = scope.Area.CADRES


class EvaluationResource(CadresServiceResource):
    person = fields.Field(attribute="person", column_name="Mã cán bộ", widget=PersonWidget())
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    unit_name = name_column("unit__name", "Đơn vị")
    unit = fields.Field(
        attribute="unit", column_name="Mã đơn vị", readonly=True, widget=UnitWidget()
    )
    year = fields.Field(attribute="year", column_name="Năm", widget=WholeNumberWidget())
    month = fields.Field(attribute="month", column_name="Tháng", widget=WholeNumberWidget())
    self_rating = fields.Field(
        attribute="self_rating", column_name="Tự xếp loại", widget=_rating_widget(), default=""
    )
    proposed_rating = fields.Field(
        attribute="proposed_rating", column_name="Cấp trên đề xuất", widget=_rating_widget(),
        default="",
    )  # fmt: skip
    rating = fields.Field(
        attribute="rating", column_name="Xếp loại", widget=_rating_widget(), default=""
    )
    status = fields.Field(
        attribute="status", column_name="Trạng thái", readonly=True,
        widget=ChoiceLabelWidget(EvaluationStatus.choices),
    )  # fmt: skip

    class Meta:
        model = Evaluation
        instance_loader_class = StoredRowLoader
        import_id_fields = ("person", "year", "month")
        fields = (
            "person", "full_name", "unit_name", "unit", "year", "month", "self_rating", "proposed_rating",
            "rating", "status",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "unit")
            .order_by("-year", "-month", "unit__path", "person__sort_key")
        )

    def import_instance(self, instance, row, **kwargs):
        stored = {f: getattr(instance, f) for f in services.RATING_FIELDS} if instance.pk else {}
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # An empty cell leaves a recorded rating as it is (as an empty row on the grid).
            for field, value in stored.items():
                if not getattr(instance, field):
                    setattr(instance, field, value)

    batch_create = True

    def create(self, *, values):
        return services.evaluation_record_paper(actor=self.user, reason=self.reason, **values)

    def update(self, *, stored, changes):
        values = {"person": stored.person, "year": stored.year, "month": stored.month, **changes}
        return self.create(values=values)

    def create_many(self, *, rows):
        return services.evaluation_record_paper_many(actor=self.user, rows=rows, reason=self.reason)


class DecisionResource(CadresServiceResource):
    person = fields.Field(attribute="person", column_name="Mã cán bộ", widget=PersonWidget())
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    kind = fields.Field(
        attribute="kind", column_name="Loại quyết định",
        widget=ChoiceLabelWidget(DecisionKind.choices),
    )  # fmt: skip
    symbol = fields.Field(attribute="symbol", column_name="Số quyết định")
    decision_date = fields.Field(
        attribute="decision_date", column_name="Ngày quyết định", widget=DateWidget()
    )
    from_position = fields.Field(
        attribute="from_position", column_name="Chức vụ cũ",
        widget=CodeWidget(Position, field="name"),
    )  # fmt: skip
    from_unit_name = name_column("from_unit__name", "Đơn vị cũ")
    from_unit = fields.Field(attribute="from_unit", column_name="Mã đơn vị cũ", widget=UnitWidget())
    to_position = fields.Field(
        attribute="to_position", column_name="Chức vụ mới",
        widget=CodeWidget(Position, field="name"),
    )  # fmt: skip
    to_unit_name = name_column("to_unit__name", "Đơn vị mới")
    to_unit = fields.Field(attribute="to_unit", column_name="Mã đơn vị mới", widget=UnitWidget())
    note = fields.Field(attribute="note", column_name="Ghi chú", default="")

    class Meta:
        model = PersonnelDecision
        instance_loader_class = StoredRowLoader
        import_id_fields = ("person", "kind", "symbol")
        fields = (
            "person", "full_name", "kind", "symbol", "decision_date", "from_position",
            "from_unit_name", "from_unit", "to_position", "to_unit_name", "to_unit", "note",
        )  # fmt: skip
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "from_position", "from_unit", "to_position", "to_unit")
            .order_by("-decision_date", "-id")
        )

    def create(self, *, values):
        return services.decision_create(actor=self.user, **values)

    def update(self, *, stored, changes):
        return services.decision_update(
            actor=self.user, decision=stored, reason=self.reason, **changes
        )


class TestResultResource(CadresServiceResource):
    test = fields.Field(attribute="test", column_name="Mã kỳ sát hạch", widget=TestWidget())
    subject = fields.Field(attribute="test__subject", column_name="Nội dung", readonly=True)
    person = fields.Field(attribute="person", column_name="Mã cán bộ", widget=PersonWidget())
    full_name = fields.Field(attribute="person__full_name", column_name="Họ và tên", readonly=True)
    score = fields.Field(attribute="score", column_name="Điểm", widget=ScoreWidget())
    result = fields.Field(
        attribute="result", column_name="Kết quả", readonly=True,
        widget=ChoiceLabelWidget(TestResult.choices),
    )  # fmt: skip

    class Meta:
        model = TestParticipant
        instance_loader_class = StoredRowLoader
        import_id_fields = ("test", "person")
        fields = ("test", "subject", "person", "full_name", "score", "result")
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("test", "person").order_by("test", "person")

    def import_instance(self, instance, row, **kwargs):
        stored = instance.score if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if instance.score is None:
                instance.score = stored  # an empty cell leaves an entered score as it is

    def create(self, *, values):
        return services.test_result_record(actor=self.user, **values)

    def update(self, *, stored, changes):
        return services.test_result_record(
            actor=self.user, test=stored.test, person=stored.person, **changes
        )


register(
    Register("evaluations", gettext_lazy("Đánh giá cán bộ hằng tháng"), EvaluationResource, scope.Area.CADRES),
    Register("decisions", gettext_lazy("Quyết định nhân sự"), DecisionResource, scope.Area.CADRES),
    Register("test-results", gettext_lazy("Kết quả sát hạch"), TestResultResource, scope.Area.CADRES),
)  # fmt: skip
