"""The term-summary report (issue 14): a term's (a year's, six months') work of a unit's subtree
as a Party-format PDF, every figure computed from the indicators and traceable.

:func:`build_context` is pure (it reads, never writes): it collects the indicators for the unit
and the period (:func:`longbien.indicators.collect` as :data:`~longbien.indicators.SYSTEM`: the
callers, the management command and the job, are trusted code and the job checks the
requester's scope before), writes each section's sentences from the figures (gettext templates,
Vietnamese number format), lists the section's figures in a table, draws the charts with
:mod:`longbien.reporting.charts` and numbers every figure once: the same number ``[n]`` in the
body and in the appendix, which gives the indicator's code, definition, period, scope and, for
a share, the counts and the rounding rule. Each figure carries its drill-down URL
(:func:`longbien.indicators.drill_url`) for the web version. :func:`render` turns the context
into the PDF with :mod:`longbien.reporting.rendering`.

A section without records says so ("Trong kỳ không phát sinh …"); a share of nothing reads
"không có số liệu", never "0%" or "nan".
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from longbien import indicators, periods, replica
from longbien.formatting import vn_number, vn_percent
from longbien.indicators import Indicator, Value

from . import charts, rendering
from .selectors import compared_units

TEMPLATE = "reporting/pdf/term_report.html"
Progress = Callable[[str, int], None]

DOCUMENT_KINDS = (
    "resolution", "thematic_resolution", "conclusion_notice", "conclusion", "directive",
    "programme", "plan", "regulation", "guidance", "report",
)  # fmt: skip
RATINGS = ("excellent", "good", "completed", "not_completed")
DECISIONS = ("appointment", "reappointment", "concurrence", "transfer", "nomination")
DISCIPLINE_FORMS = ("reprimand", "warning", "dismissal", "expulsion", "dissolution")
MODEL_FIELDS = ("economy", "urban", "culture", "security", "administration", "party")
RATE = "opinion_cases.rate"


def _kind_nouns() -> dict[str, str]:
    return {
        "resolution": _("nghị quyết"),
        "thematic_resolution": _("nghị quyết chuyên đề"),
        "conclusion_notice": _("thông báo kết luận"),
        "conclusion": _("kết luận"),
        "directive": _("chỉ thị"),
        "programme": _("chương trình"),
        "plan": _("kế hoạch"),
        "regulation": _("quy định"),
        "guidance": _("hướng dẫn"),
        "report": _("báo cáo"),
    }


def _rating_nouns() -> dict[str, str]:
    return {
        "excellent": _("hoàn thành xuất sắc nhiệm vụ"),
        "good": _("hoàn thành tốt nhiệm vụ"),
        "completed": _("hoàn thành nhiệm vụ"),
        "not_completed": _("không hoàn thành nhiệm vụ"),
    }


def _decision_nouns() -> dict[str, Any]:
    return {
        "appointment": ngettext_lazy("bổ nhiệm %(n)s đồng chí", "bổ nhiệm %(n)s đồng chí", "n"),
        "reappointment": ngettext_lazy(
            "bổ nhiệm lại %(n)s đồng chí", "bổ nhiệm lại %(n)s đồng chí", "n"
        ),
        "concurrence": ngettext_lazy(
            "hiệp y bổ nhiệm %(n)s đồng chí", "hiệp y bổ nhiệm %(n)s đồng chí", "n"
        ),
        "transfer": ngettext_lazy("điều động %(n)s đồng chí", "điều động %(n)s đồng chí", "n"),
        "nomination": ngettext_lazy(
            "giới thiệu ứng cử %(n)s đồng chí", "giới thiệu ứng cử %(n)s đồng chí", "n"
        ),
    }


def _form_nouns() -> dict[str, Any]:
    return {
        "reprimand": ngettext_lazy("khiển trách %(n)s", "khiển trách %(n)s", "n"),
        "warning": ngettext_lazy("cảnh cáo %(n)s", "cảnh cáo %(n)s", "n"),
        "dismissal": ngettext_lazy("cách chức %(n)s", "cách chức %(n)s", "n"),
        "expulsion": ngettext_lazy("khai trừ %(n)s", "khai trừ %(n)s", "n"),
        "dissolution": ngettext_lazy("giải tán %(n)s", "giải tán %(n)s", "n"),
    }


def _field_nouns() -> dict[str, Any]:
    return {
        "economy": ngettext_lazy("phát triển kinh tế %(n)s", "phát triển kinh tế %(n)s", "n"),
        "urban": ngettext_lazy(
            "trật tự đô thị, môi trường %(n)s", "trật tự đô thị, môi trường %(n)s", "n"
        ),
        "culture": ngettext_lazy("văn hóa, xã hội %(n)s", "văn hóa, xã hội %(n)s", "n"),
        "security": ngettext_lazy("quốc phòng, an ninh %(n)s", "quốc phòng, an ninh %(n)s", "n"),
        "administration": ngettext_lazy(
            "cải cách hành chính %(n)s", "cải cách hành chính %(n)s", "n"
        ),
        "party": ngettext_lazy(
            "xây dựng Đảng, hệ thống chính trị %(n)s",
            "xây dựng Đảng, hệ thống chính trị %(n)s",
            "n",
        ),
    }


# --- The figures ---------------------------------------------------------------------------


@dataclass
class Figure:
    """One figure of the report: its number (the same in the body and the appendix), its
    indicator and value, as written, and its drill-down URL (web version)."""

    number: int
    indicator: Indicator
    value: Value
    text: str
    detail: str  # a share's counts "493/502"; "" for a count
    url: str

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def label(self) -> str:
        return str(self.indicator.label)

    @property
    def is_share(self) -> bool:
        return self.indicator.is_share

    @property
    def definition(self) -> str:
        """A share's formula ("" for a count: its label defines it)."""
        if not self.is_share:
            return ""
        top = _label(self.indicator.numerator)
        bottom = _label(self.indicator.denominator)
        return _("Tỷ lệ = %(top)s / %(bottom)s × 100.") % {"top": top, "bottom": bottom}

    @property
    def rounding(self) -> str:
        if not self.is_share:
            return ""
        places = self.indicator.places
        rule = (
            _("làm tròn một chữ số thập phân, nửa lên")
            if places == 1
            else _("làm tròn %(places)s chữ số thập phân, nửa lên") % {"places": places}
        )
        if self.indicator.partition:
            rule += "; " + _("các tỷ lệ của cùng một tổng được điều chỉnh để cộng đủ 100")
        return rule


