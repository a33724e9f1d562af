"""The column chooser of a register's table ("Cấu hình bảng"): kept per user in the session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import tables


@require_POST
@login_required
def table_columns(request: HttpRequest) -> HttpResponse:
    """Save the columns a user shows in one table (or go back to its default), then return."""
    table_class = tables.table_named(request.POST.get("table", ""))
    if table_class is None:
        raise Http404
    shown = None if request.POST.get("reset") else request.POST.getlist("columns")
    tables.save_columns(request, table_class, shown)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
