"""Shared API pieces: the exception handler, the scoped viewset base and scoped related fields.

Every API resource stands on :class:`ScopedGenericViewSet` (its queryset is restricted for
the request's user and action before any action runs) and names related records through
:class:`ScopedPrimaryKeyRelatedField` or :class:`ScopedSlugRelatedField`. Every write may
carry its reason in the ``X-Change-Reason`` header (:class:`ChangeReasonMixin`). The schema
the API serves is described in :mod:`longbien.core.schema`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import inspect
import json
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
from rest_framework import exceptions, pagination, permissions, relations, serializers, viewsets
from rest_framework import fields as drf_fields
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from longbien.audit import audited
from longbien.confidential import ConfidentialViewSetMixin
from longbien.fields import column_path
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.text import clean_input

from . import search as text_search
from .memo import kept_answer
from .search import text_q

_is_simple_callable = drf_fields.is_simple_callable
_SIMPLE: dict[tuple[Any, ...], bool] = {}


def _kept_is_simple_callable(obj: Any) -> bool:
    """DRF's ``is_simple_callable`` (a callable taking no argument?), its answer kept per
    function. A serializer asks it of every callable it reads, for every row: a page of 50
    evaluations asked ``inspect.signature`` of ``get_status_display`` and ``get_rating_display``
    100 times, a sixth of the request. A function's signature does not change; a bound method
    or a ``partial`` (Django's ``get_FOO_display``) is keyed by its function, how it is bound
    and which arguments it fixes. Anything else (builtins, callable objects) is DRF's own
    answer. ``tests/core/test_api_callables.py`` compares both."""
    if not callable(obj):
        return False  # DRF's first answer too; most of what a serializer reads is a value
    if isinstance(obj, functools.partial):
        inner = obj.func
        key: tuple[Any, ...] = (getattr(inner, "__func__", inner), inspect.ismethod(inner),
                                len(obj.args), tuple(sorted(obj.keywords)))  # fmt: skip
    elif inspect.ismethod(obj):
        key = (obj.__func__, True, 0, ())
    elif inspect.isfunction(obj):
        key = (obj, False, 0, ())
    else:
        return _is_simple_callable(obj)
    return kept_answer(_SIMPLE, key, lambda: _is_simple_callable(obj))


drf_fields.is_simple_callable = _kept_is_simple_callable
relations.is_simple_callable = _kept_is_simple_callable  # imported there by name


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
    carry its reason (:class:`ChangeReasonMixin`). Lists are paged by keyset
    (:class:`KeysetPagination`, defined below).
    """

    pagination_class: Any = None  # KeysetPagination, set once it is defined


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
            scope.unit_q(user, self.area, self.scope_action, unit_field, queryset.model)
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
    """``?q=…``: the portal's text search (:func:`~longbien.core.search.text_q`) in a folded
    column (``field_name``) or in several (``fields``: the same as the register's page, so
    that the API and the page find the same rows)."""

    def __init__(self, *args: Any, fields: tuple[str, ...] = (), **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Tìm (không dấu)"))
        if fields:
            kwargs.setdefault("field_name", fields[0])
        super().__init__(*args, **kwargs)
        self.fields = fields or (self.field_name,)

    def filter(self, qs: Any, value: Any) -> Any:
        if not value:
            return qs
        return qs.filter(text_q(self.fields, value, qs.model))


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


# --- Pagination --------------------------------------------------------------------------------

#: Rows counted exactly in a list's ``count``; past it ``count`` is this + 1 and
#: ``count_exact`` is false (a COUNT(*) over a city's millions of rows costs more than the page).
API_COUNT_CAP = 10_000


class KeysetPagination(pagination.PageNumberPagination):
    """Pages of 50 by keyset (``?cursor=``), or by number (``?page=``) as before.

    The answer is ``{count, count_exact, next, previous, results}``. ``count`` is exact up to
    :data:`API_COUNT_CAP` rows (:data:`~longbien.core.search.SEARCH_COUNT_CAP` for a
    text search, ``?q=``) and capped past it (``count_exact`` false). Without ``page``
    the rows are read by keyset: ``next`` (and ``previous``) carry an opaque ``cursor``, the
    ordering values of the page's last (first) row, and the next page is
    ``WHERE (a, b, id) > (…)`` on the ordering's columns, which an index on them serves:
    a deep page costs what the first does. The keyset ordering is the queryset's own
    ordering (non-null columns of the row or of its non-null relations, such as
    ``-year, -month, person__sort_key, id``), ended by the primary key; one direction on the
    row's own columns is a row comparison an index serves, otherwise the comparison is
    spelled out column by column. A queryset ordered by a nullable column or an expression
    is paged by number. ``?page=N`` still pages by number (``OFFSET``), for clients written
    before.
    """

    page_size = 50
    cursor_query_param = "cursor"
    invalid_cursor_message = _("Con trỏ trang không hợp lệ.")
    count_cap = API_COUNT_CAP

    # Paging ----------------------------------------------------------------------------------

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.request = request
        self.count_exact = True
        self.keys = None
        if self.page_query_param in request.query_params or not isinstance(queryset, QuerySet):
            return self._by_number(queryset, request, view)
        self.keys = keyset_ordering(queryset)
        if self.keys is None:
            return self._by_number(queryset, request, view)
        return self._by_keyset(queryset, request)

    def _capped_count(self, queryset: QuerySet) -> int:
        cap = text_search.count_cap(self.request.query_params.get("q", ""), self.count_cap)
        counted, self.matched = text_search.count_rows(queryset, cap)
        self.count_exact = counted <= cap
        return counted

    def _by_number(self, queryset: Any, request: Any, view: Any) -> Any:
        if isinstance(queryset, QuerySet):
            self.django_paginator_class = _capped_paginator(self)
        rows = super().paginate_queryset(queryset, request, view)
        self.count = self.page.paginator.count
        return rows

    def _by_keyset(self, queryset: QuerySet, request: Any) -> list:
        self.count = self._capped_count(queryset)
        raw = request.query_params.get(self.cursor_query_param)
        self.position, self.backwards = decode_cursor(raw, len(self.keys)) if raw else (None, False)
        rows = _with_keys(text_search.among(queryset, self.matched), self.keys)
        if self.position is not None:
            rows = rows.filter(_after(self.keys, self.position, backwards=self.backwards))
        if self.backwards:
            rows = rows.order_by(*(_flip(key) for key in self.keys))
        else:
            rows = rows.order_by(*self.keys)
        found = list(rows[: self.page_size + 1])
        more = len(found) > self.page_size
        found = found[: self.page_size]
        if self.backwards:
            found.reverse()
        self.has_next = more or (self.backwards and self.position is not None)
        self.has_previous = more if self.backwards else self.position is not None
        self.rows = found
        return found

    # Links -----------------------------------------------------------------------------------

    def _cursor_link(self, row: Any, backwards: bool) -> str:
        url = self.request.build_absolute_uri()
        cursor = encode_cursor([_key_value(row, i) for i in range(len(self.keys))], backwards)
        url = replace_query_param(url, self.cursor_query_param, cursor)
        return remove_query_param(url, self.page_query_param)

    def get_next_link(self) -> str | None:
        if self.keys is None:
            return super().get_next_link()
        if not self.has_next or not self.rows:
            return None
        return self._cursor_link(self.rows[-1], backwards=False)

    def get_previous_link(self) -> str | None:
        if self.keys is None:
            return super().get_previous_link()
        if not self.has_previous or not self.rows:
            return None
        return self._cursor_link(self.rows[0], backwards=True)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({
            "count": self.count,
            "count_exact": self.count_exact,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })  # fmt: skip

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_exact"] = {
            "type": "boolean",
            "example": True,
            "description": (
                "Sai khi danh sách có hơn 10.000 bản ghi (hơn 1.000 khi tìm theo q): count khi "
                "đó là 10.001 (1.001)."
            ),
        }
        described["required"] = [*described.get("required", []), "count_exact"]
        return described

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Con trỏ trang (lấy từ liên kết next/previous).")),
                "schema": {"type": "string"},
            },
        ]