def _label(code: str) -> str:
    indicator = {i.code: i for i in indicators.definitions()}.get(code)
    return str(indicator.label) if indicator else code


def share_text(value: Value | None) -> str:
    """A share as written: "98,2%", or "không có số liệu" for a share of nothing."""
    if value is None or value.share is None:
        return _("không có số liệu")
    return vn_percent(value.share, value.indicator.places)


def value_text(value: Value) -> str:
    return share_text(value) if value.indicator.is_share else vn_number(value.count)


def counts_text(value: Value) -> str:
    """A share's counts, "493/502"."""
    return f"{vn_number(value.numerator)}/{vn_number(value.denominator)}"


@dataclass
class Row:
    figure: Figure
    indent: bool = False


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    figures: list[charts.Figure] = field(default_factory=list)
    empty: str = ""  # "Trong kỳ không phát sinh …" when the section has no records
    # The web version's sentences, each a list of segments (build_web_context).
    sentences: list[list[Segment]] = field(default_factory=list)


class _Numbering:
    """Numbers the figures in the order they are first shown; one number per indicator."""

    def __init__(self, values: dict[str, Value], unit: Any, period: periods.Period) -> None:
        self.values, self.unit, self.period = values, unit, period
        self.figures: dict[str, Figure] = {}

    def get(self, code: str) -> Figure | None:
        value = self.values.get(code)
        if value is None:
            return None
        if code not in self.figures:
            self.figures[code] = Figure(
                number=len(self.figures) + 1,
                indicator=value.indicator,
                value=value,
                text=value_text(value),
                detail=counts_text(value) if value.indicator.is_share else "",
                url=indicators.drill_url(
                    value.indicator, unit=self.unit, start=self.period.start, end=self.period.end
                ),
            )
        return self.figures[code]


class _Writer:
    """Builds one section: sentences from the values, rows numbered in the order shown."""

    def __init__(self, numbering: _Numbering, section: Section) -> None:
        self.numbering, self.section = numbering, section

    def count(self, code: str) -> int:
        value = self.numbering.values.get(code)
        return value.count or 0 if value is not None and value.count is not None else 0

    def has(self, code: str) -> bool:
        return code in self.numbering.values

    def listed(self, nouns: dict[str, Any], prefix: str, kinds: Any) -> list[str]:
        """Parts such as "bổ nhiệm 63 đồng chí": each kind's noun with its count, the kinds
        counted in the period only (``prefix.kind`` is the indicator's code)."""
        return [
            nouns[kind] % {"n": self.n(f"{prefix}.{kind}")}
            for kind in kinds
            if self.count(f"{prefix}.{kind}")
        ]

    def n(self, code: str) -> Count:
        return Count(self.count(code), code)

    def share(self, code: str) -> str:
        """ "98,2% (493/502)", or "không có số liệu" for a share of nothing."""
        value = self.numbering.values.get(code)
        if value is None or value.share is None:
            return _("không có số liệu")
        return _marked(code, f"{share_text(value)} ({counts_text(value)})")

    def percent(self, code: str) -> str:
        """A share alone, "1,2%" (marked for the web version, see :func:`_marked`)."""
        value = self.numbering.values.get(code)
        text = share_text(value)
        return _marked(code, text) if value is not None and value.share is not None else text

    def row(self, code: str, *, skip_zero: bool = False, indent: bool = False) -> None:
        value = self.numbering.values.get(code)
        if value is None:
            return
        if skip_zero and not value.indicator.is_share and not value.count:
            return
        figure = self.numbering.get(code)
        if figure is not None:
            self.section.rows.append(Row(figure, indent))

    def say(self, text: str) -> None:
        self.section.paragraphs.append(text)


class Count(int):
    """A count that prints the Vietnamese way ("1.004") in a sentence and still chooses the
    plural form of an ``ngettext_lazy`` message (which needs a whole number). ``code`` names
    its indicator, for the web version's links (:func:`_marked`)."""

    code: str

    def __new__(cls, value: int, code: str = "") -> Count:
        count = super().__new__(cls, value)
        count.code = code
        return count

    def __str__(self) -> str:
        text = vn_number(int(self))
        return _marked(self.code, text) if self.code else text


def _listing(parts: list[str]) -> str:
    return ", ".join(parts)


