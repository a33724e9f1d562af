"""Pages of the organisation: units, people, terms. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from longbien.attachments.selectors import attachments_for
from longbien.audit import entries_for
from longbien.core.forms import add_service_errors

from . import scope, selectors, services
from .choices import ManagementLevel, UnitKind
from .forms import PersonForm, PositionChangeForm, UnitCloseForm, UnitForm
from .models import OrgUnit, Person


def _need(user, area: str, action: str = scope.VIEW) -> None:
    scope.require_area(user, area, action)


def _unit_or_404(user, code: str) -> OrgUnit:
    _need(user, scope.Area.ORG)
    try:
        return selectors.unit_get(user=user, code=code)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc


def _person_or_404(user, pk: int) -> Person:
    _need(user, scope.Area.PEOPLE)
    try:
        return selectors.person_get(user=user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.ORG)
    active = {"1": True, "0": False}.get(request.GET.get("active", "1"))
    units = selectors.unit_list(
        user=request.user,
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        active=active,
        within=request.current_unit,
    )
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_list.html",
        {
            "page_obj": page,
            "kinds": UnitKind.choices,
            "can_add": scope.has_area(request.user, scope.Area.ORG, scope.CHANGE),
        },
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request.user, code)
    children = selectors.unit_list(user=request.user, active=None).filter(parent=unit)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "former_names": unit.former_names.all(),
            "predecessors": unit.predecessors.all(),
            "people": selectors.person_list(user=request.user, unit=unit).filter(unit=unit)[:50],
            "audit_entries": entries_for(unit),
            "attachments": attachments_for(user=request.user, obj=unit),
            "can_change": scope.can(request.user, scope.Area.ORG, scope.CHANGE, unit),
        },
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.ORG, scope.CHANGE)
    initial = {"parent": request.current_unit} if request.current_unit else {}
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo đơn vị %(name)s.") % {"name": unit.name})
            return redirect(unit)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Thêm đơn vị"), "cancel_url": reverse("org:unit_list")},
    )


@login_required
def unit_update(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request.user, code)
    if not scope.can(request.user, scope.Area.ORG, scope.CHANGE, unit):
        raise PermissionDenied(_("Bạn không có quyền sửa đơn vị này."))
    initial = {f: getattr(unit, f) for f in ("code", "name", "kind", "parent", "valid_from")}
    form = UnitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.unit_update(actor=request.user, unit=unit, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(unit)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Sửa đơn vị: %(name)s") % {"name": unit.name},
            "cancel_url": unit.get_absolute_url(),
        },
    )


@login_required
def unit_close(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(request.user, code)
    if not scope.can(request.user, scope.Area.ORG, scope.CHANGE, unit):
        raise PermissionDenied(_("Bạn không có quyền giải thể, sáp nhập đơn vị này."))
    form = UnitCloseForm(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_close(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận giải thể / sáp nhập đơn vị."))
            return redirect(unit)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Giải thể / sáp nhập: %(name)s") % {"name": unit.name},
            "cancel_url": unit.get_absolute_url(),
            "submit_label": _("Xác nhận"),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.PEOPLE)
    people = selectors.person_list(
        user=request.user,
        query=request.GET.get("q", ""),
        unit=request.current_unit,
        management_level=request.GET.get("level", ""),
        party_members_only=request.GET.get("members") == "1",
        include_inactive=request.GET.get("inactive") == "1",
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/person_list.html",
        {
            "page_obj": page,
            "levels": ManagementLevel.choices,
            "can_add": scope.has_area(request.user, scope.Area.PEOPLE, scope.CHANGE),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "positions": selectors.person_positions(person=person),
            "audit_entries": entries_for(person),
            "attachments": attachments_for(user=request.user, obj=person),
            "can_change": scope.can(request.user, scope.Area.PEOPLE, scope.CHANGE, person.unit),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.PEOPLE, scope.CHANGE)
    initial = {"unit": request.current_unit} if request.current_unit else {}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, reason=form.cleaned_data["reason"], **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": person.full_name})
            return redirect(person)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Thêm cán bộ, đảng viên"),
            "cancel_url": reverse("org:person_list"),
        },
    )


@login_required
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    if not scope.can(request.user, scope.Area.PEOPLE, scope.CHANGE, person.unit):
        raise PermissionDenied(_("Bạn không có quyền sửa hồ sơ này."))
    form = PersonForm(
        request.POST or None, user=request.user, instance=Person.objects.get(pk=person.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(person)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Sửa hồ sơ: %(name)s") % {"name": person.full_name},
            "cancel_url": person.get_absolute_url(),
        },
    )


@login_required
def person_position(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    if not scope.can(request.user, scope.Area.PEOPLE, scope.CHANGE, person.unit):
        raise PermissionDenied(_("Bạn không có quyền sửa hồ sơ này."))
    form = PositionChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_assign_position(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận chức vụ mới."))
            return redirect(person)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Chức vụ mới: %(name)s") % {"name": person.full_name},
            "cancel_url": person.get_absolute_url(),
        },
    )


@login_required
def term_list(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.ORG)
    return render(request, "org/term_list.html", {"terms": selectors.term_list(user=request.user)})
