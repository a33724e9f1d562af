"""The cadre record's section on a person's page (``longbien.person_sections``).

It lists the person's latest monthly evaluations and links to their cadre record (the
evaluations per month, decisions, tests, plans, assignments, training). Everything is read
through the cadres selectors, so the section holds exactly the evaluations the viewer may
read of that person, and nothing at all for a viewer the evaluation rules keep out.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from longbien import person_sections
from longbien.org.models import Person

from . import selectors


def evaluations_section(
    *, user: Any, person: Any, limit: int
) -> person_sections.PersonSection | None:
    """The person's evaluations the viewer may read (count and latest), or ``None``."""
    if not selectors.may_use_evaluations(user):
        return None
    try:
        selectors.person_for_history(user=user, pk=person.pk)
    except Person.DoesNotExist:
        return None
    evaluations = selectors.evaluation_list(user=user, person=person)
    count = evaluations.count()
    entries = [
        person_sections.Entry(
            title=_("Tháng %(period)s") % {"period": e.period_label},
            url=e.get_absolute_url(),
            detail=e.get_status_display(),
            badge=e.get_rating_display() if e.rating else "",
        )
        for e in (evaluations[:limit] if count else [])
    ]
    return person_sections.PersonSection(
        key="cadres",
        title=_("Đánh giá hằng tháng"),
        url=reverse("cadres:person_history", args=[person.pk]),
        link_label=_("Hồ sơ cán bộ: đánh giá, quyết định, sát hạch, bồi dưỡng"),
        count=count,
        entries=entries,
        empty=_("Chưa có phiếu đánh giá nào."),
        order=20,
    )


def register() -> None:
    person_sections.register(evaluations_section)


def org_page_url(*, user: Any, person: Person) -> str:
    """The person's organisation page, when the viewer may open it (else "")."""
    if Person.objects.restrict(user).filter(pk=person.pk).exists():
        return person.get_absolute_url()
    return ""