# --- The sections --------------------------------------------------------------------------


def _leadership(w: _Writer) -> bool:
    nouns = _kind_nouns()
    found = False
    for level, sentence in (
        ("district", _("Cấp ủy cấp quận ban hành %(list)s.")),
        ("grassroots", _("Cấp ủy cơ sở ban hành %(list)s.")),
    ):
        parts = [
            f"{str(w.n(f'documents.{level}.{kind}'))} {nouns[kind]}"
            for kind in DOCUMENT_KINDS
            if w.count(f"documents.{level}.{kind}")
        ]
        if parts:
            w.say(sentence % {"list": _listing(parts)})
            found = True
    if w.count("documents.total"):
        w.row("documents.total")
        for level in ("district", "grassroots"):
            for kind in DOCUMENT_KINDS:
                w.row(f"documents.{level}.{kind}", skip_zero=True, indent=True)
    if w.count("tasks.total"):
        found = True
        w.say(
            ngettext_lazy(
                "Triển khai %(total)s nhiệm vụ có thời hạn trong kỳ: đã hoàn thành %(done)s, "
                "trong đó %(on_time)s nhiệm vụ đúng hạn (tỷ lệ %(share)s); %(overdue)s nhiệm vụ "
                "quá hạn chưa hoàn thành.",
                "Triển khai %(total)s nhiệm vụ có thời hạn trong kỳ: đã hoàn thành %(done)s, "
                "trong đó %(on_time)s nhiệm vụ đúng hạn (tỷ lệ %(share)s); %(overdue)s nhiệm vụ "
                "quá hạn chưa hoàn thành.",
                "total",
            )
            % {
                "total": w.n("tasks.total"),
                "done": w.n("tasks.done"),
                "on_time": w.n("tasks.done_on_time"),
                "share": w.share("tasks.on_time_share"),
                "overdue": w.n("tasks.overdue"),
            }
        )
        for code in ("tasks.total", "tasks.done", "tasks.done_on_time", "tasks.overdue"):
            w.row(code)
        w.row("tasks.on_time_share")
    elif w.has("tasks.total"):
        w.say(_("Trong kỳ không có nhiệm vụ triển khai nào đến hạn."))
    if w.count("reviews.interim") or w.count("reviews.final"):
        found = True
        w.say(
            _(
                "Tổ chức %(interim)s hội nghị sơ kết và %(final)s hội nghị tổng kết việc thực "
                "hiện các văn bản."
            )
            % {"interim": w.n("reviews.interim"), "final": w.n("reviews.final")}
        )
        w.row("reviews.interim")
        w.row("reviews.final")
    if w.count("procedures.district") or w.count("procedures.grassroots"):
        found = True
        text = _(
            "Xây dựng, áp dụng %(district)s quy trình công tác cấp quận và %(grassroots)s quy "
            "trình cấp cơ sở"
        ) % {"district": w.n("procedures.district"), "grassroots": w.n("procedures.grassroots")}
        if w.count("procedures.iso"):
            text += _("; %(iso)s quy trình áp dụng theo tiêu chuẩn ISO 9001:2015") % {
                "iso": w.n("procedures.iso")
            }
        w.say(text + ".")
        for code in ("procedures.district", "procedures.grassroots", "procedures.iso"):
            w.row(code)
    return found


def _direction(w: _Writer) -> bool:
    found = False
    if w.count("briefings.held"):
        found = True
        w.say(
            ngettext_lazy(
                "Duy trì %(n)s cuộc giao ban với cấp ủy cơ sở (giao ban quý với bí thư, chủ "
                "tịch phường; giao ban 6 tháng; giao ban chuyên đề).",
                "Duy trì %(n)s cuộc giao ban với cấp ủy cơ sở (giao ban quý với bí thư, chủ "
                "tịch phường; giao ban 6 tháng; giao ban chuyên đề).",
                "n",
            )
            % {"n": w.n("briefings.held")}
        )
        w.row("briefings.held")
        for indicator in indicators.definitions():
            if indicator.code.startswith("briefings.") and indicator.code != "briefings.held":
                w.row(indicator.code, skip_zero=True, indent=True)
    if not w.count("conferences.held"):
        return found
    w.say(
        _(
            "Tổ chức %(held)s hội nghị học tập, quán triệt nghị quyết; tỷ lệ đảng viên tham dự "
            "bình quân đạt %(share)s lượt người dự trên lượt người phải dự."
        )
        % {"held": w.n("conferences.held"), "share": w.share("conferences.attendance")}
    )
    if w.count("conferences.learning_reports"):
        w.say(
            ngettext_lazy(
                "Có %(n)s bài thu hoạch sau học tập, quán triệt được kiểm soát.",
                "Có %(n)s bài thu hoạch sau học tập, quán triệt được kiểm soát.",
                "n",
            )
            % {"n": w.n("conferences.learning_reports")}
        )
    for code in ("conferences.held", "conferences.expected", "conferences.present"):
        w.row(code)
    w.row("conferences.attendance")
    w.row("conferences.learning_reports")
    return True


