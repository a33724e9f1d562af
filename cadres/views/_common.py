"""What the cadres pages share: the area checks, the unit asked for, the form and list bases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien import periods
from longbien.core.generic import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)
from longbien.formatting import vn_number
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.selectors import unit_choices

from .. import selectors
from ..forms import (
    PeopleForm,
)

PAGE_SIZE = 50


def _need(user: Any, action: str = scope.VIEW) -> None:
    if not selectors.sees_area(user, action):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def _need_evaluations(user: Any) -> None:
    if not selectors.may_use_evaluations(user):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _get_or_404(getter: Callable[..., Any], user: Any, pk: int) -> Any:
    try:
        return getter(user=user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _can_change(user: Any, unit: OrgUnit) -> bool:
    return scope.can(user, scope.Area.CADRES, scope.CHANGE, unit)


def _default_unit(request: HttpRequest, action: str = scope.VIEW) -> OrgUnit | None:
    """The unit picked in the header if allowed, else the top of the user's scope."""
    current = request.current_unit
    if current is not None and scope.can(request.user, scope.Area.CADRES, action, current):
        return current
    paths = scope.scope_paths(request.user, scope.Area.CADRES, action)
    if not paths:
        return None
    if paths[0] == "":
        return OrgUnit.objects.filter(code=settings.PORTAL_ROOT_UNIT_CODE).first() or (
            OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        )
    return OrgUnit.objects.filter(path=paths[0]).first()


def _unit_from_query(request: HttpRequest, action: str = scope.VIEW) -> OrgUnit | None:
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return _default_unit(request, action)
    # A unit outside the user's scope reads as an unknown one: 404 for both.
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not scope.can(request.user, scope.Area.CADRES, action, unit):
        raise Http404
    return unit


class _OwnRecordDetail(ScopedDetailView):
    """A record the cadre sees as their own, or a cadres role in scope."""

    area = None  # the cadre themself or a cadres role (_need_evaluations)

    def check_area(self) -> None:
        _need_evaluations(self.request.user)


class _CadresForm(ServiceFormView):
    """A form page of cadre work: ``cadres/form.html``, one service, back to the record."""

    area = scope.Area.CADRES
    template_name = "cadres/form.html"

    def may_change(self) -> bool:
        return self.object is None or _can_change(self.request.user, self.object.unit)


class _OwnRecordForm(_CadresForm):
    """A record the cadre opens for themself, or staff in scope for them (``person`` field)."""

    area = None
    form_class: Any
    denied_field = "person"

    def is_staff(self) -> bool:
        return selectors.sees_area(self.request.user, scope.CHANGE)

    def may_change(self) -> bool:
        return self.is_staff() or bool(self.request.user.person_id)

    def get_initial(self) -> dict[str, Any]:
        if self.request.user.person_id and not self.is_staff():
            return {"person": self.request.user.person.code}
        return {}


def scope_units(user: Any):
    return unit_choices(user=user, area=scope.Area.CADRES).filter(depth__lte=1)


class _CadresList(ScopedListView):
    area = scope.Area.CADRES
    paginate_by = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        can_add = selectors.sees_area(self.request.user, scope.CHANGE)
        return {**super().get_context_data(**kwargs), "can_add": can_add}


@dataclass
class _Row:
    """One participant's line on a grid: what was typed and what went wrong."""

    participant: Any
    value: Any = ""
    error: str = ""


def _row_errors(rows: list[_Row], error: ValidationError) -> list[str]:
    """Put a bulk service's per-person errors on the rows; return the page-level ones."""
    by_person = getattr(error, "error_dict", {})
    for row in rows:
        for item in by_person.get(str(row.participant.person_id), []):
            row.error = " ".join(item.messages)
    general = [] if by_person else list(error.messages)
    return [_("Chưa lưu dòng nào: hãy sửa các dòng báo lỗi rồi lưu lại."), *general]


def _score_text(score: Any) -> str:
    return "" if score is None else vn_number(score, 1)


class _EnrolView(_CadresForm):
    """Add people to a session or a class the user may change: all of them or none."""

    edits_object = True
    form_class = PeopleForm
    catch_denied = False

    def get_success_url(self, result: Any = None) -> str:
        return self.object.get_absolute_url()


def _year(request: HttpRequest) -> int:
    """The year a list page shows (this year by default); an invalid one is said, not hidden."""
    values, errors = periods.numbers_from_query(
        request.GET, "year", defaults={"year": timezone.localdate().year}
    )
    for message in errors:
        messages.error(request, message)
    return values["year"] or timezone.localdate().year