def _capped_paginator(owner: KeysetPagination) -> type:
    from django.core.paginator import Paginator

    class CappedPaginator(Paginator):
        @property
        def count(self) -> int:  # type: ignore[override]
            if not hasattr(self, "_capped"):
                self._capped = owner._capped_count(self.object_list)
            return self._capped

    return CappedPaginator


def keyset_ordering(queryset: QuerySet) -> list[str] | None:
    """The keyset ordering of ``queryset`` (see :class:`KeysetPagination`), or None.

    The queryset's own ordering, each column a non-null column of the row or of a non-null
    relation (``person__sort_key``), then the primary key to break ties; None when a column
    may be null, is an expression or orders by a relation (page by number then).
    """
    model = queryset.model
    ordering = list(queryset.query.order_by or queryset.query.get_meta().ordering or ())
    keys: list[str] = []
    pk_name = model._meta.pk.name
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            return None
        descending = item.startswith("-")
        path = item.lstrip("-")
        if path == "pk":
            path = pk_name
        field = _column(model, path)
        if field is None:
            return None
        keys.append(("-" if descending else "") + path)
        if "__" not in path and (field.primary_key or field.unique):
            return keys
    if not keys:
        return [pk_name]
    keys.append(("-" if keys[-1].startswith("-") else "") + pk_name)
    return keys


