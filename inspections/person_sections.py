"""The discipline section of a person's page (``longbien.person_sections``).

It lists the discipline decisions on the person that the viewer may read (the inspections
area, within the viewer's scope), newest first, and links to the discipline register
filtered to the person. Everything is read through ``selectors.person_disciplines``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from longbien import person_sections
from longbien.org import scope

from . import selectors


def disciplines_section(
    *, user: Any, person: Any, limit: int
) -> person_sections.PersonSection | None:
    """The person's discipline decisions the viewer may read, or ``None`` outside the area."""
    if not scope.has_area(user, scope.Area.INSPECTIONS):
        return None
    decisions = selectors.person_disciplines(user, person)
    entries = [
        person_sections.Entry(
            title=_("%(form)s – %(symbol)s") % {"form": d.get_form_display(), "symbol": d.symbol},
            url=d.get_absolute_url(),
            detail=f"{d.deciding_body.name} · {d.decided_on:%d/%m/%Y}",
            badge=d.get_form_display(),
            tone="red",
        )
        for d in decisions[:limit]
    ]
    return person_sections.PersonSection(
        key="disciplines",
        title=_("Kỷ luật đảng"),
        url=reverse("inspections:discipline_list") + f"?person={person.pk}",
        link_label=_("Các quyết định kỷ luật của đảng viên"),
        count=len(decisions),
        entries=entries,
        empty=_("Không có quyết định kỷ luật nào."),
        order=40,
    )


def register() -> None:
    person_sections.register(disciplines_section)
