"""Home, search, the unit picker, health, the audit browser and the error pages."""

from __future__ import annotations

import sys
from typing import Any

import redis
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from longbien.audit import audit_rows
from longbien.celery import app
from longbien.org import scope
from longbien.org.models import OrgUnit

from . import search as global_search
from . import selectors
from .audit_tables import AuditLogFilterSet, AuditLogTable
from .generic import ScopedListView
from .models import Notification
from .selectors import home_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", home_summary(user=request.user, unit=request.current_unit)
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = global_search.run(request.user, query)
    return render(
        request,
        "core/search.html",
        {"query": query, "results": results, "hits": results.hits, "groups": results.groups},
    )


@login_required
@require_POST
def choose_unit(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("unit", "")
    if not code:
        request.session.pop("unit_code", None)
    else:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None or not scope.can(request.user, scope.Area.ORG, scope.VIEW, unit):
            raise PermissionDenied(_("Bạn không có quyền xem đơn vị này."))
        request.session["unit_code"] = unit.code
        messages.success(request, _("Đang làm việc với đơn vị: %(unit)s") % {"unit": unit.name})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the database, Redis and Celery; 503 when the database or Redis is down."""
    checks: dict[str, Any] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
            healthy = False
        if healthy:
            try:
                replies = app.control.ping(timeout=1.0)
                checks["celery"] = f"ok ({len(replies)} worker)" if replies else "no workers"
            except Exception as exc:  # noqa: BLE001
                checks["celery"] = f"error: {exc.__class__.__name__}"
        else:
            checks["celery"] = "unknown (no broker)"
    else:
        checks["redis"] = "not configured"
        checks["celery"] = "eager"
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)


class AuditLogView(ScopedListView):
    """Browse the audit trail of the records in the administrator's scope, as a register."""

    model = LogEntry
    area = None  # the log's own rule, below
    selector = selectors.audit_log
    filterset_class = AuditLogFilterSet
    table_class = AuditLogTable
    template_name = "core/audit_log.html"

    def check_area(self) -> None:
        if not scope.has_area(self.request.user, scope.Area.AUDIT):
            raise PermissionDenied(_("Chỉ quản trị viên được xem nhật ký hệ thống."))

    def get_table(self, rows: Any) -> Any:
        # Readable rows: field labels and values, one query per referenced model.
        self.rows = audit_rows(rows, user=self.request.user)
        return super().get_table(self.rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = self.rows  # the page's entries as shown
        return context


audit_log = AuditLogView.as_view()


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception)
        if exception and str(exception)
        else _("Bạn không có quyền truy cập trang này.")
    )
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # The API answers in JSON, as its schema says, even at an address no endpoint matches.
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """The 500 page; a lost database connection is a 503 asking to retry.

    Neither needs the database: the 503 page, and the 500 page when the database fails while
    it renders, are rendered without the request's context processors (the menu reads roles).
    """
    if _database_lost(sys.exc_info()[1]):
        message = _("Mất kết nối cơ sở dữ liệu, vui lòng thử lại.")
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    try:
        return render(request, "500.html", status=500)
    except DatabaseError:
        return HttpResponseServerError(loader.render_to_string("500.html"))


def _database_lost(error: BaseException | None) -> bool:
    """Say whether ``error`` is the database connection gone, not one statement refused.

    The driver's error gives no SQLSTATE when the client finds the connection closed or
    cannot open one; the server sends class 08 (connection exception) or 57P01-57P03 (shut
    down, crashed, starting) as it drops it. A timeout or a deadlock on a live connection is
    an OperationalError too, and stays a 500.
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    code = getattr(error.__cause__, "pgcode", None)
    return code is None or code.startswith("08") or code in ("57P01", "57P02", "57P03")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "403.html",
        {
            "message": _(
                "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."
            )
        },
        status=403,
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications (``?unread=1``: the unread ones); POST marks them read.

    A POST with ``id`` marks that one notification read, without it every unread one; it
    returns to ``next`` (the home page's list) when that is a page of this site.
    """
    items = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        unread = items.filter(read_at__isnull=True)
        picked = request.POST.get("id", "")
        if picked.isdigit():
            unread = unread.filter(pk=int(picked))
        unread.update(read_at=timezone.now())
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("notifications")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        items = items.filter(read_at__isnull=True)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request, "core/notifications.html", {"page_obj": page, "only_unread": only_unread}
    )