def _party_building(w: _Writer, unit: Any, period: periods.Period) -> bool:
    found = False
    if w.count("cadres.evaluations"):
        found = True
        nouns = _rating_nouns()
        parts = [
            ngettext_lazy("%(rating)s %(n)s (%(share)s)", "%(rating)s %(n)s (%(share)s)", "n")
            % {
                "rating": nouns[r],
                "n": w.n(f"cadres.evaluations.{r}"),
                "share": w.percent(f"cadres.evaluations.{r}.share"),
            }
            for r in RATINGS
        ]
        w.say(
            ngettext_lazy(
                "Có %(total)s lượt cán bộ được đánh giá hằng tháng, trong đó %(list)s.",
                "Có %(total)s lượt cán bộ được đánh giá hằng tháng, trong đó %(list)s.",
                "total",
            )
            % {"total": w.n("cadres.evaluations"), "list": _listing(parts)}
        )
        w.row("cadres.evaluations")
        for r in RATINGS:
            w.row(f"cadres.evaluations.{r}", indent=True)
            w.row(f"cadres.evaluations.{r}.share", indent=True)
        values = [w.numbering.values.get(f"cadres.evaluations.{r}") for r in RATINGS]
        if all(v is not None for v in values):
            urls = tuple(
                indicators.drill_url(v.indicator, unit=unit, start=period.start, end=period.end)
                for v in values
                if v is not None
            )
            w.section.figures.append(
                charts.figure(
                    charts.distribution_chart(
                        title=_("Kết quả đánh giá cán bộ hằng tháng"),
                        categories=[str(v.indicator.label) for v in values if v is not None],
                        stacks=[
                            charts.Stack(
                                "",
                                tuple(v.count for v in values if v is not None),
                                urls,
                            )
                        ],
                        key="term-ratings",
                    ),
                    font=charts.PDF_FONT,
                )
            )
    if w.count("cadres.people_tested"):
        found = True
        w.say(
            ngettext_lazy(
                "Tổ chức sát hạch, đánh giá %(n)s lượt cán bộ.",
                "Tổ chức sát hạch, đánh giá %(n)s lượt cán bộ.",
                "n",
            )
            % {"n": w.n("cadres.people_tested")}
        )
        w.row("cadres.people_tested")
    parts = w.listed(_decision_nouns(), "cadres.decisions", DECISIONS)
    if parts:
        found = True
        w.say(_("Về công tác cán bộ: %(list)s.") % {"list": _listing(parts)})
        for kind in DECISIONS:
            w.row(f"cadres.decisions.{kind}")
    if w.count("cadres.members_assigned"):
        found = True
        w.say(
            _("Số đảng viên được phân công nhiệm vụ: %(share)s.")
            % {"share": w.share("cadres.members_assigned.share")}
        )
        w.row("cadres.members")
        w.row("cadres.members_assigned")
        w.row("cadres.members_assigned.share")
    if w.count("cadres.training_enrolled"):
        found = True
        w.say(
            _(
                "Mở %(classes)s lớp bồi dưỡng cán bộ với %(enrolled)s lượt học viên; tỷ lệ hoàn "
                "thành chương trình đạt %(share)s."
            )
            % {
                "classes": w.n("cadres.training_classes"),
                "enrolled": w.n("cadres.training_enrolled"),
                "share": w.share("cadres.training_completed.share"),
            }
        )
        w.row("cadres.training_classes")
        w.row("cadres.training_enrolled")
        w.row("cadres.training_completed")
        w.row("cadres.training_completed.share")
    return found


