"""Pages of the organisation: units, people, terms. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from longbien.attachments.selectors import attachments_for
from longbien.audit import entries_for
from longbien.core.forms import add_service_errors
from longbien.core.generic import ServiceFormView

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


class _OrgForm(ServiceFormView):
    """A form page of the organisation: ``org/form.html``, a service, back to the record."""

    template_name = "org/form.html"
    catch_denied = False  # a service's refusal of the actor is the 403 page, as it was
    #: The area of the record's own check (``scope.can`` on its unit).
    change_area = scope.Area.ORG

    def may_change(self) -> bool:
        if self.object is None:
            return True
        unit = getattr(self.object, "unit", self.object)
        return scope.can(self.request.user, self.change_area, scope.CHANGE, unit)


class _UnitPage(_OrgForm):
    model = OrgUnit
    action = scope.VIEW
    edits_object = True
    selector = selectors.unit_get
    lookup_field = lookup_url_kwarg = "code"

    def may_change(self) -> bool:
        return scope.can(self.request.user, scope.Area.ORG, scope.CHANGE, self.object)


class UnitCreateView(_OrgForm):
    model = OrgUnit
    form_class = UnitForm
    title = gettext_lazy("Thêm đơn vị")
    cancel_url = "org:unit_list"

    def get_initial(self) -> dict[str, Any]:
        return {"parent": self.request.current_unit} if self.request.current_unit else {}

    def perform(self, form: Any) -> OrgUnit:
        return services.unit_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: OrgUnit, form: Any) -> str:
        return _("Đã tạo đơn vị %(name)s.") % {"name": result.name}


class UnitUpdateView(_UnitPage):
    form_class = UnitForm
    denied_message = gettext_lazy("Bạn không có quyền sửa đơn vị này.")

    def get_initial(self) -> dict[str, Any]:
        fields = ("code", "name", "kind", "parent", "valid_from")
        return {f: getattr(self.object, f) for f in fields}

    def get_title(self) -> str:
        return _("Sửa đơn vị: %(name)s") % {"name": self.object.name}

    def perform(self, form: Any) -> Any:
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        return services.unit_update(
            actor=self.request.user, unit=self.object, reason=reason, **data
        )


class UnitCloseView(_UnitPage):
    form_class = UnitCloseForm
    denied_message = gettext_lazy("Bạn không có quyền giải thể, sáp nhập đơn vị này.")
    submit_label = gettext_lazy("Xác nhận")
    success_message = gettext_lazy("Đã ghi nhận giải thể / sáp nhập đơn vị.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "unit": self.object}

    def get_title(self) -> str:
        return _("Giải thể / sáp nhập: %(name)s") % {"name": self.object.name}

    def perform(self, form: Any) -> Any:
        return services.unit_close(actor=self.request.user, unit=self.object, **form.cleaned_data)


unit_create = UnitCreateView.as_view()
unit_update = UnitUpdateView.as_view()
unit_close = UnitCloseView.as_view()


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


class _PersonPage(_OrgForm):
    model = Person
    action = scope.VIEW
    edits_object = True
    selector = selectors.person_get
    change_area = scope.Area.PEOPLE
    denied_message = gettext_lazy("Bạn không có quyền sửa hồ sơ này.")


class PersonCreateView(_OrgForm):
    model = Person
    form_class = PersonForm
    title = gettext_lazy("Thêm cán bộ, đảng viên")
    cancel_url = "org:person_list"

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.request.current_unit} if self.request.current_unit else {}

    def perform(self, form: Any) -> Person:
        return services.person_create(
            actor=self.request.user, reason=form.cleaned_data["reason"], **form.service_fields()
        )

    def get_success_message(self, result: Person, form: Any) -> str:
        return _("Đã thêm %(name)s.") % {"name": result.full_name}


class PersonUpdateView(_PersonPage):
    form_class = PersonForm

    def get_form_kwargs(self) -> dict[str, Any]:
        # The form edits a fresh copy: the service compares it with the stored record.
        return {**super().get_form_kwargs(), "instance": Person.objects.get(pk=self.object.pk)}

    def get_title(self) -> str:
        return _("Sửa hồ sơ: %(name)s") % {"name": self.object.full_name}

    def perform(self, form: Any) -> Any:
        return services.person_update(
            actor=self.request.user,
            person=self.object,
            reason=form.cleaned_data["reason"],
            **form.service_fields(),
        )


class PersonPositionView(_PersonPage):
    form_class = PositionChangeForm
    success_message = gettext_lazy("Đã ghi nhận chức vụ mới.")

    def get_title(self) -> str:
        return _("Chức vụ mới: %(name)s") % {"name": self.object.full_name}

    def perform(self, form: Any) -> Any:
        return services.person_assign_position(
            actor=self.request.user, person=self.object, **form.cleaned_data
        )


person_create = PersonCreateView.as_view()
person_update = PersonUpdateView.as_view()
person_position = PersonPositionView.as_view()


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


class TermCreateView(_OrgForm):
    area = scope.Area.ORG
    action = scope.VIEW
    form_class = TermForm
    form_takes_user = False
    title = gettext_lazy("Thêm nhiệm kỳ")
    cancel_url = "org:term_list"
    denied_message = gettext_lazy("Chỉ quản trị viên toàn hệ thống mới được tạo nhiệm kỳ.")

    def may_change(self) -> bool:
        return scope.covers_a_root(self.request.user, scope.Area.ROLES, scope.CHANGE)

    def perform(self, form: Any) -> Any:
        return services.term_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã tạo nhiệm kỳ %(name)s.") % {"name": result.name}

    def get_success_url(self, result: Any = None) -> str:
        return reverse("org:term_list")


term_create = TermCreateView.as_view()


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


class RoleRevokeView(ServiceFormView):
    """Confirm and take back one role; the reason goes into the audit trail."""

    area = None  # the account's own check (_role_user_or_404)
    template_name = "org/role_revoke.html"
    form_class = RoleRevokeForm
    form_takes_user = False
    catch_denied = False
    denied_message = gettext_lazy("Bạn không được thu hồi vai trò này.")

    def get_object(self) -> RoleAssignment:
        self.target = _role_user_or_404(self.request.user, self.kwargs["pk"])
        try:
            return selectors.role_assignment_get(
                user=self.request.user, target=self.target, pk=self.kwargs["assignment_pk"]
            )
        except RoleAssignment.DoesNotExist as exc:
            raise Http404 from exc

    def may_change(self) -> bool:
        return _may_revoke(self.request.user, self.object)

    def perform(self, form: Any) -> Any:
        return services.role_revoke(
            actor=self.request.user, assignment=self.object, reason=form.cleaned_data["reason"]
        )

    def get_success_message(self, result: Any, form: Any) -> str:
        return _("Đã thu hồi vai trò %(role)s trên %(unit)s.") % {
            "role": self.object.get_role_display(),
            "unit": self.object.unit.name,
        }

    def get_success_url(self, result: Any = None) -> str:
        return reverse("org:role_user", kwargs={"pk": self.target.pk})

    def get_extra_context(self) -> dict[str, Any]:
        return {"target": self.target, "assignment": self.object}


role_revoke = RoleRevokeView.as_view()
