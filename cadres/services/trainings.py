"""Training classes for key cadres: enrolment and completion."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Actor
from longbien.service import service

from ..models import (
    TrainingClass,
    TrainingParticipant,
)
from ._common import _check_roster, _day, _is_self, _require


@service
def training_create(
    *, actor: Actor, unit: OrgUnit, name: str, start_date: dt.date, end_date: dt.date
) -> TrainingClass:
    """Open a training class organised by ``unit``."""
    _require(actor, unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy ghi tên lớp.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    training = TrainingClass(unit=unit, name=name, start_date=start_date, end_date=end_date)
    training.full_clean()
    with audited(actor=actor):
        training.save()
    return training


def _lock_training(training: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().select_related("unit").get(pk=training.pk)


@service
def training_enrol(
    *, actor: Actor, training: TrainingClass, people: list[Person]
) -> list[TrainingParticipant]:
    """Enrol people in a class: all of them or none."""
    training = _lock_training(training)
    _require(actor, training.unit)
    listed = set(training.participants.values_list("person_id", flat=True))
    people = _check_roster(
        actor=actor, people=people, listed=listed,
        already=_("%(person)s (%(code)s) đã có tên trong lớp này."),
    )  # fmt: skip
    with audited(actor=actor):
        return [
            TrainingParticipant.objects.create(training=training, person=person)
            for person in people
        ]


@service
def training_record_completion(
    *, actor: Actor, training: TrainingClass, completed: dict[int, bool]
) -> list[TrainingParticipant]:
    """Mark who completed a class, in one go: every row is checked first; all or none.

    ``completed`` maps participants' person ids to whether they completed; people left out
    stay as they are. Completion is recorded from the class's last day on. Errors come back
    keyed by person id (as text).
    """
    training = _lock_training(training)
    _require(actor, training.unit)
    wanted = {int(pk): bool(done) for pk, done in completed.items()}
    rows = {
        row.person_id: row
        for row in TrainingParticipant.objects.select_for_update()
        .filter(training=training, person_id__in=wanted)
        .select_related("person", "person__unit")
    }
    finished = training.end_date <= timezone.localdate()
    errors: dict[str, list[str]] = {}
    for pk, done in wanted.items():
        row = rows.get(pk)
        problem = ""
        if row is None:
            problem = _("Cán bộ này không có tên trong lớp.")
        elif row.completed == done:
            continue
        elif not scope.can(actor, scope.Area.CADRES, scope.CHANGE, row.person.unit):
            problem = _("Học viên thuộc đơn vị ngoài phạm vi của bạn.")
        elif _is_self(actor, pk):
            problem = _("Không được tự xác nhận kết quả học tập của chính mình.")
        elif done and not finished:
            problem = _("Lớp kết thúc ngày %(day)s; chưa xác nhận hoàn thành được.") % {
                "day": _day(training.end_date)
            }
        if problem:
            errors[str(pk)] = [problem]
    if errors:
        raise ValidationError(errors)
    saved: list[TrainingParticipant] = []
    with audited(actor=actor):
        for pk, done in wanted.items():
            row = rows[pk]
            if row.completed != done:
                row.completed = done
                row.save(update_fields=["completed"])
                saved.append(row)
    return saved