def _inspection(w: _Writer) -> bool:
    found = False
    if w.count("procedures.inspection") or w.count("procedures.coordination"):
        found = True
        w.say(
            _(
                "Ban hành %(procedures)s quy trình kiểm tra, giám sát và %(coordination)s quy chế "
                "phối hợp."
            )
            % {
                "procedures": w.n("procedures.inspection"),
                "coordination": w.n("procedures.coordination"),
            }
        )
        w.row("procedures.inspection")
        w.row("procedures.coordination")
    if w.count("inspections.total"):
        found = True
        w.say(
            _(
                "Đã kiểm tra %(io)s lượt tổ chức đảng và %(im)s lượt đảng viên; giám sát %(so)s "
                "lượt tổ chức đảng và %(sm)s lượt đảng viên."
            )
            % {
                "io": w.n("inspections.inspection.organisation"),
                "im": w.n("inspections.inspection.member"),
                "so": w.n("inspections.supervision.organisation"),
                "sm": w.n("inspections.supervision.member"),
            }
        )
        w.row("inspections.total")
        for activity in ("inspection", "supervision"):
            for subject in ("organisation", "member"):
                w.row(f"inspections.{activity}.{subject}", indent=True)
            for kind in ("regular", "thematic", "signs"):
                w.row(f"inspections.{activity}.kind.{kind}", skip_zero=True, indent=True)
    if w.count("follow_ups.total"):
        found = True
        w.say(
            ngettext_lazy(
                "Có %(total)s kiến nghị sau kiểm tra, giám sát có thời hạn trong kỳ: đã thực hiện "
                "xong %(done)s, đúng hạn %(share)s; %(overdue)s kiến nghị quá hạn chưa thực hiện.",
                "Có %(total)s kiến nghị sau kiểm tra, giám sát có thời hạn trong kỳ: đã thực hiện "
                "xong %(done)s, đúng hạn %(share)s; %(overdue)s kiến nghị quá hạn chưa thực hiện.",
                "total",
            )
            % {
                "total": w.n("follow_ups.total"),
                "done": w.n("follow_ups.done"),
                "share": w.share("follow_ups.on_time_share"),
                "overdue": w.n("follow_ups.overdue"),
            }
        )
        for code in ("follow_ups.total", "follow_ups.done", "follow_ups.done_on_time"):
            w.row(code)
        w.row("follow_ups.overdue")
        w.row("follow_ups.on_time_share")
    cases = [f"cases.{k}.{s}" for k in ("denunciation", "complaint") for s in ("received",
             "settled", "on_time", "late", "not_accepted", "overdue")]  # fmt: skip
    if any(w.count(code) for code in cases):
        found = True
        w.say(
            _(
                "Tiếp nhận %(dr)s đơn tố cáo, giải quyết %(ds)s đơn (%(dt)s đúng thời hạn); tiếp "
                "nhận %(cr)s đơn khiếu nại kỷ luật đảng, giải quyết %(cs)s đơn (%(ct)s đúng thời "
                "hạn). Báo cáo chỉ nêu số lượng, không nêu nội dung đơn."
            )
            % {
                "dr": w.n("cases.denunciation.received"),
                "ds": w.n("cases.denunciation.settled"),
                "dt": w.n("cases.denunciation.on_time"),
                "cr": w.n("cases.complaint.received"),
                "cs": w.n("cases.complaint.settled"),
                "ct": w.n("cases.complaint.on_time"),
            }
        )
        for code in cases:
            w.row(code, skip_zero=not code.endswith((".received", ".settled")))
    if w.count("discipline.total"):
        found = True
        parts = w.listed(_form_nouns(), "discipline.form", DISCIPLINE_FORMS)
        w.say(
            ngettext_lazy(
                "Thi hành kỷ luật %(total)s trường hợp (%(organisations)s tổ chức đảng, "
                "%(members)s đảng viên), gồm: %(list)s.",
                "Thi hành kỷ luật %(total)s trường hợp (%(organisations)s tổ chức đảng, "
                "%(members)s đảng viên), gồm: %(list)s.",
                "total",
            )
            % {
                "total": w.n("discipline.total"),
                "organisations": w.n("discipline.subject.organisation"),
                "members": w.n("discipline.subject.member"),
                "list": _listing(parts),
            }
        )
        w.row("discipline.total")
        for form in DISCIPLINE_FORMS:
            w.row(f"discipline.form.{form}", skip_zero=True, indent=True)
        w.row("discipline.subject.organisation", indent=True)
        w.row("discipline.subject.member", indent=True)
    return found


def _mobilisation(w: _Writer) -> bool:
    found = False
    if w.count("dialogues.total"):
        found = True
        w.say(
            _("Tổ chức %(district)s cuộc đối thoại cấp quận và %(ward)s cuộc cấp phường.")
            % {"district": w.n("dialogues.district"), "ward": w.n("dialogues.ward")}
        )
        for code in ("dialogues.total", "dialogues.district", "dialogues.ward"):
            w.row(code, indent=code != "dialogues.total")
    if w.count("dialogues.commitments.made"):
        found = True
        w.say(
            _(
                "Tại các cuộc đối thoại có %(made)s cam kết; đã thực hiện %(kept)s, đúng hạn "
                "%(share)s; %(overdue)s cam kết quá hạn chưa thực hiện."
            )
            % {
                "made": w.n("dialogues.commitments.made"),
                "kept": w.n("dialogues.commitments.kept"),
                "share": w.share("dialogues.commitments.on_time_share"),
                "overdue": w.n("dialogues.commitments.overdue"),
            }
        )
        for status in ("made", "kept", "on_time", "late", "overdue"):
            w.row(f"dialogues.commitments.{status}", indent=status != "made")
        w.row("dialogues.commitments.on_time_share")
    if w.count("opinion_cases.received") or w.count("opinion_cases.due"):
        found = True
        w.say(
            _(
                "Tiếp nhận %(received)s nội dung, vụ việc dư luận xã hội phản ánh; trong số "
                "%(due)s vụ việc đến hạn, đã giải quyết hoặc giải thích, trả lời %(settled)s "
                "vụ việc, đạt %(rate)s."
            )
            % {
                "received": w.n("opinion_cases.received"),
                "due": w.n("opinion_cases.due"),
                "settled": w.n("opinion_cases.settled"),
                "rate": w.share(RATE),
            }
        )
        for code in ("received", "due", "settled", "resolved", "explained", "on_time", "late",
                     "pending"):  # fmt: skip
            w.row(f"opinion_cases.{code}", indent=code not in ("received", "due"))
        w.row(RATE)
        w.row("opinion_cases.rejected", skip_zero=True)
        w.row("opinion_cases.transferred", skip_zero=True)
    if w.count("critiques.critique") or w.count("critiques.supervision"):
        found = True
        w.say(
            _(
                "Thực hiện %(supervision)s cuộc giám sát chuyên đề, %(critique)s hội nghị phản "
                "biện xã hội (Quyết định số 217-QĐ/TW); %(responded)s kiến nghị sau giám sát, "
                "phản biện đã được phản hồi (%(share)s)."
            )
            % {
                "supervision": w.n("critiques.supervision"),
                "critique": w.n("critiques.critique"),
                "responded": w.n("critiques.responded"),
                "share": w.share("critiques.responded_share"),
            }
        )
        for code in ("supervision", "critique", "recommendations", "responded", "responded_share"):
            w.row(f"critiques.{code}")
    if w.count("feedback.received"):
        found = True
        w.say(
            _(
                "Tiếp nhận %(received)s ý kiến góp ý xây dựng Đảng, xây dựng chính quyền "
                "(Quyết định số 218-QĐ/TW), đã tiếp thu, trả lời %(answered)s ý kiến "
                "(%(share)s)."
            )
            % {
                "received": w.n("feedback.received"),
                "answered": w.n("feedback.answered"),
                "share": w.share("feedback.answered_share"),
            }
        )
        for code in ("received", "answered", "answered_share"):
            w.row(f"feedback.{code}")
    if w.count("receptions.sessions"):
        found = True
        w.say(
            _(
                "Lãnh đạo tổ chức %(sessions)s buổi tiếp công dân, tiếp %(citizens)s lượt công "
                "dân, tiếp nhận %(cases)s vụ việc."
            )
            % {
                "sessions": w.n("receptions.sessions"),
                "citizens": w.n("receptions.citizens"),
                "cases": w.n("receptions.cases"),
            }
        )
        for code in ("sessions", "citizens", "cases"):
            w.row(f"receptions.{code}")
    if w.count("models.total"):
        found = True
        parts = w.listed(_field_nouns(), "models.field", MODEL_FIELDS)
        w.say(
            ngettext_lazy(
                "Xây dựng %(total)s mô hình dân vận khéo, theo lĩnh vực: %(list)s.",
                "Xây dựng %(total)s mô hình dân vận khéo, theo lĩnh vực: %(list)s.",
                "total",
            )
            % {"total": w.n("models.total"), "list": _listing(parts)}
        )
        w.row("models.total")
        for f in MODEL_FIELDS:
            w.row(f"models.field.{f}", skip_zero=True, indent=True)
        for level in ("ward", "district", "city"):
            w.row(f"models.recognition.{level}", skip_zero=True, indent=True)
    return found


