"""Confidential object types: one declaration, one gate, one access log.

Declaring
    A scoped model declares itself confidential in its ``Scope``, and that is all it does::

        class Denunciation(models.Model):
            unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT)
            objects = ScopedQuerySet.as_manager()

            class Scope:
                area = Area.INSPECTIONS
                unit_field = "unit"
                confidential = True

What the kernel then does
    * **Seeing.** ``restrict()`` and ``scope.can_on()`` also require a role holding
      ``Area.CONFIDENTIAL`` (the inspection role) on a unit covering the record, on top of the
      model's own rule (its ``scope_filter`` hook cannot widen this). Superusers and
      administrators without that role get nothing: empty lists, and a 404 from
      ``get_object_or_404(Model.objects.restrict(user), pk=pk)``.
    * **Reading.** Every read (list, detail, API, export, file download) goes through
      :func:`read`, which writes exactly one :class:`~longbien.core.models.AccessEntry`: who,
      which records, how, when and from which address. The generic pieces call it:
      :class:`ConfidentialListMixin` and :class:`ConfidentialDetailMixin` (Django views),
      :class:`ConfidentialViewSetMixin` (part of the API base ``core.api.ScopedGenericViewSet``),
      ``core.io.export_register`` (exports) and the attachment download (files). A function
      view calls it itself::

          document = confidential.read(
              request.user,
              get_object_or_404(Denunciation.objects.restrict(request.user), pk=pk),
              how=confidential.DETAIL,
          )

      :func:`read` does nothing for a model that is not confidential, so generic code may call
      it for every model.
    * **Hiding.** django-auditlog still records every change, but :func:`hide_entries` keeps
      those entries (and those of the files attached to such records) out of the audit log of
      anyone else: the global log, the home page, the admin; ``audit.entries_for(instance,
      user=...)`` gives a record's history only to a user admitted to the record.
      ``core.notifications.notify(record=...)`` (and the deadline reminders, which pass it)
      reaches only admitted users, and their e-mail carries no content; the global search skips providers registered with a confidential
      ``model``; indicators of a confidential area are counts only (``longbien.indicators``).

Confidential models keep integer primary keys (the audit log's ``object_id``).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any, cast

from auditlog.context import auditlog_value
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db import models
from django.db.models import Q
from django.http import Http404

from longbien.attachments.models import Attachment
from longbien.core.models import AccessEntry
from longbien.org import scope
from longbien.org.models import User
from longbien.org.scope import is_confidential
from longbien.org.types import Viewer

if TYPE_CHECKING:
    from django.views.generic import DetailView, ListView
    from rest_framework.generics import GenericAPIView

    # What the mixins below are mixed into, for the type checker only.
    _DetailViewBase = DetailView[Any]
    _ListViewBase = ListView[Any]
    _ViewSetBase = GenericAPIView[Any]
else:
    _DetailViewBase = _ListViewBase = _ViewSetBase = object

__all__ = [
    "API",
    "DETAIL",
    "EXPORT",
    "FILE",
    "LIST",
    "ConfidentialDetailMixin",
    "ConfidentialListMixin",
    "ConfidentialViewSetMixin",
    "admitted",
    "confidential_models",
    "hide_entries",
    "is_confidential",
    "read",
    "reads_of",
    "heads_committee",
    "access_log",
]

LIST = "list"
DETAIL = "detail"
API = "api"
EXPORT = "export"
FILE = "file"
HOWS = (LIST, DETAIL, API, EXPORT, FILE)


def confidential_models() -> list[type[models.Model]]:
    """Return every installed model that declares itself confidential."""
    return [model for model in apps.get_models() if is_confidential(model)]


def admitted(user: Viewer, obj: models.Model, action: str = scope.VIEW) -> bool:
    """Tell whether the user may ``action`` on ``obj`` (for a confidential one: the role too)."""
    return scope.can_on(user, obj, action)


def read(
    user: Viewer, target: Any, *, how: str, note: str = "", model: type[models.Model] | None = None
) -> Any:
    """Return ``target`` as read by ``user``, writing one access entry if it is confidential.

    ``target`` is an instance (a detail, an API detail, a file: 404 unless the user is
    admitted), a queryset (restricted again unless sliced; evaluated and returned as a list),
    a :class:`~django.core.paginator.Page` (its ``object_list`` read and replaced) or a list of
    instances (pass ``model`` when it may be empty). Rows the user is not admitted to are
    dropped from a list. ``how`` is one of :data:`LIST`, :data:`DETAIL`, :data:`API`,
    :data:`EXPORT`, :data:`FILE`.
    """
    if how not in HOWS:
        raise ValueError(f"unknown read: {how!r}")
    if isinstance(target, models.Model):
        if not is_confidential(target):
            return target
        if not scope.can_on(user, target, scope.VIEW):
            raise Http404
        _record(user, type(target), [target.pk], how, note, single=True)
        return target
    if isinstance(target, Page):
        whole = target.paginator.object_list
        target.object_list = read(
            user,
            target.object_list,
            how=how,
            note=note,
            model=model or getattr(whole, "model", None),
        )
        return target
    checked = False
    if isinstance(target, models.QuerySet):
        if not is_confidential(target.model):
            return target
        model = target.model
        if not target.query.is_sliced:
            target, checked = _restricted(target, user), True
    rows = list(target)
    model = model or (type(rows[0]) if rows else None)
    if model is None or not is_confidential(model):
        return rows
    if not checked and rows:  # a page or a list: keep the rows the user may see (one query)
        seen = _restricted(model._default_manager.filter(pk__in=[row.pk for row in rows]), user)
        allowed = set(seen.values_list("pk", flat=True))
        rows = [row for row in rows if row.pk in allowed]
    _record(user, model, [row.pk for row in rows], how, note)
    return rows


def _restricted(queryset: models.QuerySet[Any], user: Viewer) -> models.QuerySet[Any]:
    """``restrict()`` a queryset of a confidential (hence scoped) model."""
    # Only a scoped model declares itself confidential: its querysets are ScopedQuerySets.
    return cast("scope.ScopedQuerySet[Any]", queryset).restrict(user)


def _record(
    user: Viewer,
    model: type[models.Model],
    pks: list[Any],
    how: str,
    note: str,
    single: bool = False,
) -> Any:
    ids = [pk if isinstance(pk, int) else str(pk) for pk in pks]
    return AccessEntry.objects.create(
        user=user if isinstance(user, User) and user.pk else None,
        username=getattr(user, "username", "") or "",
        how=how,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(ids[0]) if single and ids else "",
        object_ids=ids,
        count=len(ids),
        note=note[:300],
        remote_addr=_remote_addr(),
    )


def _remote_addr() -> str | None:
    """The client's address as django-auditlog's middleware saw it, if it is one."""
    context = auditlog_value.get(None) or {}
    address = context.get("remote_addr")
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def reads_of(user: Viewer, obj: models.Model) -> models.QuerySet:
    """Return the access entries naming ``obj``, newest first, for a user admitted to it."""
    if not is_confidential(obj) or not scope.can_on(user, obj, scope.VIEW):
        return AccessEntry.objects.none()
    pk = obj.pk if isinstance(obj.pk, int) else str(obj.pk)
    return AccessEntry.objects.filter(
        Q(object_id=str(pk)) | Q(object_ids__contains=[pk]),
        content_type=ContentType.objects.get_for_model(obj),
    ).select_related("user")


def heads_committee(user: Viewer) -> bool:
    """Tell whether the user heads an Inspection Committee (the flag on their inspection role,
    set by an administrator): they, and nobody else, read the log of confidential reads."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment

    return RoleAssignment.objects.filter(
        user_id=cast(int, user.pk),
        role=Role.INSPECTION,
        heads_committee=True,
        unit__valid_to__isnull=True,
    ).exists()


