"""Shared API pieces: the exception handler, the scoped viewset base and scoped related fields.

Every API resource stands on :class:`ScopedGenericViewSet` (its queryset is restricted for
the request's user and action before any action runs) and names related records through
:class:`ScopedPrimaryKeyRelatedField` or :class:`ScopedSlugRelatedField`. Every write may
carry its reason in the ``X-Change-Reason`` header (:class:`ChangeReasonMixin`). The schema
the API serves is described in :mod:`longbien.core.schema`.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import unquote_to_bytes

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from longbien.audit import audited
from longbien.confidential import ConfidentialViewSetMixin
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.text import clean_input

from .search import text_q


def exception_handler(exc: Exception, context: dict[str, Any]):
    """Turn the services' Django errors into 400 and 403 answers with their messages."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        # get_object_or_404's text ("No OrgUnit matches the given query.") is built without
        # gettext and names a model: answer DRF's own (translated) "not found" instead.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def scope_action_for(request: Any, view: Any = None) -> str:
    """The scope action an API request needs: reading for safe methods, changing otherwise.

    A view may list in ``own_actions`` the actions a person performs on their own records
    (self-assessment): those find the record by the reading rule ("own records") and leave
    the rest to the service and its workflow checks.
    """
    if request.method in permissions.SAFE_METHODS:
        return scope.VIEW
    if view is not None and getattr(view, "action", None) in getattr(view, "own_actions", ()):
        return scope.VIEW
    return scope.CHANGE


class ScopedViewSetMixin:
    """Restrict every queryset of a viewset before any action (list, retrieve, update, actions).

    Subclasses say what to show with :meth:`get_base_queryset` (a model queryset, selected
    and ordered; a selector's is fine); :meth:`get_queryset` always ends with the model's
    ``restrict(user, action)``, the action following the HTTP method, so a record out of
    scope is a 404 for every route, including custom actions that call ``get_object()``.
    """

    model: type[Any] | None = None

    def get_base_queryset(self) -> QuerySet:
        if self.model is not None:
            return self.model._default_manager.all()
        return super().get_queryset()  # type: ignore[misc]

    def get_scope_action(self) -> str:
        return scope_action_for(self.request, self)  # type: ignore[attr-defined]

    def get_queryset(self) -> QuerySet:
        user = self.request.user  # type: ignore[attr-defined]
        return self.get_base_queryset().restrict(user, self.get_scope_action())

    def reply_with(self, obj: Any, output_class: type, code: int = 200) -> Response:
        """The record as it now reads, re-read in the user's scope and serialized with
        ``output_class``: the answer of a create, an update or a workflow step. (Not ``answer``:
        a workflow step may be called that.)"""
        fresh = self.get_base_queryset().restrict(self.request.user).get(pk=obj.pk)  # type: ignore[attr-defined]
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        return Response(output_class(fresh, context=context).data, status=code)


CHANGE_REASON_HEADER = "X-Change-Reason"
# As the pages' "reason for the change" fields.
CHANGE_REASON_MAX_LENGTH = 300
# "Theo Quyết định số 12", percent-encoded UTF-8.
CHANGE_REASON_EXAMPLE = "Theo%20Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2012"
# RFC 8187 ext-value: charset'language'percent-encoded-value.
_EXT_VALUE = re.compile(r"(?P<charset>[A-Za-z0-9!#$&+^_`{}~-]+)'[A-Za-z0-9-]*'(?P<value>.*)", re.S)


def change_reason_from(request: Any) -> str:
    """The reason a write sends in ``X-Change-Reason``, decoded and cleaned ("" when none).

    HTTP headers carry Latin-1 only, so the text is sent as percent-encoded UTF-8
    (``Theo%20Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh``), optionally as an RFC 8187 ext-value
    (``UTF-8''Theo%20...``); raw UTF-8 bytes are read as such too. A value that is not UTF-8,
    holds a NUL or is longer than :data:`CHANGE_REASON_MAX_LENGTH` once cleaned is a 400.
    """
    raw = request.META.get("HTTP_X_CHANGE_REASON", "")
    if not raw:
        return ""
    match = _EXT_VALUE.fullmatch(raw)
    if match:
        if match["charset"].lower() != "utf-8":
            raise exceptions.ValidationError(
                {CHANGE_REASON_HEADER: [_("Lý do thay đổi phải được mã hóa UTF-8.")]}
            )
        raw = match["value"]
    try:
        # The WSGI server hands the header's bytes over as Latin-1 text.
        text = unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except UnicodeError as error:
        raise exceptions.ValidationError(
            {CHANGE_REASON_HEADER: [_("Lý do thay đổi phải là văn bản UTF-8 mã hóa phần trăm.")]}
        ) from error
    if "\x00" in text:
        raise exceptions.ValidationError(
            {CHANGE_REASON_HEADER: [_("Lý do thay đổi không được chứa ký tự NUL.")]}
        )
    text = clean_input(text)
    if len(text) > CHANGE_REASON_MAX_LENGTH:
        raise exceptions.ValidationError(
            {
                CHANGE_REASON_HEADER: [
                    _("Lý do thay đổi dài tối đa %(max)d ký tự (đã gửi %(length)d).")
                    % {"max": CHANGE_REASON_MAX_LENGTH, "length": len(text)}
                ]
            }
        )
    return text