def _reports(w: _Writer) -> bool:
    if not w.count("quarterly_reports.expected"):
        return False
    w.say(
        _(
            "Các cơ sở phải gửi %(expected)s báo cáo quý đã đến hạn; đã gửi %(sent)s, gửi đúng "
            "hạn %(share)s; %(accepted)s báo cáo đã được tiếp nhận."
        )
        % {
            "expected": w.n("quarterly_reports.expected"),
            "sent": w.n("quarterly_reports.sent"),
            "share": w.share("quarterly_reports.on_time_share"),
            "accepted": w.n("quarterly_reports.accepted"),
        }
    )
    for code in ("expected", "sent", "on_time", "accepted", "on_time_share"):
        w.row(f"quarterly_reports.{code}")
    return True


# --- The charts of the resolution rate -----------------------------------------------------


def trend_points(period: periods.Period) -> list[periods.Period]:
    """A term's years; a year's or a half's quarters (each cut to the period)."""
    if period.end.year > period.start.year:
        return [
            periods.Period(max(period.start, dt.date(y, 1, 1)),
                           min(period.end, dt.date(y, 12, 31)), str(y))
            for y in range(period.start.year, period.end.year + 1)
        ]  # fmt: skip
    points = []
    for number in (1, 2, 3, 4):
        q = periods.quarter(period.start.year, number)
        if q.end >= period.start and q.start <= period.end:
            points.append(periods.Period(max(q.start, period.start), min(q.end, period.end),
                                         f"Q{number}/{q.start.year}"))  # fmt: skip
    return points


def _collect(
    unit: Any, period: periods.Period
) -> tuple[
    dict[str, Value],
    list[tuple[periods.Period, Value | None]],
    list[tuple[Any, Value | None]],
]:
    """Every figure of the period, and the resolution rate per point of the period and per
    unit under ``unit``: asked together, so that the rate of the period and of its points is
    one query (the figure cache groups a provider's periods of one unit)."""
    points = trend_points(period)
    children = compared_units(unit, period.start, period.end)
    rate = {RATE}  # the rate's provider only, for the points and the units
    asked = [(unit, p, rate) for p in points] + [(c, period, rate) for c in children]
    found = indicators.collect_many(viewer=indicators.SYSTEM, asked=[(unit, period, None), *asked])
    rates = [values.get(RATE) for values in found[1:]]
    return (
        found[0],
        list(zip(points, rates[: len(points)], strict=True)),
        list(zip(children, rates[len(points) :], strict=True)),
    )


def _short(name: str) -> str:
    """A unit's name without its leading "Đảng ủy" (the chart's label column is narrow)."""
    prefix = _("Đảng ủy") + " "
    return name[len(prefix) :] if name.startswith(prefix) else name


