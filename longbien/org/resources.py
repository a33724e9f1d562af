"""Import/export of units and people, with Vietnamese column headers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.instance_loaders import CachedInstanceLoader

from longbien.core.io import (  # noqa: F401  (the widgets are imported from here too)
    BooleanWidget,
    ChoiceLabelWidget,
    DateWidget,
    LookupWidget,
    Register,
    ServiceResource,
    name_column,
    register,
)
from longbien.org import scope

from . import services
from .choices import ManagementLevel
from .models import OrgUnit, Person, Position


class UnitResource(ServiceResource):
    code = fields.Field(attribute="code", column_name="Mã đơn vị")
    name = fields.Field(attribute="name", column_name="Tên đơn vị")
    kind = fields.Field(
        attribute="kind",
        column_name="Loại",
        widget=ChoiceLabelWidget(OrgUnit._meta.get_field("kind").choices),
    )
    parent_name = name_column("parent__name", "Đơn vị cấp trên")
    parent = fields.Field(
        attribute="parent",
        column_name="Mã đơn vị cấp trên",
        widget=LookupWidget(OrgUnit, field="code"),
    )
    valid_from = fields.Field(
        attribute="valid_from", column_name="Hiệu lực từ", widget=DateWidget()
    )
    valid_to = fields.Field(attribute="valid_to", column_name="Hiệu lực đến", widget=DateWidget())

    scope_area = scope.Area.ORG

    class Meta:
        model = OrgUnit
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "parent_name", "parent", "valid_from", "valid_to")
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("parent").order_by("path")

    def create(self, *, values):
        valid_to = values.pop("valid_to", None)
        unit = services.unit_create(actor=self.user, reason=self.reason, **values)
        if valid_to:
            unit = services.unit_close(
                actor=self.user, unit=unit, on_date=valid_to, reason=self.reason
            )
        return unit

    def update(self, *, stored, changes):
        valid_to = changes.pop("valid_to", stored.valid_to)
        if changes:
            stored = services.unit_update(
                actor=self.user, unit=stored, reason=self.reason, **changes
            )
        if valid_to != stored.valid_to:
            if stored.valid_to is not None or valid_to is None:
                raise ValidationError(
                    {"valid_to": _("Đơn vị đã giải thể chỉ mở lại được trên trang đơn vị.")}
                )
            stored = services.unit_close(
                actor=self.user, unit=stored, on_date=valid_to, reason=self.reason
            )
        return stored


class PersonResource(ServiceResource):
    code = fields.Field(attribute="code", column_name="Mã cán bộ")
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    birth_date = fields.Field(attribute="birth_date", column_name="Ngày sinh", widget=DateWidget())
    sex = fields.Field(
        attribute="sex",
        column_name="Giới tính",
        widget=ChoiceLabelWidget(Person._meta.get_field("sex").choices),
    )
    party_member_since = fields.Field(
        attribute="party_member_since", column_name="Ngày vào Đảng", widget=DateWidget()
    )
    unit_name = name_column("unit__name", "Đơn vị")
    unit = fields.Field(
        attribute="unit",
        column_name="Mã đơn vị",
        widget=LookupWidget(OrgUnit, field="code"),
    )
    position = fields.Field(
        attribute="position",
        column_name="Chức vụ",
        widget=LookupWidget(Position, field="name"),
    )
    management_level = fields.Field(
        attribute="management_level",
        column_name="Diện quản lý",
        widget=ChoiceLabelWidget(Person._meta.get_field("management_level").choices),
        default=ManagementLevel.NONE,
    )
    is_active = fields.Field(
        attribute="is_active",
        column_name="Đang công tác",
        widget=BooleanWidget(),
        default=True,
    )

    scope_area = scope.Area.PEOPLE

    class Meta:
        model = Person
        import_id_fields = ("code",)
        # The stored rows of the whole file in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        fields = (
            "code",
            "full_name",
            "birth_date",
            "sex",
            "party_member_since",
            "unit_name",
            "unit",
            "position",
            "management_level",
            "is_active",
        )
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "position").order_by("sort_key", "id")

    batch_create = True

    def create(self, *, values):
        return services.person_create(actor=self.user, reason=self.reason, **values)

    def create_many(self, *, rows):
        return services.person_create_many(actor=self.user, rows=rows, reason=self.reason)

    def update(self, *, stored, changes):
        return services.person_update(actor=self.user, person=stored, reason=self.reason, **changes)


register(
    Register("units", _("Đơn vị"), UnitResource, scope.Area.ORG),
    # Bulk export of personal data: only those who keep the register (and it is logged).
    Register(
        "people",
        _("Cán bộ, đảng viên"),
        PersonResource,
        scope.Area.PEOPLE,
        export_action=scope.CHANGE,
    ),
)
