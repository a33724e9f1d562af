"""The dialogues' part of the global search: dialogues and public-opinion cases.

Both read through the app's selectors (``restrict()``), so a hit is a record the user may
open. A case is found by words of its content (folded: without diacritics) or its number
("#12"), never by the citizen who raised it, and its hit names no citizen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from longbien.core import search
from longbien.core.search import DATE, EXACT, TEXT, Group, Query, SearchHit, group

from . import selectors
from .models import Dialogue, OpinionCase


def _case_number(query: Query) -> int | None:
    text = str(query).lstrip("#").strip()
    return int(text) if text.isdigit() and str(query).startswith("#") else None


def search_dialogues(user: Any, query: Query, limit: int) -> Iterable[Group]:
    """Dialogues by words of their topic or the unit's name, or held on a day or in a month;
    cases by words of their content, their number (#12), or received on a day or in a month."""
    dialogues = selectors.dialogue_list(user)
    cases = selectors.case_list(user)
    number = _case_number(query)
    if query.is_date:
        dialogues = dialogues.filter(query.date_q("held_on"))
        cases = cases.filter(query.date_q("received_on"))
        rank = DATE
    elif number is not None:
        dialogues = dialogues.none()
        cases = cases.filter(pk=number)
        rank = EXACT
    else:
        dialogues = dialogues.filter(
            Q(topic_folded__contains=query.folded) | Q(unit__name_folded__contains=query.folded)
        )
        cases = cases.filter(content_folded__contains=query.folded)
        rank = TEXT
    dialogues = dialogues.order_by("-held_on", "-id")
    cases = cases.order_by("-received_on", "-id")

    def dialogue_hit(dialogue: Dialogue) -> SearchHit:
        return SearchHit(
            _("Đối thoại với Nhân dân"), dialogue.topic,
            f"{dialogue.get_level_display()} · {dialogue.chair}", dialogue.get_absolute_url(),
            date=dialogue.held_on, unit=dialogue.unit.name, rank=rank,
        )  # fmt: skip

    def case_hit(case: OpinionCase) -> SearchHit:
        content = case.content if len(case.content) <= 120 else case.content[:119] + "…"
        return SearchHit(
            _("Vụ việc dư luận phản ánh"), f"#{case.pk} {content}",
            f"{case.get_category_display()} · {case.get_status_display()}",
            case.get_absolute_url(), date=case.received_on, unit=case.unit.name, rank=rank,
            code=f"#{case.pk}",
        )  # fmt: skip

    return [
        group(_("Đối thoại với Nhân dân"), dialogues, limit, dialogue_hit, order=70),
        group(_("Vụ việc dư luận phản ánh"), cases, limit, case_hit, order=71),
    ]


def register() -> None:
    search.register(search_dialogues, model=(Dialogue, OpinionCase))