def _rate_charts(
    unit: Any,
    period: periods.Period,
    by_point: list[tuple[periods.Period, Value | None]],
    by_unit: list[tuple[Any, Value | None]],
    whole: Value | None,
) -> list[charts.Figure]:
    found: list[charts.Figure] = []
    if whole is None or whole.share is None:
        return found

    def bar(label: str, value: Value | None, owner: Any, start: dt.date, end: dt.date) -> Any:
        share = value.share if value is not None else None
        url = (
            indicators.drill_url(value.indicator, unit=owner, start=start, end=end)
            if value is not None
            else ""
        )
        return charts.Bar(label, share, url)

    if len(by_point) > 1:
        found.append(
            charts.figure(
                charts.trend_chart(
                    title=_("Tỷ lệ giải quyết vụ việc dư luận phản ánh theo kỳ"),
                    bars=[bar(p.label, v, unit, p.start, p.end) for p, v in by_point],
                    unit=charts.Unit.PERCENT,
                    key="term-rate-trend",
                ),
                font=charts.PDF_FONT,
            )
        )
    with_data = [(u, v) for u, v in by_unit if v is not None and v.share is not None]
    if len(with_data) > 1:
        found.append(
            charts.figure(
                charts.comparison_chart(
                    title=_("Tỷ lệ giải quyết vụ việc dư luận phản ánh: so sánh các đơn vị"),
                    bars=[
                        bar(_short(u.name), v, u, period.start, period.end) for u, v in by_unit
                    ],  # fmt: skip
                    unit=charts.Unit.PERCENT,
                    reference=whole.share,
                    reference_label=_("Toàn %(unit)s") % {"unit": unit.name},
                    key="term-rate-compare",
                ),
                font=charts.PDF_FONT,
            )
        )
    return found


# --- The document --------------------------------------------------------------------------


def period_subject(period: periods.Period) -> str:
    """ "Tổng kết nhiệm kỳ 2015–2020", "Tổng kết năm 2019", "Sơ kết 6 tháng đầu năm 2019"."""
    if period.term is not None:
        return _("Tổng kết nhiệm kỳ %(term)s") % {"term": period.term.code.replace("-", "–")}
    start, end = period.start, period.end
    if start.year == end.year and (start.month, start.day) == (1, 1):
        if (end.month, end.day) == (12, 31):
            return _("Tổng kết năm %(year)s") % {"year": start.year}
        if (end.month, end.day) == (6, 30):
            return _("Sơ kết 6 tháng đầu năm %(year)s") % {"year": start.year}
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return _("Sơ kết 6 tháng cuối năm %(year)s") % {"year": start.year}
    return _("Kết quả công tác từ %(start)s đến %(end)s") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }


def period_words(period: periods.Period) -> str:
    """How the sentences name the period: "nhiệm kỳ 2015–2020", "năm 2019"."""
    subject = period_subject(period)
    for prefix in (_("Tổng kết "), _("Sơ kết ")):
        if subject.startswith(prefix):
            return subject[len(prefix) :]
    return _("trong kỳ")


def document_frame(unit: Any, period: periods.Period, today: dt.date) -> rendering.PartyDocument:
    """The Party document around the report: the district committee's for the root unit."""
    parent = unit.parent
    subject = period_subject(period)
    if parent is None:
        return rendering.PartyDocument(
            superior=_("Đảng bộ thành phố Hà Nội").upper(),
            issuer=unit.name.upper(),
            subject=subject,
            symbol="BC/QU",
            date=today,
            on_behalf=_("T/M BAN THƯỜNG VỤ"),
            signer_title=_("BÍ THƯ"),
            recipients=[
                _("Thành ủy Hà Nội (để báo cáo);"),
                _("Các đồng chí Quận ủy viên;"),
                _("Lưu Văn phòng Quận ủy."),
            ],
        )
    return rendering.PartyDocument(
        superior=parent.name.upper(),
        issuer=unit.name.upper(),
        subject=subject,
        symbol="BC/ĐU",
        date=today,
        on_behalf=_("T/M BAN THƯỜNG VỤ"),
        signer_title=_("BÍ THƯ"),
        recipients=[
            _("%(superior)s (để báo cáo);") % {"superior": parent.name},
            _("Lưu Văn phòng."),
        ],
    )


def _headings() -> list[tuple[str, str, str]]:
    return [
        ("leadership", _("I. ĐỔI MỚI PHƯƠNG THỨC LÃNH ĐẠO"),
         _("văn bản, nhiệm vụ hay quy trình công tác nào")),
        ("direction", _("II. ĐỔI MỚI CHỈ ĐẠO, ĐIỀU HÀNH"),
         _("hội nghị học tập, quán triệt nào")),
        ("party", _("III. CÔNG TÁC XÂY DỰNG ĐẢNG, TỔ CHỨC VÀ CÁN BỘ"),
         _("đánh giá, sát hạch, quyết định nhân sự hay lớp bồi dưỡng nào")),
        ("inspection", _("IV. CÔNG TÁC KIỂM TRA, GIÁM SÁT VÀ THI HÀNH KỶ LUẬT ĐẢNG"),
         _("cuộc kiểm tra, giám sát, đơn thư hay quyết định kỷ luật nào")),
        ("mobilisation", _("V. CÔNG TÁC DÂN VẬN, MẶT TRẬN TỔ QUỐC VÀ CÁC ĐOÀN THỂ"),
         _("cuộc đối thoại, vụ việc, hội nghị phản biện, ý kiến góp ý hay mô hình nào")),
        ("reports", _("VI. VIỆC THỰC HIỆN CHẾ ĐỘ BÁO CÁO QUÝ"),
         _("báo cáo quý nào đến hạn")),
    ]  # fmt: skip


def _write_section(key: str, writer: _Writer, unit: Any, period: periods.Period) -> bool:
    if key == "leadership":
        return _leadership(writer)
    if key == "direction":
        return _direction(writer)
    if key == "party":
        return _party_building(writer, unit, period)
    if key == "inspection":
        return _inspection(writer)
    if key == "mobilisation":
        return _mobilisation(writer)
    return _reports(writer)