def _column(model: Any, path: str) -> Any:
    """The non-null column at ``path`` (through non-null forward relations), or None."""
    fields = column_path(model, path)
    if fields is None or any(field.null for field in fields):
        return None  # ordering by a relation follows the related model's ordering
    return fields[-1]


def _flip(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"


def _annotation(index: int) -> str:
    return f"_keyset_{index}"


def _with_keys(queryset: QuerySet, keys: list[str]) -> QuerySet:
    """The queryset with each key's value as an annotation (read back for the cursor)."""
    from django.db.models import F

    return queryset.annotate(**{_annotation(i): F(key.lstrip("-")) for i, key in enumerate(keys)})


def _key_value(row: Any, index: int) -> Any:
    value = getattr(row, _annotation(index))
    return value.isoformat() if hasattr(value, "isoformat") else value


def _after(keys: list[str], values: list[Any], *, backwards: bool) -> Any:
    """The rows after ``values`` in the order of ``keys`` (before them, ``backwards``).

    One direction on the row's own columns: ``(a, b, id) > (x, y, z)``, which an index on
    the columns serves; otherwise ``a > x OR (a = x AND (b < y OR (b = y AND …)))``.
    """
    from django.db.models import F, Q
    from django.db.models.fields.tuple_lookups import (
        Tuple,
        TupleGreaterThan,
        TupleGreaterThanOrEqual,
        TupleLessThan,
        TupleLessThanOrEqual,
    )

    directions = {key.startswith("-") for key in keys}
    if len(directions) == 1 and not any("__" in key for key in keys):
        descending = keys[0].startswith("-")
        lookup = TupleLessThan if descending != backwards else TupleGreaterThan
        return lookup(Tuple(*(F(key.lstrip("-")) for key in keys)), tuple(values))
    condition = Q()
    for index in range(len(keys) - 1, -1, -1):
        key, value = keys[index], values[index]
        path = key.lstrip("-")
        later = "lt" if key.startswith("-") != backwards else "gt"
        step = Q(**{f"{path}__{later}": value})
        condition = step if index == len(keys) - 1 else step | (Q(**{path: value}) & condition)
    # The OR chain is a filter: PostgreSQL read every row before the cursor to find the page
    # (50.000 evaluations skipped for a deep page). The leading keys of one direction on the
    # row's own columns, ``(year, month) <= (y, m)``, bound it where the index scan starts.
    lead = []
    for key in keys:
        if "__" in key or key.startswith("-") != keys[0].startswith("-"):
            break
        lead.append(key)
    if not lead:
        return condition
    descending = keys[0].startswith("-")
    bound = TupleLessThanOrEqual if descending != backwards else TupleGreaterThanOrEqual
    start = bound(Tuple(*(F(key.lstrip("-")) for key in lead)), tuple(values[: len(lead)]))
    return Q(start) & condition


def encode_cursor(values: list[Any], backwards: bool) -> str:
    payload = json.dumps({"k": values, "b": int(backwards)}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(raw: str, size: int) -> tuple[list[Any], bool]:
    """The ordering values and the direction a cursor holds; a bad cursor is a 404."""
    try:
        padded = raw + "=" * (-len(raw) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        values, backwards = payload["k"], bool(payload.get("b", 0))
        if not isinstance(values, list) or len(values) != size:
            raise ValueError(raw)
        if any(not isinstance(value, (str, int, float, bool)) for value in values):
            raise ValueError(raw)
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error) as error:
        raise exceptions.NotFound(KeysetPagination.invalid_cursor_message) from error
    return values, backwards


ScopedGenericViewSet.pagination_class = KeysetPagination