def access_log(user: Viewer) -> models.QuerySet:
    """The reads of confidential records, newest first: for heads of the committee only.

    A head whose role covers a whole tree reads every entry; a head lower down reads the
    entries naming records of their subtree. The log is read-only everywhere (no page, no
    endpoint, no admin changes it; the database refuses updates and deletes).
    """
    if not heads_committee(user):
        return AccessEntry.objects.none()
    entries = AccessEntry.objects.select_related("user", "content_type").order_by("-at", "-id")
    if scope.covers_a_root(user, scope.Area.CONFIDENTIAL):
        return entries
    query = Q(pk__in=[])
    for model in confidential_models():
        ids = list(_restricted(model._default_manager.all(), user).values_list("pk", flat=True))
        if ids:
            naming = Q(object_id__in=[str(pk) for pk in ids])
            for pk in ids:
                naming |= Q(object_ids__contains=[pk])
            query |= Q(content_type=ContentType.objects.get_for_model(model)) & naming
    return entries.filter(query)


def hide_entries(user: Viewer, entries: models.QuerySet) -> models.QuerySet:
    """Drop from audit log entries those of confidential records the user is not admitted to.

    Applies to the records' own entries (changes, exports) and to the entries of the files
    attached to them. A user with the confidential area sees the entries of the records they
    may read and the attachment entries of every confidential record.
    """
    secret = {ContentType.objects.get_for_model(model): model for model in confidential_models()}
    if not secret:
        return entries
    if not scope.has_area(user, scope.Area.CONFIDENTIAL):
        entries = entries.exclude(content_type__in=list(secret))
        attachments_ct = ContentType.objects.get_for_model(Attachment)
        ids = [str(ct.pk) for ct in secret]
        # Files on those records: the live ones, and every one whose log names such a record.
        named = Q()
        for content_type_id in ids:
            named |= Q(changes__content_type__contains=[content_type_id])
        logged = LogEntry.objects.filter(named, content_type=attachments_ct).values("object_id")
        live = Attachment.objects.filter(content_type__in=list(secret)).values("pk")
        return entries.exclude(
            Q(content_type=attachments_ct) & (Q(object_id__in=live) | Q(object_id__in=logged))
        )
    for content_type, model in secret.items():
        visible = _restricted(model._default_manager.all(), user).values("pk")
        entries = entries.filter(~Q(content_type=content_type) | Q(object_id__in=visible))
    return entries