class ChangeReasonMixin:
    """A write through the API carries its reason into the audit trail, as the pages' do.

    The reason in the ``X-Change-Reason`` header (:func:`change_reason_from`) is
    ``self.change_reason``; the whole action runs inside ``audited(reason=...)``, so every
    audit entry the services write for it carries the reason (a service given a reason of its
    own, such as a role's revocation, records that one).
    """

    change_reason: str = ""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with contextlib.ExitStack() as self._reason_block:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.change_reason = ""
        if request.method in permissions.SAFE_METHODS:
            return
        self.change_reason = change_reason_from(request)
        if self.change_reason:
            self._reason_block.enter_context(audited(actor=request.user, reason=self.change_reason))


class ScopedGenericViewSet(
    ChangeReasonMixin, ConfidentialViewSetMixin, ScopedViewSetMixin, viewsets.GenericViewSet
):
    """The one API base: a scoped ``GenericViewSet``; add the mixins a resource needs.

    Reads of a confidential model are recorded (:mod:`longbien.confidential`); a write may
    carry its reason (:class:`ChangeReasonMixin`).
    """


class ScopedRelatedMixin:
    """A related field whose choices are the records the requesting user may name.

    The queryset is the model's ``restrict(user, action)``; with ``area`` (units or people
    looked up for another area's work) also the unit rule of that area. A value out of scope
    gets the very answer of an unknown value ("not found"), so API input never tells that an
    out-of-scope id or code exists.
    """

    def __init__(self, *, scope_action: str = scope.VIEW, area: str = "", **kwargs: Any) -> None:
        self.scope_action = scope_action
        self.area = area
        super().__init__(**kwargs)  # type: ignore[call-arg]

    def scoped_queryset(self, queryset: QuerySet, user: Any) -> QuerySet:
        if not self.area:
            return queryset.restrict(user, self.scope_action)
        # Seen by the model's own rule, and within the area's scope for the action.
        unit_field = queryset.model.Scope.unit_field
        return queryset.restrict(user).filter(
            scope.unit_q(user, self.area, self.scope_action, unit_field)
        )

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        return self.scoped_queryset(queryset, getattr(request, "user", None))


class ScopedPrimaryKeyRelatedField(ScopedRelatedMixin, serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("Không tìm thấy bản ghi số “{pk_value}”."),
    }


class ScopedSlugRelatedField(ScopedRelatedMixin, serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("Không tìm thấy mã “{value}”."),
    }


