"""Training classes for key cadres: enrolment and completion."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from longbien.org import scope
from longbien.org.models import OrgUnit, Person
from longbien.org.types import Viewer

from ..models import (
    TrainingClass,
    TrainingParticipant,
)


def training_list(*, user: Viewer, unit: OrgUnit | None = None) -> QuerySet[TrainingClass]:
    """Classes the user may see, with how many of their people enrolled and completed.

    As with test sessions, a ward sees a district class its own people attend.
    """
    seen = scope.unit_q(user, scope.Area.CADRES, scope.VIEW, "participants__person__unit")
    trainings = TrainingClass.objects.restrict(user).select_related("unit")
    if unit is not None:
        trainings = trainings.filter(unit__path__startswith=unit.path)
    return trainings.annotate(
        participant_count=Count("participants", filter=seen),
        completed_count=Count("participants", filter=seen & Q(participants__completed=True)),
    ).order_by("-start_date", "-id")


def training_get(*, user: Viewer, pk: int) -> TrainingClass:
    return training_list(user=user).get(pk=pk)


def training_participants(
    *, user: Viewer, training: TrainingClass
) -> QuerySet[TrainingParticipant]:
    """The participants of a class the user may see (their scope, or themself)."""
    return (
        TrainingParticipant.objects.restrict(user)
        .filter(training=training)
        .select_related("person", "person__unit", "person__position")
        .order_by("person__sort_key", "id")
    )


def training_history(*, user: Viewer, person: Person) -> QuerySet[TrainingParticipant]:
    """The classes a person attended, as far as the user may see them."""
    return (
        TrainingParticipant.objects.restrict(user)
        .filter(person=person)
        .select_related("training")
        .order_by("-training__start_date", "-id")
    )
