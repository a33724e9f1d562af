"""What the inspections app counts, for a unit's subtree and a period.

- Inspections and supervisions: records *concluded* in the period (``concluded_on``), by
  activity × subject type (the article's "672 organisations and 132 members inspected"), and
  by activity × kind.
- Follow-ups: those due in the period, done (by the period's end), done on time, overdue.
- Discipline: decisions taken in the period, by form and by subject type.
- Denunciations and disciplinary complaints (confidential: counts only, from a provider
  registered with ``confidential=True``): received, settled (concluded in the period), settled
  on time or late, not accepted, and overdue at the period's end.

The unit of a record is the unit inspected (or the member's unit), as for its scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from longbien import indicators
from longbien import spans as spans_
from longbien.indicators import Drill, Indicator
from longbien.org.scope import Area

from .choices import (
    Activity,
    CaseKind,
    CaseStatus,
    DisciplineForm,
    InspectionKind,
    SubjectType,
)
from .models import Case, Discipline, FollowUp, Inspection

AREA = Area.INSPECTIONS
GROUP = _("Kiểm tra, giám sát và thi hành kỷ luật")
CASE_GROUP = _("Giải quyết tố cáo, khiếu nại kỷ luật đảng")

_SUBJECT_LABELS = {
    (Activity.INSPECTION, SubjectType.ORGANISATION): _("Tổ chức đảng được kiểm tra (lượt)"),
    (Activity.INSPECTION, SubjectType.MEMBER): _("Đảng viên được kiểm tra (lượt)"),
    (Activity.SUPERVISION, SubjectType.ORGANISATION): _("Tổ chức đảng được giám sát (lượt)"),
    (Activity.SUPERVISION, SubjectType.MEMBER): _("Đảng viên được giám sát (lượt)"),
}
_CASE_FACTS = {
    "received": _("%(kind)s: số đơn nhận trong kỳ"),
    "settled": _("%(kind)s: số đơn đã giải quyết (có kết luận trong kỳ)"),
    "on_time": _("%(kind)s: giải quyết đúng thời hạn"),
    "late": _("%(kind)s: giải quyết quá thời hạn"),
    "not_accepted": _("%(kind)s: không thụ lý (đơn nhận trong kỳ)"),
    "overdue": _("%(kind)s: quá hạn chưa giải quyết (cuối kỳ)"),
}


def _lower_first(text: Any) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]


_INSPECTIONS = "inspections:inspection_list"
_FOLLOW_UPS = "inspections:follow_up_list"
_DISCIPLINE = "inspections:discipline_list"


def _progress(value: str) -> Drill:
    """The follow-ups due in the period, as they stood at its end."""
    return Drill(_FOLLOW_UPS, (("progress", value),))


def _definitions() -> list[Indicator]:
    # The drill-downs open the registers on the days counted by: an inspection's conclusion
    # (``start``/``end`` on ``concluded_on``), a follow-up's deadline, a decision's day.
    found = [
        Indicator(f"inspections.{activity}.{subject}", label, AREA, GROUP,
                  drill=Drill(_INSPECTIONS, (("activity", activity), ("subject_type", subject))))
        for (activity, subject), label in _SUBJECT_LABELS.items()
    ]  # fmt: skip
    found += [
        Indicator(
            f"inspections.{activity}.kind.{kind}",
            f"{activity_label} {_lower_first(kind_label)}",
            AREA,
            GROUP,
            drill=Drill(_INSPECTIONS, (("activity", activity), ("kind", kind))),
        )
        for activity, activity_label in Activity.choices
        for kind, kind_label in InspectionKind.choices
    ]
    found += [
        Indicator("inspections.total", _("Cuộc kiểm tra, giám sát đã kết luận"), AREA, GROUP,
                  drill=Drill(_INSPECTIONS)),
        Indicator("follow_ups.total", _("Kiến nghị sau kiểm tra, giám sát có thời hạn trong kỳ"), AREA, GROUP,
                  drill=Drill(_FOLLOW_UPS)),
        Indicator("follow_ups.done", _("Kiến nghị đã thực hiện xong"), AREA, GROUP,
                  drill=_progress("done")),
        Indicator("follow_ups.done_on_time", _("Kiến nghị thực hiện đúng hạn"), AREA, GROUP,
                  drill=_progress("on_time")),
        Indicator("follow_ups.overdue", _("Kiến nghị quá hạn chưa thực hiện"), AREA, GROUP,
                  drill=_progress("overdue")),
        Indicator(
            "follow_ups.on_time_share", _("Tỷ lệ kiến nghị thực hiện đúng hạn"), AREA, GROUP,
            "follow_ups.done_on_time", "follow_ups.total",
        ),
        Indicator("discipline.total", _("Quyết định kỷ luật trong kỳ"), AREA, GROUP,
                  drill=Drill(_DISCIPLINE)),
    ]  # fmt: skip
    found += [
        Indicator(
            f"discipline.form.{form}",
            _("Kỷ luật: %(form)s") % {"form": _lower_first(label)},
            AREA,
            GROUP,
            drill=Drill(_DISCIPLINE, (("discipline_form", form),)),
        )  # fmt: skip
        for form, label in DisciplineForm.choices
    ]
    found += [
        Indicator(
            f"discipline.subject.{subject}",
            _("Kỷ luật %(subject)s") % {"subject": _lower_first(label)},
            AREA,
            GROUP,
            drill=Drill(_DISCIPLINE, (("subject_type", subject),)),
        )
        for subject, label in SubjectType.choices
    ]
    found += [
        Indicator(f"cases.{kind}.{fact}", label % {"kind": kind_label}, AREA, CASE_GROUP)
        for kind, kind_label in CaseKind.choices
        for fact, label in _CASE_FACTS.items()
    ]
    return found


@indicators.spanned
def provide(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """Count inspections concluded, follow-ups due and discipline decided in each period of
    ``spans``: three queries, whatever the number of periods."""
    concluded = spans_.aggregate_each_by(
        indicators.in_subtree(Inspection.objects.all(), unit), spans,
        ("activity", "subject_type", "kind"),
        when=spans_.between("concluded_on"),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    followed = indicators.in_subtree(FollowUp.objects.all(), unit, "owner_unit").due_work_each(
        spans
    )
    decided = spans_.aggregate_each_by(
        indicators.in_subtree(Discipline.objects.all(), unit), spans,
        ("form", "subject_type"), when=spans_.between("decided_on"),
        figures=lambda start, end: {"n": Count("id")},
    )  # fmt: skip
    found = []
    for index in range(len(spans)):
        counts: dict[str, int] = {}
        for key in _SUBJECT_LABELS:
            counts["inspections.{}.{}".format(*key)] = 0
        for activity, _label in Activity.choices:
            for kind, _kind_label in InspectionKind.choices:
                counts[f"inspections.{activity}.kind.{kind}"] = 0
        total = 0
        for (activity, subject_type, kind), figures in concluded[index].items():
            counts[f"inspections.{activity}.{subject_type}"] += figures["n"]
            counts[f"inspections.{activity}.kind.{kind}"] += figures["n"]
            total += figures["n"]
        counts["inspections.total"] = total
        counts.update({f"follow_ups.{key}": n for key, n in followed[index].items()})
        counts["discipline.total"] = 0
        for form, _label in DisciplineForm.choices:
            counts[f"discipline.form.{form}"] = 0
        for subject, _label in SubjectType.choices:
            counts[f"discipline.subject.{subject}"] = 0
        for (form, subject_type), figures in decided[index].items():
            counts[f"discipline.form.{form}"] += figures["n"]
            counts[f"discipline.subject.{subject_type}"] += figures["n"]
            counts["discipline.total"] += figures["n"]
        found.append(counts)
    return found


@indicators.spanned
def provide_cases(*, unit: Any, spans: list[spans_.Span]) -> list[dict[str, int]]:
    """Count denunciations and complaints (numbers only: registered ``confidential=True``),
    one query whatever the number of periods."""
    today = timezone.localdate()
    cases = indicators.in_subtree(Case.objects.all(), unit)
    # By the effective deadline: the rest days of all the periods, one condition for all.
    by_deadline = cases.on_time_q("concluded_on", *spans_.hull(spans)) if spans else Q()

    def figures(start: dt.date, end: dt.date) -> dict[str, Any]:
        as_of = min(today, end)
        settled = Q(concluded_on__range=(start, end))
        on_time = settled & by_deadline
        # Settled by the period's end: concluded by then, or not accepted.
        settled_by_then = Q(concluded_on__lte=as_of) | Q(status=CaseStatus.NOT_ACCEPTED)
        return {
            "received": Count("id", filter=Q(received_on__range=(start, end))),
            "settled": Count("id", filter=settled),
            "on_time": Count("id", filter=on_time),
            "not_accepted": Count(
                "id", filter=Q(status=CaseStatus.NOT_ACCEPTED, received_on__range=(start, end))
            ),
            "overdue": Count(
                "id",
                filter=Q(received_on__lte=as_of) & cases.overdue_q(as_of, done=settled_by_then),
            ),
        }

    # Every case of the subtree may count in a period (received, settled or overdue in it).
    by_kind = spans_.aggregate_each_by(cases, spans, "kind", when=lambda start, end: Q(),
                                       figures=figures)  # fmt: skip
    found = []
    for rows in by_kind:
        counts: dict[str, int] = {}
        for kind, _label in CaseKind.choices:
            row = rows.get(kind, {})
            settled_count, on_time_count = row.get("settled", 0), row.get("on_time", 0)
            counts.update(
                {
                    f"cases.{kind}.received": row.get("received", 0),
                    f"cases.{kind}.settled": settled_count,
                    f"cases.{kind}.on_time": on_time_count,
                    f"cases.{kind}.late": settled_count - on_time_count,
                    f"cases.{kind}.not_accepted": row.get("not_accepted", 0),
                    f"cases.{kind}.overdue": row.get("overdue", 0),
                }
            )
        found.append(counts)
    return found


def register() -> None:
    """Register both providers; the cases' one yields counts only (``confidential=True``)."""
    definitions = _definitions()
    indicators.register(
        AREA,
        provide,
        *[i for i in definitions if not i.code.startswith("cases.")],
        reads=("inspections.Inspection", "inspections.FollowUp", "inspections.Discipline"),
    )
    indicators.register(
        AREA,
        provide_cases,
        *[i for i in definitions if i.code.startswith("cases.")],
        confidential=True,
        reads=("inspections.Case",),
    )