class SubtreeFilter(django_filters.CharFilter):
    """``?unit=CODE``: the records of that unit and every unit below it.

    ``unit_field`` leads to the record's unit ("" for units themselves). An unknown code, or
    one the user may not see anyway, keeps no row (the queryset is restricted already).
    """

    def __init__(self, *args: Any, unit_field: str = "unit", **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mã đơn vị (gồm cả cây con)"))
        super().__init__(*args, **kwargs)
        self.unit_field = unit_field

    def filter(self, qs: Any, value: Any) -> Any:
        if value in ([], (), {}, "", None):
            return qs
        unit = OrgUnit.objects.filter(code=str(value).strip()).only("path").first()
        if unit is None:
            return qs.none()
        lookup = f"{self.unit_field}__path__startswith" if self.unit_field else "path__startswith"
        return qs.filter(**{lookup: unit.path})


class FoldedSearchFilter(django_filters.CharFilter):
    """``?q=…``: a search without diacritics in a folded column (``field_name``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Tìm (không dấu)"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        if not value:
            return qs
        return qs.filter(text_q([self.field_name], value))


# Names a caller might use to send a person's identity with a denunciation or complaint. The
# portal stores none of it (Luật Tố cáo 2018): such a field gets its own, explicit refusal.
IDENTITY_FIELDS = frozenset({
    "denouncer", "denouncer_name", "denouncer_address", "denouncer_phone", "denouncer_email",
    "complainant", "complainant_name", "name", "full_name", "address", "phone", "phone_number",
    "email", "id_number", "identity_number", "citizen_id", "cccd", "cmnd", "date_of_birth",
    "birth_date", "dob",
})  # fmt: skip


# Keys a client may send beside the data: Django's CSRF token of a form posted with a session.
IGNORED_FIELDS = frozenset({"csrfmiddlewaretoken"})


class RefuseUnknownFieldsMixin:
    """An input serializer that refuses the fields it does not know, with a 400 naming them.

    DRF drops unknown keys silently; an API taking denunciations must not let a caller believe
    that a name or an address it sent was accepted (or, worse, stored elsewhere). Read-only
    fields count as unknown for a write. Identity-looking names get a message saying that the
    portal keeps no identity.

    Used by the input serializers of the inspections API (denunciations); every new API's
    input serializers should use it too.
    """

    unknown_field_message = _(
        "Trường “%(field)s” không được hỗ trợ; hãy bỏ trường này khỏi dữ liệu gửi lên."
    )
    identity_field_message = _(
        "Trường “%(field)s” không được nhận: cổng không lưu danh tính người tố cáo, khiếu nại "
        "(chỉ ghi số hồ sơ giấy)."
    )

    def unknown_fields(self, data: Any) -> dict[str, list[str]]:
        """The keys of ``data`` that are no writable field, each with its refusal."""
        if not hasattr(data, "keys"):
            return {}
        writable = {
            name
            for name, field in self.fields.items()  # type: ignore[attr-defined]
            if not field.read_only
        }
        return {
            str(name): [
                (
                    self.identity_field_message
                    if str(name).lower() in IDENTITY_FIELDS
                    else self.unknown_field_message
                )
                % {"field": name}
            ]
            for name in sorted(str(key) for key in data)
            if name not in writable and name not in IGNORED_FIELDS
        }

    def run_validation(self, data: Any = serializers.empty) -> Any:
        unknown = self.unknown_fields(data)
        try:
            value = super().run_validation(data)  # type: ignore[misc]
        except serializers.ValidationError as error:
            # Reported with the other errors, whatever they are.
            if unknown and isinstance(error.detail, dict):
                for name, messages in unknown.items():
                    error.detail.setdefault(name, messages)
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class YearFilter(django_filters.NumberFilter):
    """``?year=2026``: a whole year (a decimal, or a number that is no year, is refused)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Năm"))
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


def api_input(view: Any, serializer_class: type, data: Any) -> dict[str, Any]:
    """Validate ``data`` with an input serializer (400 with its errors) and return its values."""
    payload = serializer_class(data=data, context=view.get_serializer_context())
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def workflow_action(
    workflow: Any, step: str, record: str, input_class: type, output_class: type
) -> Any:
    """The API action of one workflow step, at ``…/{id}/<step>/`` (POST).

    ``record`` is the service's keyword for the record. The table's check comes first (403
    with its reason, or 400 for a state that does not allow the step), then the input, then
    the step's service; the answer is the record as it now reads (``output_class``).
    """
    transition = workflow[step]

    def run(self: Any, request: Any, pk: Any = None) -> Response:
        obj = self.get_object()
        workflow.check(request.user, obj, step)
        data = api_input(self, input_class, request.data)
        transition.perform(actor=request.user, **{record: obj}, **data)
        return self.reply_with(obj, output_class)

    run.__name__ = step
    run.__doc__ = f"{transition.label}."
    run = action(detail=True, methods=["post"], serializer_class=input_class)(run)
    return extend_schema(
        request=input_class, responses=output_class, summary=str(transition.label)
    )(run)


class InputSerializer(RefuseUnknownFieldsMixin, serializers.Serializer):
    """The base of an API's input serializers: unknown fields refused, never dropped."""


UNIT_ERRORS = {"does_not_exist": _("Không có đơn vị mã “{value}” trong phạm vi của bạn.")}
PERSON_ERRORS = {"does_not_exist": _("Không có đảng viên mã “{value}” trong phạm vi của bạn.")}


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(ScopedSlugRelatedField):
    """A unit by code, among those the user may name (``area`` and ``scope_action``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", UNIT_ERRORS)
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(str(data).strip())


@extend_schema_field(OpenApiTypes.STR)
class PersonCodeField(ScopedSlugRelatedField):
    """A Party member by code, among the people the user may see."""

    def __init__(self, **kwargs: Any) -> None:
        from longbien.org.models import Person

        kwargs.setdefault("error_messages", PERSON_ERRORS)
        kwargs.setdefault("queryset", Person.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(str(data).strip().upper())
