"""Qualification tests (sát hạch): sessions, rosters, scores and results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Actor
from longbien.service import service

from ..choices import TestResult
from ..models import (
    QualificationTest,
    TestParticipant,
)
from ._common import _check_roster, _day, _is_self, _require


def parse_score(value: Any) -> Decimal:
    """Read a score typed as 85, 85.5 or 85,5 (the Vietnamese decimal comma)."""
    text = str(value).strip().replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = Decimal("NaN")
    if not score.is_finite():
        raise ValidationError(
            _("Điểm “%(value)s” không phải là số.") % {"value": value}, code="invalid_score"
        )
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(
            _("Điểm %(value)s nằm ngoài khoảng từ 0 đến 100.") % {"value": value},
            code="invalid_score",
        )
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Điểm %(value)s có quá một chữ số thập phân; ví dụ hợp lệ: 85,5.") % {"value": value},
            code="invalid_score",
        )
    return score.quantize(Decimal("0.1"))


def _lock_test(test: QualificationTest) -> QualificationTest:
    return QualificationTest.objects.select_for_update().select_related("unit").get(pk=test.pk)


@service
def test_create(
    *, actor: Actor, unit: OrgUnit, subject: str, held_on: dt.date, pass_mark: Any = Decimal(50)
) -> QualificationTest:
    """Open a test session organised by ``unit``."""
    _require(actor, unit)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Hãy ghi nội dung sát hạch.")})
    try:
        pass_mark = parse_score(pass_mark)
    except ValidationError as error:
        raise ValidationError({"pass_mark": error.messages}) from error
    test = QualificationTest(unit=unit, subject=subject, held_on=held_on, pass_mark=pass_mark)
    test.full_clean()
    with audited(actor=actor):
        test.save()
    return test


@service
def test_add_participants(
    *, actor: Actor, test: QualificationTest, people: list[Person]
) -> list[TestParticipant]:
    """Register people for a test session (scores come later): all of them or none."""
    test = _lock_test(test)
    _require(actor, test.unit)
    listed = set(test.participants.values_list("person_id", flat=True))
    people = _check_roster(
        actor=actor, people=people, listed=listed,
        already=_("%(person)s (%(code)s) đã có tên trong kỳ sát hạch này."),
    )  # fmt: skip
    with audited(actor=actor):
        return [
            TestParticipant.objects.create(test=test, person=person, unit=person.unit)
            for person in people
        ]


@service
def test_record_scores(
    *, actor: Actor, test: QualificationTest, scores: dict[int, Any]
) -> list[TestParticipant]:
    """Enter a session's scores in one go: every row is checked first; all are saved or none.

    ``scores`` maps participants' person ids to scores; an empty score leaves that row as it
    is. The result follows from the pass mark. Errors come back keyed by person id (as text)
    so the page can show them per row.
    """
    test = _lock_test(test)
    _require(actor, test.unit)
    if test.held_on > timezone.localdate():
        raise ValidationError(
            _("Kỳ sát hạch ngày %(day)s chưa diễn ra; chưa nhập được điểm.")
            % {"day": _day(test.held_on)},
            code="not_held",
        )
    wanted = {
        int(pk): value for pk, value in scores.items() if value is not None and str(value).strip()
    }
    if not wanted:
        raise ValidationError(_("Chưa nhập điểm của người nào."), code="empty")
    rows = {
        row.person_id: row
        for row in TestParticipant.objects.select_for_update()
        .filter(test=test, person_id__in=wanted)
        .select_related("person", "unit")
    }
    errors: dict[str, list[str]] = {}
    parsed: dict[int, Decimal] = {}
    for pk, value in wanted.items():
        row = rows.get(pk)
        problem = ""
        if row is None:
            problem = _("Cán bộ này không có tên trong kỳ sát hạch.")
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, row.unit):
            problem = _("Người dự sát hạch thuộc đơn vị ngoài phạm vi của bạn.")
        elif _is_self(actor, pk):
            problem = _("Không được tự nhập điểm sát hạch của chính mình.")
        else:
            try:
                parsed[pk] = parse_score(value)
            except ValidationError as error:
                problem = error.messages[0]
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    saved: list[TestParticipant] = []
    with audited(actor=actor):
        for pk, score in parsed.items():
            row = rows[pk]
            result = TestResult.PASSED if score >= test.pass_mark else TestResult.FAILED
            if (row.score, row.result) == (score, result):
                continue
            row.score, row.result = score, result
            row.save(update_fields=["score", "result"])
            saved.append(row)
    return saved


@service
def test_result_record(
    *, actor: Actor, test: QualificationTest, person: Person, score: Any = None
) -> TestParticipant:
    """Register ``person`` for a session if not yet listed, and enter the score if given.

    The same rules as on the session page (:func:`test_add_participants` and
    :func:`test_record_scores`): an empty score leaves an entered one as it is.
    """
    row = TestParticipant.objects.filter(test=test, person=person).first()
    if row is None:
        (row,) = test_add_participants(actor=actor, test=test, people=[person])
    if score is not None and str(score).strip():
        try:
            test_record_scores(actor=actor, test=test, scores={person.pk: score})
        except ValidationError as error:
            messages = (
                error.message_dict.get(str(person.pk)) if hasattr(error, "error_dict") else None
            )
            raise ValidationError({"score": messages or error.messages}) from error
        row.refresh_from_db()
    return row
