"""Generic views of a scoped object type: list, detail, a service's form and a workflow step.

A page of an object type is a short declarative subclass (after NetBox's
``netbox/views/generic``): the bases hold the login and area checks, the scope narrowing,
pagination, the confidential access log, the audit history, the workflow buttons and the
"validate, call the service, put its refusals on the form" round trip. What a subclass says:

- :class:`ScopedListView`: ``model`` (or ``selector``), ``template_name``, ``paginate_by``,
  optionally ``filterset_class`` or :meth:`~ScopedListView.filter_queryset`,
  ``search_fields`` (folded columns) and ``register`` (the export link).
- :class:`ScopedDetailView`: ``model`` (or ``selector``), ``template_name``; the history, the
  attachments and the workflow buttons come with it.
- :class:`ServiceFormView`: ``form_class``, ``title``, ``cancel_url``, ``success_message``
  and :meth:`~ServiceFormView.perform`, which calls one service with ``actor=request.user``.
  Services are the transaction: no ``transaction.atomic`` here.
- :class:`WorkflowFormView`: a workflow step with a form page of its own (its transition's
  service is :meth:`perform`).
- :class:`WorkflowActionView`: a one-click step (POST only) from the record's buttons.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from longbien import confidential
from longbien.attachments.selectors import attachments_for
from longbien.audit import entries_for
from longbien.org import scope
from longbien.text import fold
from longbien.workflow import Transition, Workflow

from . import filters, io, search, tables
from .forms import add_service_errors, drop_change_reason

__all__ = [
    "ReasonForm",
    "ScopedDetailView",
    "ScopedListView",
    "ScopedObjectMixin",
    "ScopedViewMixin",
    "ServiceFormView",
    "WorkflowActionView",
    "WorkflowFormView",
]


class ScopedViewMixin(LoginRequiredMixin):
    """Login, then the area check: ``scope.require_area(user, area, action)``.

    ``area`` defaults to the model's ``Scope.area``; set ``area = None`` on a view whose
    check is its own (:meth:`check_area`).
    """

    model: type[models.Model] | None = None
    area: str | None = ""
    action: str = scope.VIEW
    request: HttpRequest

    def get_area(self) -> str | None:
        if self.area or self.area is None:
            return self.area
        scoped = getattr(self.model, "Scope", None)
        return getattr(scoped, "area", None)

    def check_area(self) -> None:
        """Raise PermissionDenied (the Vietnamese 403) unless the user may use the area."""
        area = self.get_area()
        if area:
            scope.require_area(self.request.user, area, self.action)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_area()
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin:
    """Find the view's record in what the user may see: a 404 outside the scope.

    With ``selector`` (a selectors function taking ``user`` and the URL's lookup, declared on
    the class) the selector finds it; otherwise :meth:`get_scoped_queryset` does: the rows of
    ``rows`` (a list selector taking ``user``, the register's own) or
    ``model.objects.restrict(user)``. ``lookup_field`` is the model field and
    ``lookup_url_kwarg`` the URL's argument (both ``pk`` by default).
    """

    model: type[models.Model] | None = None
    selector: ClassVar[Any] = None
    rows: ClassVar[Any] = None
    lookup_field: str = "pk"
    lookup_url_kwarg: str = "pk"
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_scoped_queryset(self) -> models.QuerySet:
        if self.rows is not None:
            return type(self).rows(self.request.user)
        return self.model._default_manager.all().restrict(self.request.user)

    def get_scoped_object(self) -> Any:
        value = self.kwargs[self.lookup_url_kwarg]
        try:
            if self.selector is not None:
                return type(self).selector(user=self.request.user, **{self.lookup_field: value})
            return self.get_scoped_queryset().get(**{self.lookup_field: value})
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404 from exc


# --- Lists -------------------------------------------------------------------------------------


#: Rows counted exactly on a register's page; past it the page says "hơn 10.000".
COUNT_CAP = 10_000


#: From this many rows into a register, a page reads its keys first (:meth:`CappedPaginator._rows`).
DEFERRED_JOIN_FROM = 500


class CappedPaginator(Paginator):
    """A paginator that counts at most :data:`COUNT_CAP` + 1 rows (``count_capped`` past it).

    ``COUNT(*)`` over a city's 1.2 million evaluations costs more than the page itself: the
    count is taken on ``LIMIT cap + 1`` in a subquery, which stops early. Past the cap the
    count is ``cap + 1``, ``count_capped`` is True, the page says "hơn 10.000 bản ghi" and
    any page number is accepted: "next" is offered while a page is full (one row more is
    read to know it), and a number past the end is an empty page. Filters are the way to
    the rows of a register that large.
    """

    cap = COUNT_CAP
    count_capped = False

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap

    #: The keys of every row, when the count read them (a search's: :func:`search.count_rows`).
    keys: list[Any] | None = None

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, models.QuerySet):
            return super().count
        counted, self.keys = search.count_rows(rows, self.cap)
        self.count_capped = counted > self.cap
        return counted

    def validate_number(self, number: Any) -> int:
        if not self.count_capped:
            return super().validate_number(number)
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(gettext("Số trang không hợp lệ.")) from exc
        if value < 1:
            raise EmptyPage(gettext("Số trang không hợp lệ."))
        return value

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.count_capped:
            # Whether there is a next page is known from the page itself (one row more is
            # read), not the count.
            rows = list(self._rows(bottom, bottom + self.per_page + 1))
            more = len(rows) > self.per_page
            page = self._get_page(rows[: self.per_page], number, self)
            page.has_next = lambda: more  # type: ignore[method-assign]
            return page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        """The rows ``bottom:top``. Deep in a register, the page's keys are read first, in a
        query of their own (the ``OFFSET`` walks the register's own index, nothing joined),
        and only those rows are read with what they draw: ``WHERE id IN (…the keys…)``. Page
        100 of the city's evaluations joined 5.000 rows to their people and units for 50
        shown. The keys are not a subquery of the rows' query: with a scope written as an
        ``OR`` (a case's unit or its assigned unit) PostgreSQL joined the whole register to
        them (24 ms, not 2, on the city's opinion cases)."""
        rows = self.object_list
        if self.keys is not None:
            return search.among(rows, self.keys)[bottom:top]
        if (
            bottom < DEFERRED_JOIN_FROM
            or not isinstance(rows, models.QuerySet)
            or not rows.ordered
            or rows.query.distinct
            or rows.query.group_by is not None
        ):
            return rows[bottom:top]
        return rows.filter(pk__in=list(rows.values_list("pk", flat=True)[bottom:top]))


class _ForgivingPagination:
    """Paginate as the portal's pages always have: a page number out of range shows the last.

    The count is capped (:class:`CappedPaginator`): a register of millions of rows is not
    counted on every page.
    """

    def count_cap(self) -> int:
        """Rows counted exactly (:func:`search.count_cap`: fewer for a search)."""
        return search.count_cap(
            self.request.GET.get(getattr(self, "search_param", "q"), ""), COUNT_CAP
        )

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple:
        paginator = CappedPaginator(queryset, page_size, cap=self.count_cap())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class ScopedListView(
    ScopedViewMixin, confidential.ConfidentialListMixin, _ForgivingPagination, ListView
):
    """A register: restricted rows, filters, folded search, sorting, pages and the export link.

    The rows are ``selector(user=…, **selector_kwargs())`` or ``model.objects.restrict(user)``
    (never both restricted twice), then :meth:`filter_queryset` (a django-filter
    ``filterset_class`` when declared: a :class:`~longbien.core.filters.ScopedFilterSet`
    whose invalid values are said on the page), then the search of ``?q=`` through
    ``search_fields`` (folded columns such as ``name_folded``: "dang" finds "Đảng"). With a
    ``table_class`` (:class:`~longbien.core.tables.Table`) the rows are sorted by ``?sort=``
    in the database, and the page's rows are drawn by the table with the user's columns
    (``table``, ``result_count`` and ``table_columns`` in the context). ``bulk_actions``
    (:class:`~longbien.core.tables.BulkAction`) add a checkbox column and take a POST: a
    confirmation naming the rows, then each row through its service. The page shown is read
    through :mod:`longbien.confidential` (one access entry for a confidential model).
    ``register`` names the ``longbien.core.io`` register exported at ``/xuat/<register>/``;
    ``export_url`` is in the context when the user may export it, with the page's filters.
    ``can_add`` (the page's "add" button) says whether the user may change anything in the
    area (:meth:`may_add`).
    """

    paginate_by = 50
    filterset_class: ClassVar[Any] = None
    table_class: ClassVar[Any] = None
    bulk_actions: ClassVar[tuple[Any, ...]] = ()
    search_fields: tuple[str, ...] = ()
    search_param = "q"
    register: str = ""
    selector: ClassVar[Any] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.register and cls.filterset_class is not None:
            filters.register_export_filters(cls.register, cls.filterset_class)

    def selector_kwargs(self) -> dict[str, Any]:
        """Extra arguments of the selector (the list's filters taken from ``request.GET``)."""
        return {}

    def get_queryset(self) -> models.QuerySet:
        user = self.request.user
        if self.selector is not None:
            rows = type(self).selector(user=user, **self.selector_kwargs())
        else:
            rows = self.model._default_manager.all().restrict(user)
            ordering = self.get_ordering()
            if ordering:
                rows = rows.order_by(*((ordering,) if isinstance(ordering, str) else ordering))
        rows = self.filter_queryset(rows)
        rows = self.search_queryset(rows)
        return self.sort_queryset(rows)

    def filter_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """Apply the list's filters: the ``filterset_class`` if declared (else unchanged)."""
        if self.filterset_class is None:
            return queryset
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        rows = self.filterset.qs
        for message in getattr(self.filterset, "error_messages", list)():
            messages.error(self.request, message)
        return rows

    def search_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        query = self.request.GET.get(self.search_param, "")
        if not fold(query) or not self.search_fields:
            return queryset
        return queryset.filter(search.text_q(self.search_fields, query, queryset.model))

    def sort_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        """Order by the ``?sort=`` column of the table (in the database, before paging)."""
        sort = self.request.GET.get(tables.SORT_PARAM, "")
        if self.table_class is None or not sort:
            return queryset
        return self.table_class.sort_queryset(queryset, sort)

    def get_table(self, rows: Any) -> Any:
        """The table of the page's rows, with the user's columns and the sort shown."""
        table = self.table_class(
            list(rows),
            sorted_by=self.request.GET.get(tables.SORT_PARAM, ""),
            selectable=bool(self.get_bulk_actions()),
            request=self.request,
        )
        table.apply_choice(tables.visible_columns(self.request, self.table_class))
        return table

    def may_add(self) -> bool:
        """Whether the register offers its "add" button: a change right somewhere in the area."""
        area = self.get_area()
        return bool(area) and scope.has_area(self.request.user, area, scope.CHANGE)

    def get_export_url(self) -> str:
        """The register's export link with the page's filters, when the user may export it."""
        if not self.register:
            return ""
        try:
            item = io.get_register(self.register)
        except LookupError:
            return ""
        if not scope.has_area(self.request.user, item.area, item.export_action):
            return ""
        query = self.request.GET.copy()
        for name in ("page", tables.SORT_PARAM, "format"):
            query.pop(name, None)
        query["format"] = "xlsx"
        return f"{reverse('io_export', args=[item.name])}?{query.urlencode()}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.filterset_class is not None:
            filterset = context["filterset"] = getattr(self, "filterset", None)
            # What the filter form does not show is kept as it is (the sort, a page's mode).
            shown = set(filterset.form.fields) if filterset is not None else set()
            context["kept_params"] = [
                (name, value)
                for name, value in self.request.GET.items()
                if name not in shown and name not in ("page", "year")
            ]
        if self.register:
            context["export_url"] = self.get_export_url()
        context.setdefault("can_add", self.may_add())
        if self.table_class is not None:
            page = context.get("page_obj")
            rows = page.object_list if page is not None else context["object_list"]
            table = context["table"] = self.get_table(rows)
            context["result_count"] = (
                page.paginator.count if page is not None else len(context["object_list"])
            )
            context["result_count_capped"] = page is not None and page.paginator.count_capped
            context["count_cap"] = page.paginator.cap if page is not None else COUNT_CAP
            context["narrow_search"] = context["result_count_capped"] and (
                context["count_cap"] == search.SEARCH_COUNT_CAP
            )
            shown = {column.name for column in table.columns if column.visible}
            optional = table.optional_columns()
            # The chooser is for wide tables: four optional columns or more.
            context["table_columns"] = (
                [(name, header, name in shown) for name, header in optional]
                if len(optional) >= tables.CHOOSER_MIN_COLUMNS
                else []
            )
            context["table_key"] = self.table_class.config_key
            context["bulk_actions"] = self.get_bulk_actions()
        return context

    # Bulk actions --------------------------------------------------------------------------

    def get_bulk_actions(self) -> tuple[Any, ...]:
        """The bulk actions this user is offered (all of ``bulk_actions`` by default)."""
        return tuple(self.bulk_actions)

    def bulk_queryset(self) -> models.QuerySet:
        """The rows a bulk action may name: what the user may see (restricted, unfiltered)."""
        return self.model._default_manager.all().restrict(self.request.user)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actions = {action.name: action for action in self.get_bulk_actions()}
        action = actions.get(request.POST.get("action", ""))
        if action is None:
            if not actions:
                return self.http_method_not_allowed(request, *args, **kwargs)
            messages.error(request, gettext("Hãy chọn thao tác cần thực hiện."))
            return redirect(request.get_full_path())
        wanted = {int(pk) for pk in request.POST.getlist("select") if pk.isdigit()}
        if not wanted:
            messages.warning(request, gettext("Chưa chọn dòng nào."))
            return redirect(request.get_full_path())
        rows = list(self.bulk_queryset().filter(pk__in=wanted).order_by("pk"))
        missing = len(wanted) - len(rows)
        form = tables.NoteForm(
            request.POST if "confirm" in request.POST else None, required=action.note_required
        )
        if "confirm" not in request.POST or (action.note and not form.is_valid()):
            return render(
                request,
                "includes/bulk_confirm.html",
                {
                    "action": action,
                    "rows": rows,
                    "count": len(rows),
                    "missing": missing,
                    "form": form if action.note else None,
                    "back_url": request.get_full_path(),
                },
            )
        note = form.cleaned_data.get("note", "") if action.note else ""
        done = 0
        for row in rows:
            try:
                action.perform(request.user, row, note)
            except (PermissionDenied, ValidationError) as error:
                texts = error.messages if isinstance(error, ValidationError) else [str(error)]
                messages.error(request, f"{row}: {' '.join(texts)}")
            else:
                done += 1
        if done:
            # ``done`` may be an ngettext_lazy(..., "count"): the count picks the plural form.
            messages.success(request, str(action.done % {"action": action.label, "count": done}))
        if missing:
            messages.error(
                request,
                ngettext(
                    "%(count)s dòng không tìm thấy hoặc ngoài phạm vi của bạn.",
                    "%(count)s dòng không tìm thấy hoặc ngoài phạm vi của bạn.",
                    missing,
                )
                % {"count": missing},
            )
        return redirect(request.get_full_path())


# --- Details -----------------------------------------------------------------------------------


class ScopedDetailView(
    ScopedViewMixin, ScopedObjectMixin, confidential.ConfidentialDetailMixin, DetailView
):
    """One record from what the user may see (404 outside), with its history and buttons.

    The context has the record under its model's name, ``audit_entries`` (the record's audit
    rows, ``history_limit`` of them; a confidential record's only for an admitted user),
    ``attachments`` when ``attachments = True``, and ``workflow_actions`` (what this user may
    do now) when ``workflow`` is set. A confidential record's read leaves one access entry.
    """

    history_limit = 50
    attachments = False
    workflow: Workflow | None = None

    def get_object(self, queryset: models.QuerySet | None = None) -> Any:
        return confidential.read(
            self.request.user, self.get_scoped_object(), how=confidential.DETAIL
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context["audit_entries"] = entries_for(obj, limit=self.history_limit, user=user)
        if self.attachments:
            context["attachments"] = attachments_for(user=user, obj=obj)
        if self.workflow is not None:
            context["workflow_actions"] = self.workflow.actions(user, obj)
        return context


# --- A service's form --------------------------------------------------------------------------


class ServiceFormView(ScopedViewMixin, ScopedObjectMixin, FormView):
    """GET shows the form; POST validates it and calls one service through :meth:`perform`.

    A service's ``ValidationError`` lands on the form (field errors on their fields, the rest
    as the form's errors) and ``PermissionDenied`` on ``denied_field`` (the form as a whole by
    default; ``catch_denied = False`` lets it through as a 403); the page is shown again
    (status 200) and nothing is changed, since the service is the transaction. On success:
    ``success_message`` (``%(object)s`` is what the service returned; more names through
    :meth:`get_success_message`) and a redirect to :meth:`get_success_url`.

    An edit page sets ``model`` or ``selector`` with ``edits_object = True``: the record is
    ``self.object``, found in the user's scope (404 outside), then :meth:`check_permission`
    decides (a 403 with ``denied_message`` unless :meth:`may_change`). A page without a
    record (a create) drops the form's :class:`~longbien.core.forms.ChangeReasonField`.
    """

    action = scope.CHANGE
    edits_object = False
    form_takes_user = True
    title: Any = ""
    cancel_url: str = ""
    submit_label: Any = None
    success_message: Any = gettext_lazy("Đã lưu thay đổi.")
    denied_message: Any = gettext_lazy("Bạn không có quyền thực hiện thao tác này.")
    denied_field: str | None = None
    catch_denied = True
    object: Any = None
    #: The bound form, once POSTed (for :meth:`get_success_url` and the messages).
    form: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_area()
        self.object = self.get_object()
        self.check_permission()
        return View.dispatch(self, request, *args, **kwargs)

    # Hooks, in the order they run.

    def get_object(self) -> Any:
        if not self.edits_object:
            return None
        # A form shows the record it edits: reading a confidential one is recorded too.
        return confidential.read(
            self.request.user, self.get_scoped_object(), how=confidential.DETAIL
        )

    def may_change(self) -> bool:
        return self.object is None or scope.can_on(self.request.user, self.object, scope.CHANGE)

    def check_permission(self) -> None:
        """Raise PermissionDenied unless the user may use this form (on this record)."""
        if not self.may_change():
            raise PermissionDenied(self.denied_message)

    def get_form_kwargs(self) -> dict[str, Any]:
        # An empty POST leaves the form unbound, as the portal's pages always did.
        kwargs: dict[str, Any] = {"initial": self.get_initial(), "prefix": self.get_prefix()}
        if self.request.method in ("POST", "PUT"):
            kwargs["data"] = self.request.POST or None
            kwargs["files"] = self.request.FILES or None
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class: Any = None) -> forms.Form:
        form = super().get_form(form_class)
        if self.object is None:  # a create form asks no "reason for change"
            drop_change_reason(form)
        return form

    def perform(self, form: forms.Form) -> Any:
        """Call the one service with ``actor=self.request.user``; return what it made."""
        raise NotImplementedError(f"{type(self).__name__} must define perform()")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        for name in getattr(form, "dropped_reasons", ()):
            form.cleaned_data[name] = ""  # the service of a create takes an empty reason
        try:
            result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            if not self.catch_denied:
                raise
            form.add_error(self.denied_field, str(error))
        else:
            message = self.get_success_message(result, form)
            if message:
                messages.success(request, message)
            return redirect(self.get_success_url(result))
        return self.form_invalid(form)

    def get_success_message(self, result: Any, form: forms.Form) -> str:
        return str(self.success_message) % {"object": result} if self.success_message else ""

    def get_success_url(self, result: Any = None) -> Any:
        """Where to go after a success: the record made or changed (override for others)."""
        target = result if hasattr(result, "get_absolute_url") else self.object
        if target is None:
            raise NotImplementedError(f"{type(self).__name__} must define get_success_url()")
        return target.get_absolute_url()

    def get_title(self) -> str:
        return str(self.title)

    def get_cancel_url(self) -> str:
        if self.cancel_url:
            try:
                return reverse(self.cancel_url)
            except NoReverseMatch:
                return self.cancel_url
        if hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return ""

    def get_extra_context(self) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), cancel_url=self.get_cancel_url())
        if self.submit_label is not None:
            context["submit_label"] = self.submit_label
        context.update(self.get_extra_context())
        return context


class WorkflowFormView(ServiceFormView):
    """A workflow step with a page of its own: the transition's rule, its form, its service.

    Who may open the page is the table's rule for ``step`` (``PermissionDenied`` with its
    reason); the record's state is checked by the service, whose clear error is put on the
    form. The record is passed to the service as ``object_kwarg`` (the model's name).
    """

    area = None  # the table's rule decides who may act (the record's own person too)
    edits_object = True
    form_takes_user = False
    workflow: Workflow
    step: str = ""
    object_kwarg: str = ""

    @property
    def transition(self) -> Transition:
        return self.workflow[self.step]

    def check_permission(self) -> None:
        refusal = self.transition.who.refusal(self.request.user, self.object)
        if refusal is not None:
            raise PermissionDenied(refusal)

    def get_object_kwarg(self) -> str:
        return self.object_kwarg or self.object._meta.model_name

    def perform(self, form: forms.Form) -> Any:
        return self.transition.perform(
            actor=self.request.user, **{self.get_object_kwarg(): self.object}, **form.cleaned_data
        )


# --- A one-click workflow step -----------------------------------------------------------------


class ReasonForm(forms.Form):
    """The reason of a one-click step (required when the transition says so)."""

    reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=500, required=False)

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class WorkflowActionView(ScopedViewMixin, ScopedObjectMixin, View):
    """POST only: take the step named ``step`` (the URL's or the button's) on the record.

    The record comes from what the user may change-see (404 outside the scope); the table's
    :meth:`~longbien.workflow.Workflow.check` refuses a user who may not act or a move the
    state does not allow; the transition's service runs with the posted form
    (:class:`ReasonForm`: the reason, required when the transition says so). Every outcome
    is a message on the record's page, where the user is sent back.
    """

    http_method_names = ["post"]
    area = None  # the table's rule decides who may act (the record's own person too)
    workflow: Workflow
    step: str = ""
    object_kwarg: str = ""
    form_class: type[forms.Form] = ReasonForm
    success_message: Any = gettext_lazy("Đã thực hiện bước “%(step)s”.")

    def get_step(self) -> str:
        return self.step or self.kwargs.get("step") or self.request.POST.get("step", "")

    def get_form(self, transition: Transition) -> forms.Form:
        if self.form_class is ReasonForm:
            return ReasonForm(self.request.POST, reason_required=transition.reason_required)
        return self.form_class(self.request.POST)

    def perform(self, transition: Transition, form: forms.Form) -> Any:
        kwarg = self.object_kwarg or self.object._meta.model_name
        data = dict(form.cleaned_data)
        if isinstance(form, ReasonForm) and not transition.reason_required:
            data.pop("reason")  # the service of a step without a reason takes none
        return transition.perform(actor=self.request.user, **{kwarg: self.object}, **data)

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = confidential.read(
            request.user, self.get_scoped_object(), how=confidential.DETAIL
        )
        name = self.get_step()
        if name not in self.workflow:
            raise Http404
        try:
            transition = self.workflow.check(request.user, self.object, name)
            form = self.get_form(transition)
            if not form.is_valid():
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(request, message)
                return redirect(self.get_success_url())
            self.perform(transition, form)
        except (ValidationError, PermissionDenied) as error:
            texts = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in texts:
                messages.error(request, message)
        else:
            label = transition.label_for(request.user, self.object)
            messages.success(request, str(self.success_message) % {"step": label})
        return redirect(self.get_success_url())
