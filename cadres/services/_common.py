"""What the cadres services share: the actor's right, ratings, periods, rosters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Actor

from ..choices import EvaluationStatus, Rating
from ..models import (
    Evaluation,
)
from ..workflows import EVALUATION_WORKFLOW, locked_error

S = EvaluationStatus
# Every move of an evaluation (who may take it, from which state) is declared once, in
# ``workflows.EVALUATION_WORKFLOW``; each service below checks its step there.
WORKFLOW = EVALUATION_WORKFLOW


def _require(actor: Actor, unit: OrgUnit | None, action: str = scope.CHANGE) -> None:
    if not scope.can(actor, scope.Area.CADRES, action, unit):
        raise PermissionDenied(_("Bạn không có quyền thao tác trên cán bộ, đơn vị này."))


def _is_self(actor: Actor, person_id: int | None) -> bool:
    return bool(person_id) and getattr(actor, "person_id", None) == person_id


# The ratings' values once (``Rating.values`` builds its list at each call: an import checks
# three ratings a row).
_RATINGS = frozenset(Rating.values)


def _clean_rating(value: str, field: str = "rating", *, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if value not in _RATINGS:
        raise ValidationError(
            {
                field: _(
                    "Xếp loại “%(value)s” không hợp lệ; chỉ chọn một trong bốn mức: %(allowed)s."
                )
                % {"value": value, "allowed": "; ".join(str(label) for label in Rating.labels)}
            },
            code="invalid_rating",
        )
    return value


_locked_error = locked_error


def _lock(evaluation: Evaluation) -> Evaluation:
    """Reload the row under a lock so two concurrent moves cannot both pass the check."""
    return (
        Evaluation.objects.select_for_update()
        .select_related("person", "unit")
        .get(pk=evaluation.pk)
    )


def _check_period(year: int, month: int) -> None:
    if not (1 <= int(month) <= 12):
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": _("Năm không hợp lệ.")})


def _duplicate_error(person: Person, year: int, month: int) -> ValidationError:
    return ValidationError(
        _("%(person)s đã có phiếu đánh giá tháng %(month)02d/%(year)s.")
        % {"person": person, "month": month, "year": year},
        code="duplicate",
    )


def _check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    return year


def _check_month(month: Any) -> int:
    try:
        month = int(month)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    return month


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def unknown_person_message(code: str) -> str:
    """The answer to a person code that is unknown, or outside the user's scope: the same."""
    return _("Không có cán bộ mã “%(code)s”.") % {"code": code}


def _check_roster(
    *, actor: Actor, people: list[Person], listed: set[int], already: str
) -> list[Person]:
    """Check people to add to a test session or a class: in scope and not yet listed.

    Every problem is reported at once (on the ``people`` field) so that nobody is added
    until the whole list is right; a code typed twice counts once. Someone the actor may not
    even see gets the unknown-code message, naming only the code: nothing about them leaks.
    """
    unique = list({person.pk: person for person in people}.values())
    if not unique:
        raise ValidationError({"people": _("Hãy nhập ít nhất một mã cán bộ.")})
    errors: list[str] = []
    for person in unique:
        names = {"person": person.full_name, "code": person.code}
        if not (
            _is_self(actor, person.pk)
            or scope.can(actor, scope.Area.CADRES, scope.VIEW, person.unit)
        ):
            errors.append(unknown_person_message(person.code))
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, person.unit):
            errors.append(_("%(person)s (%(code)s) thuộc đơn vị ngoài phạm vi của bạn.") % names)
        elif person.pk in listed:
            errors.append(already % names)
    if errors:
        raise ValidationError({"people": errors})
    return unique
