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
from longbien.org import scope

from . import selectors, services
from .forms import ProcedureForm
from .models import ProcedureArea, ProcedureKind, ProcedureLevel


def _need(user) -> None:
    scope.require_area(user, scope.Area.ORG)


def _can_add(user) -> bool:
    return any(
        scope.has_area(user, area, scope.CHANGE)
        for area in (scope.Area.ORG, scope.Area.INSPECTIONS, scope.Area.DIALOGUES)
    )


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    _need(request.user)
    procedures = selectors.procedure_list(
        user=request.user,
        query=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        area=request.GET.get("area", ""),
        level=request.GET.get("level", ""),
        current_only=request.GET.get("all") != "1",
    )
    page = Paginator(procedures, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/list.html",
        {
            "page_obj": page,
            "kinds": ProcedureKind.choices,
            "areas": ProcedureArea.choices,
            "levels": ProcedureLevel.choices,
            "can_add": _can_add(request.user),
        },
    )


def _get(request: HttpRequest, pk: int):
    _need(request.user)
    procedure = selectors.procedure_list(user=request.user).filter(pk=pk).first()
    if procedure is None:
        raise Http404
    return procedure


@login_required
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = _get(request, pk)
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "can_change": services.can_change(request.user, procedure),
            "attachments": attachments_for(user=request.user, obj=procedure),
            "audit_entries": entries_for(procedure, limit=30),
        },
    )


@login_required
def procedure_create(request: HttpRequest) -> HttpResponse:
    if not _can_add(request.user):
        raise PermissionDenied(_("Bạn không có quyền cập nhật quy trình."))
    form = ProcedureForm(
        request.POST or None, user=request.user, initial={"owner_unit": request.current_unit}
    )
    if request.method == "POST" and form.is_valid():
        try:
            procedure = services.procedure_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm quy trình %(code)s.") % {"code": procedure.code})
            return redirect(procedure)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Thêm quy trình, quy chế"),
            "cancel_url": reverse("procedures:list"),
        },
    )


@login_required
def procedure_update(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = _get(request, pk)
    if not services.can_change(request.user, procedure):
        raise PermissionDenied(_("Bạn không có quyền cập nhật quy trình của đơn vị này."))
    form = ProcedureForm(
        request.POST or None, user=request.user, instance=type(procedure).objects.get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.procedure_update(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(procedure)
    return render(
        request,
        "org/form.html",
        {
            "form": form,
            "title": _("Sửa quy trình %(code)s") % {"code": procedure.code},
            "cancel_url": procedure.get_absolute_url(),
        },
    )
