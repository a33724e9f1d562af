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
from .choices import ManagementLevel, Role, UnitKind
from .forms import (
    PersonForm,
    PositionChangeForm,
    RoleGrantForm,
    RoleRevokeForm,
    TermForm,
    UnitCloseForm,
    UnitForm,
)
from .models import OrgUnit, Person, RoleAssignment, User


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
    return render(
        request,
        "org/term_list.html",
        {
            "terms": selectors.term_list(user=request.user),
            "can_add": scope.covers_a_root(request.user, scope.Area.ROLES, scope.CHANGE),
        },
    )


@login_required
def term_create(request: HttpRequest) -> HttpResponse:
    _need(request.user, scope.Area.ORG)
    if not scope.covers_a_root(request.user, scope.Area.ROLES, scope.CHANGE):
        raise PermissionDenied(_("Chỉ quản trị viên toàn hệ thống mới được tạo nhiệm kỳ."))
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã tạo nhiệm kỳ %(name)s.") % {"name": term.name})
            return redirect("org:term_list")
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Thêm nhiệm kỳ"), "cancel_url": reverse("org:term_list")},
    )


def _role_user_or_404(user, pk: int) -> User:
    _need(user, scope.Area.ROLES, scope.CHANGE)
    try:
        return selectors.role_user_get(user=user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def _may_revoke(actor, assignment: RoleAssignment) -> bool:
    return assignment.user_id != actor.pk and (
        assignment.role != Role.ADMIN or scope.covers_a_root(actor, scope.Area.ROLES, scope.CHANGE)
    )


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Accounts and their roles, unit by unit, within the subtree the admin administers."""
    _need(request.user, scope.Area.ROLES, scope.CHANGE)
    users = selectors.role_user_list(user=request.user, query=request.GET.get("q", "").strip())
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "org/role_list.html", {"page_obj": page})


@login_required
def role_user(request: HttpRequest, pk: int) -> HttpResponse:
    """One account's roles in scope, with the form that grants a new one."""
    target = _role_user_or_404(request.user, pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_grant(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã cấp vai trò %(role)s trên %(unit)s.")
                % {"role": assignment.get_role_display(), "unit": assignment.unit.name},
            )
            return redirect("org:role_user", pk=target.pk)
    roles = [(a, _may_revoke(request.user, a)) for a in target.scoped_roles]
    return render(
        request,
        "org/role_user.html",
        {
            "target": target,
            "roles": roles,
            "form": form,
            "is_self": target.pk == request.user.pk,
            "audit_entries": selectors.role_history(user=request.user, target=target),
        },
    )


@login_required
def role_revoke(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """Confirm and take back one role; the reason goes into the audit trail."""
    target = _role_user_or_404(request.user, pk)
    try:
        assignment = selectors.role_assignment_get(
            user=request.user, target=target, pk=assignment_pk
        )
    except RoleAssignment.DoesNotExist as exc:
        raise Http404 from exc
    if not _may_revoke(request.user, assignment):
        raise PermissionDenied(_("Bạn không được thu hồi vai trò này."))
    form = RoleRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_revoke(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã thu hồi vai trò %(role)s trên %(unit)s.")
                % {"role": assignment.get_role_display(), "unit": assignment.unit.name},
            )
            return redirect("org:role_user", pk=target.pk)
    return render(
        request,
        "org/role_revoke.html",
        {"target": target, "assignment": assignment, "form": form},
    )