def recipients(users: list[Any], record: models.Model) -> list[Any]:
    """Keep the users who may read ``record`` (all of them when it is not confidential)."""
    if not is_confidential(record):
        return users
    return [user for user in users if scope.can_on(user, record, scope.VIEW)]


class ConfidentialDetailMixin(_DetailViewBase):
    """For a Django ``DetailView`` (or any view with ``get_object``): restrict, then :func:`read`.

    A user not admitted gets a 404; an admitted one leaves one :data:`DETAIL` entry.
    """

    def get_queryset(self) -> models.QuerySet:
        return _restricted(super().get_queryset(), self.request.user)

    def get_object(self, queryset: models.QuerySet | None = None) -> models.Model:
        return read(self.request.user, super().get_object(queryset), how=DETAIL)


class ConfidentialListMixin(_ListViewBase):
    """For a Django ``ListView``: restrict, then :func:`read` the page shown (one entry)."""

    def get_queryset(self) -> models.QuerySet:
        return _restricted(super().get_queryset(), self.request.user)

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple:
        paginator, page, _rows, is_paginated = super().paginate_queryset(queryset, page_size)
        read(self.request.user, page, how=LIST, model=self.model)
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if context.get("page_obj") is None:  # not paginated: the whole list was shown
            rows = read(self.request.user, context["object_list"], how=LIST, model=self.model)
            context["object_list"] = rows
            name = self.get_context_object_name(rows)
            if name:
                context[name] = rows
        return context


class ConfidentialViewSetMixin(_ViewSetBase):
    """For a DRF viewset: each list page and each object served leaves one :data:`API` entry.

    Part of the scoped API base (``core.api.ScopedGenericViewSet``), so every API resource of
    a confidential model has it; it hooks ``get_object``, ``paginate_queryset`` and
    ``get_serializer`` (an unpaginated list), so it holds whichever list and retrieve mixins
    come before it. For any other model it changes nothing.
    """

    def get_object(self) -> models.Model:
        return read(self.request.user, super().get_object(), how=API)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is None or not is_confidential(getattr(queryset, "model", None)):
            return page
        return read(self.request.user, page, how=API, model=queryset.model)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and kwargs.get("many") and isinstance(args[0], models.QuerySet):
            args = (read(self.request.user, args[0], how=API), *args[1:])
        return super().get_serializer(*args, **kwargs)
