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

from longbien import person_sections
from longbien.core.generic import ScopedDetailView, ScopedListView, ServiceFormView

from . import filters, scope, selectors, services, tables, tree_html
from .choices import Role
from .forms import (
    PersonForm,
    PositionChangeForm,
    RoleGrantForm,
    RoleHeadsForm,
    RoleRevokeForm,
    TermForm,
    UnitCloseForm,
    UnitForm,
)
from .models import OrgUnit, Person, RoleAssignment, User


def _need(user, area: str, action: str = scope.VIEW) -> None:
    scope.require_area(user, area, action)


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The organisation tree: the viewer's units, nested, with the counts of each subtree.

    Native ``<details>`` (works without JavaScript): the first two levels open, deeper ones
    closed. At city scale (thousands of units) only three levels are drawn; a branch below
    opens on its own page (``?root=<code>``, a plain link) or, with JavaScript, is loaded into
    the page (``?root=<code>&partial=1``, just that branch). ``?q=`` opens the branches that
    lead to the units whose name or code matches.
    """
    _need(request.user, scope.Area.ORG)
    user, get = request.user, request.GET
    root = None
    if get.get("root"):
        try:
            root = selectors.unit_get(user=user, code=get["root"])
        except OrgUnit.DoesNotExist as exc:
            raise Http404(_("Không tìm thấy đơn vị.")) from exc
    partial = root is not None and get.get("partial") == "1"
    tree = selectors.unit_tree(
        user=user,
        within=request.current_unit,
        root=root,
        query="" if partial else get.get("q", ""),
        closed=get.get("closed") == "1",
        open_levels=1 if partial else 2,
    )
    if partial:
        children = tree.focus.children if tree.focus is not None else []
        return HttpResponse(tree_html.branch(children))
    return render(
        request,
        "org/unit_list.html",
        {
            "tree": tree,
            "branch": tree_html.branch(tree.roots),
            "root": root,
            "ancestors": selectors.unit_ancestors(user=user, unit=root) if root else [],
            "can_add": scope.has_area(user, scope.Area.ORG, scope.CHANGE),
        },
    )


class UnitDetailView(ScopedDetailView):
    model = OrgUnit
    selector = selectors.unit_get
    lookup_field = lookup_url_kwarg = "code"
    context_object_name = "unit"
    template_name = "org/unit_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        unit, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "children": selectors.unit_list(user=user, active=None).filter(parent=unit),
            "former_names": unit.former_names.all(),
            "predecessors": unit.predecessors.all(),
            "people": selectors.person_list(user=user, unit=unit).filter(unit=unit)[:50],
            "can_change": scope.can(user, scope.Area.ORG, scope.CHANGE, unit),
        }


unit_detail = UnitDetailView.as_view()


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
    # The service refuses a parent outside the actor's scope (or none): said on that field.
    catch_denied = True
    denied_field = "parent"

    def get_initial(self) -> dict[str, Any]:
        return {"parent": self.request.current_unit} if self.request.current_unit else {}

    def perform(self, form: Any) -> OrgUnit:
        return services.unit_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result: OrgUnit, form: Any) -> str:
        return _("Đã tạo đơn vị %(name)s.") % {"name": result.name}


class UnitUpdateView(_UnitPage):
    form_class = UnitForm
    denied_message = gettext_lazy("Bạn không có quyền sửa đơn vị này.")
    # The unit itself is checked before the form (403); the service's refusals left are about
    # the parent (a move out of or into another's scope, the top level): said on that field.
    catch_denied = True
    denied_field = "parent"

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


class PersonListView(ScopedListView):
    model = Person
    selector = selectors.person_list
    filterset_class = filters.PersonFilterSet
    table_class = tables.PersonTable
    template_name = "org/person_list.html"
    register = "people"

    def selector_kwargs(self) -> dict[str, Any]:
        return {"include_inactive": True}  # the filters say whether the retired are shown

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_add = scope.has_area(self.request.user, scope.Area.PEOPLE, scope.CHANGE)
        return {**super().get_context_data(**kwargs), "can_add": can_add}


person_list = PersonListView.as_view()


class PersonDetailView(ScopedDetailView):
    model = Person
    selector = selectors.person_get
    context_object_name = "person"
    template_name = "org/person_detail.html"
    attachments = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person, user = self.object, self.request.user
        return {
            **super().get_context_data(**kwargs),
            "positions": selectors.person_positions(person=person),
            "can_change": scope.can(user, scope.Area.PEOPLE, scope.CHANGE, person.unit),
            # What the other apps hold on the person (the cadre record, evaluations), as the
            # viewer may read it: longbien.person_sections.
            "person_sections": person_sections.collect(user=user, person=person),
        }


person_detail = PersonDetailView.as_view()


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


class RoleUserView(ServiceFormView):
    """One account's roles in scope, with the form that grants a new one."""

    area = None  # the account's own check (_role_user_or_404)
    template_name = "org/role_user.html"
    form_class = RoleGrantForm

    def get_object(self) -> User:
        return _role_user_or_404(self.request.user, self.kwargs["pk"])

    def may_change(self) -> bool:
        return True  # found among the accounts the admin administers

    def perform(self, form: Any) -> RoleAssignment:
        return services.role_grant(actor=self.request.user, user=self.object, **form.cleaned_data)

    def get_success_message(self, result: RoleAssignment, form: Any) -> str:
        return _("Đã cấp vai trò %(role)s trên %(unit)s.") % {
            "role": result.get_role_display(),
            "unit": result.unit.name,
        }

    def get_success_url(self, result: Any = None) -> str:
        return reverse("org:role_user", kwargs={"pk": self.object.pk})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if RoleHeadsForm.marker in request.POST:
            return self.set_heads_committee(request)
        return super().post(request, *args, **kwargs)

    def set_heads_committee(self, request: HttpRequest) -> HttpResponse:
        """The toggle of an inspection role: its holder heads the Inspection Committee (reads
        the log of reads of confidential records). Through the role service: admins, audited."""
        form = RoleHeadsForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(self.get_success_url())
        try:
            assignment = selectors.role_assignment_get(
                user=request.user, target=self.object, pk=form.cleaned_data["assignment"]
            )
        except RoleAssignment.DoesNotExist as exc:
            raise Http404 from exc
        heads = form.cleaned_data["heads_committee"]
        try:
            services.role_set_heads_committee(
                actor=request.user, assignment=assignment, heads=heads,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            texts = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in texts:
                messages.error(request, message)
        else:
            done = (
                _("Đã đánh dấu lãnh đạo Ủy ban Kiểm tra trên %(unit)s.")
                if heads
                else _("Đã bỏ đánh dấu lãnh đạo Ủy ban Kiểm tra trên %(unit)s.")
            )
            messages.success(request, done % {"unit": assignment.unit.name})
        return redirect(self.get_success_url())

    def get_extra_context(self) -> dict[str, Any]:
        target, user = self.object, self.request.user
        return {
            "target": target,
            "inspection_role": Role.INSPECTION,
            "roles": [(a, _may_revoke(user, a)) for a in target.scoped_roles],
            "is_self": target.pk == user.pk,
            "audit_entries": selectors.role_history(user=user, target=target),
        }


role_user = RoleUserView.as_view()


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