def build_context(*, unit: Any, period: periods.Period, progress: Progress | None = None) -> dict:
    """The report's context (pure): the document frame, the sections with their sentences,
    numbered figures and charts, and the appendix. ``progress(stage, percent)`` is told of
    "collecting" (0–60) and "charts" (60–80)."""
    report = progress or (lambda stage, percent: None)
    report("collecting", 0)
    values, by_point, by_unit = _collect(unit, period)
    report("collecting", 60)
    report("charts", 60)
    numbering = _Numbering(values, unit, period)
    sections = []
    for key, heading, nothing in _headings():
        section = Section(key, heading)
        writer = _Writer(numbering, section)
        found = _write_section(key, writer, unit, period)
        if not found:
            section.paragraphs, section.rows, section.figures = [], [], []
            section.empty = _("Trong kỳ không phát sinh %(what)s.") % {"what": nothing}
        elif key == "mobilisation":
            section.figures += _rate_charts(unit, period, by_point, by_unit, values.get(RATE))
        sections.append(section)
    report("charts", 80)
    figures = sorted(numbering.figures.values(), key=lambda f: f.number)
    today = timezone.localdate()
    return {
        "document": document_frame(unit, period, today),
        "unit": unit,
        "period": period,
        "period_words": period_words(period),
        "sections": sections,
        "figures": figures,
        "rounding_rule": _(
            "Các tỷ lệ được tính từ số đếm, làm tròn một chữ số thập phân, nửa lên; các tỷ lệ "
            "của cùng một tổng được điều chỉnh để cộng đủ 100 (phương pháp phần dư lớn nhất)."
        ),
        "scope": unit.name,
        "period_range": _("từ %(start)s đến %(end)s")
        % {"start": period.start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")},
        "has_records": any(not s.empty for s in sections),
    }


def render(*, unit: Any, period: periods.Period, progress: Progress | None = None) -> bytes:
    """The whole PDF; ``progress(stage, percent)`` is called at each stage: "collecting"
    (0–60), "charts" (60–80), "rendering" (80–100)."""
    report = progress or (lambda stage, percent: None)
    with replica.reads():  # the figures may come from a replica; the job's rows do not
        context = build_context(unit=unit, period=period, progress=report)
    report("rendering", 80)
    pdf = rendering.render_pdf(TEMPLATE, context)
    report("rendering", 100)
    return pdf


# --- The web version (issue 14) ------------------------------------------------------------
# The page shows the same context, each figure a link to its drill-down. While
# :func:`build_web_context` builds it, a figure written into a sentence carries its indicator's
# code between control characters (which no translation holds); the sentences are then cut into
# segments and the plain text, the PDF's, is put back into ``paragraphs``.

_MARKING: contextvars.ContextVar[bool] = contextvars.ContextVar("term_report_web", default=False)
_MARK = re.compile("\x02([^\x1f\x02\x03]*)\x1f([^\x02\x03]*)\x03")


def _marked(code: str, text: str) -> str:
    """``text`` as written, or marked with ``code`` while the web version is built."""
    return f"\x02{code}\x1f{text}\x03" if _MARKING.get() else text


@dataclass(frozen=True)
class Segment:
    """A piece of a sentence: plain text, or a figure with its drill-down URL ("" if none)."""

    text: str
    figure: Figure | None = None
    url: str = ""
    code: str = ""

    def __html__(self) -> SafeString:
        """The segment in a page: escaped text, or a link titled with the figure's number."""
        if not self.url:
            return conditional_escape(self.text)
        title = f"[{self.figure.number}] {self.figure.label}" if self.figure is not None else ""
        return format_html(
            '<a class="figure-link" href="{}" title="{}">{}</a>', self.url, title, self.text
        )

    # A template writes str(value): the markup, already safe (as Django's forms do).
    __str__ = __html__


def _segments(
    marked: str, figures: dict[str, Figure], url_of: Callable[[str], str]
) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in _MARK.finditer(marked):
        if match.start() > position:
            segments.append(Segment(marked[position : match.start()]))
        code, text = match.group(1), match.group(2)
        figure = figures.get(code)
        url = figure.url if figure is not None else url_of(code)
        segments.append(Segment(text, figure, url, code))
        position = match.end()
    if position < len(marked):
        segments.append(Segment(marked[position:]))
    return segments


def plain(marked: str) -> str:
    """A marked sentence as the PDF writes it."""
    return _MARK.sub(lambda match: match.group(2), marked)


def build_web_context(*, unit: Any, period: periods.Period) -> dict:
    """:func:`build_context` for the web page: the same context (``paragraphs`` the PDF's
    sentences), plus each section's ``sentences`` as lists of :class:`Segment` (a figure
    carries its drill-down URL) and the charts drawn in the site's font."""
    token = _MARKING.set(True)
    try:
        context = build_context(unit=unit, period=period)
    finally:
        _MARKING.reset(token)
    figures = {figure.code: figure for figure in context["figures"]}
    definitions = {indicator.code: indicator for indicator in indicators.definitions()}

    def url_of(code: str) -> str:
        indicator = definitions.get(code)
        if indicator is None:
            return ""
        return indicators.drill_url(indicator, unit=unit, start=period.start, end=period.end)

    for section in context["sections"]:
        section.sentences = [_segments(p, figures, url_of) for p in section.paragraphs]
        section.paragraphs = [plain(p) for p in section.paragraphs]
        section.figures = [charts.figure(f.chart) for f in section.figures]
    return context
