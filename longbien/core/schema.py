"""The OpenAPI schema of the API says what the API really answers, for every operation at once.

:class:`AutoSchema` (``DEFAULT_SCHEMA_CLASS``) adds to drf-spectacular's own:

- the refusals every operation may give, with their bodies: 400 (field errors, or
  ``{"detail": ...}`` for a request that cannot be read), 401, 403, 404 where the path names
  a record or the list is paged, 413 and 415 where a body is sent, 429 when throttled;
- a read-only field is ``null`` or blank (``""`` among a choice field's values) when its model
  field may store that: a read-only field shows what is stored, and DRF drops ``allow_blank``
  from the read-only fields it builds;
- only the ``list`` action is paged: the other actions answer with plain lists;
- the ``X-Change-Reason`` header on every write (:class:`longbien.core.api.ChangeReasonMixin`).

``tests/core/test_api_contract.py`` calls every operation with generated requests and checks
each answer against this schema.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from longbien.core.api import (
    CHANGE_REASON_EXAMPLE,
    CHANGE_REASON_HEADER,
    CHANGE_REASON_MAX_LENGTH,
    ChangeReasonMixin,
)


def _components() -> tuple[ResolvedComponent, ResolvedComponent]:
    """The bodies of the refusals: ``{"detail": ...}``, and the field errors of a 400."""
    detail = ResolvedComponent(
        name="ErrorDetail",
        type=ResolvedComponent.SCHEMA,
        object="ErrorDetail",
        schema={
            "type": "object",
            "description": _("Một thông báo lỗi."),
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    )
    field_errors = ResolvedComponent(
        name="FieldErrors",
        type=ResolvedComponent.SCHEMA,
        object="FieldErrors",
        schema={
            "type": "object",
            "description": _(
                "Lỗi theo từng trường: tên trường → danh sách thông báo (lỗi chung của cả dữ "
                "liệu ở khóa non_field_errors); dữ liệu lồng nhau có lỗi theo cùng cấu trúc."
            ),
            "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
        },
    )
    return detail, field_errors


BODY_METHODS = {"POST", "PUT", "PATCH"}


def _error(description: Any, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _stored_as(field: serializers.Field) -> tuple[bool, bool]:
    """Whether the model field a serializer field reads may hold ``None``, or ``""``.

    Follows the field's ``source`` through the serializer's model; a nullable relation on the
    way makes the value nullable. A source that is no model field (a property, a method) says
    nothing: (False, False).
    """
    if not isinstance(field, serializers.Field) or getattr(field, "parent", None) is None:
        return False, False  # not bound to a serializer: nothing to follow
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    nullable = blank = False
    for attr in field.source_attrs:
        if model is None:
            return False, False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False, False
        if not getattr(model_field, "concrete", False):
            return False, False  # reverse relations: lists, or an absent one-to-one
        nullable = nullable or bool(model_field.null)
        if model_field.is_relation:
            model = model_field.related_model
            blank = False
        else:
            model = None
            blank = bool(model_field.blank)
    return nullable, blank


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not schema or not getattr(field, "read_only", False) or "$ref" in schema:
            return schema
        nullable, blank = _stored_as(field)
        if nullable and not field.allow_null:
            schema["nullable"] = True
            if "enum" in schema and None not in schema["enum"]:
                schema["enum"].append(None)
        if blank and "enum" in schema and "" not in schema["enum"]:
            schema["enum"].append("")
        return schema

    def _get_paginator(self) -> Any:
        # Custom actions return plain lists (a test's participants, the tasks just assigned).
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()

    def get_filter_backends(self) -> list[Any]:
        # Nor do they filter or order what they return.
        if getattr(self.view, "action", "list") != "list":
            return []
        return super().get_filter_backends()

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method not in permissions.SAFE_METHODS and isinstance(self.view, ChangeReasonMixin):
            parameters.append(
                OpenApiParameter(
                    CHANGE_REASON_HEADER,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=_(
                        "Lý do thay đổi, ghi vào lịch sử thay đổi của các bản ghi mà yêu cầu "
                        "này ghi (như ô “Lý do thay đổi” của các trang). Tiêu đề HTTP chỉ mang "
                        "ký tự Latin-1: gửi văn bản UTF-8 mã hóa phần trăm, ví dụ %(example)s, "
                        "có thể kèm tiền tố RFC 8187 (UTF-8''…). Tối đa %(max)d ký tự sau khi "
                        "giải mã; lý do không giải mã được, quá dài hoặc chứa ký tự NUL bị từ "
                        "chối (400)."
                    )
                    % {"example": CHANGE_REASON_EXAMPLE, "max": CHANGE_REASON_MAX_LENGTH},
                )
            )
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            responses.setdefault(code, response)
        return responses

    def _error_responses(self) -> dict[str, dict[str, Any]]:
        detail_component, field_errors = _components()
        self.registry.register_on_missing(detail_component)
        self.registry.register_on_missing(field_errors)
        detail = detail_component.ref
        errors: dict[str, dict[str, Any]] = {
            "400": _error(
                _('Yêu cầu không hợp lệ: lỗi theo từng trường, hoặc {"detail": ...}.'),
                {"anyOf": [field_errors.ref, detail]},
            ),
        }
        if {} not in (self.get_auth() or [{}]):
            errors["401"] = _error(_("Chưa đăng nhập, hoặc token không hợp lệ."), detail)
        errors["403"] = _error(_("Không có quyền thực hiện thao tác này."), detail)
        paged = self._get_paginator() is not None and self._is_list_view()
        if "{" in self.path or paged:
            errors["404"] = _error(
                _("Không tìm thấy bản ghi (hoặc bản ghi ngoài phạm vi của bạn), hoặc trang."),
                detail,
            )
        if self.method in BODY_METHODS:
            errors["413"] = _error(_("Dữ liệu gửi lên quá lớn."), detail)
            errors["415"] = _error(_("Kiểu nội dung (Content-Type) không được hỗ trợ."), detail)
        if self.view.get_throttles():
            errors["429"] = _error(_("Quá nhiều yêu cầu; hãy thử lại sau."), detail)
        return errors
