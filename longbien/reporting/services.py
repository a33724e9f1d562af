"""Every write of the quarterly reports: keyword-only, atomic, scoped, audited, versioned.

Each write names the ``version`` of the report it read; a stale version is refused with a
clear message and nothing is written (two people on one report: the second save loses
nothing of the first). Submitting the same version twice (a double click, a retry) is one
submission.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from longbien.audit import audited
from longbien.org import scope
from longbien.org.models import OrgUnit
from longbien.org.types import Actor
from longbien.service import UNSET, service

from . import figures
from .choices import EDITABLE, NARRATIVE, REQUIRED, ReportStatus, Section
from .models import FigureCorrection, QuarterlyReport, ReturnComment, due_date, reporting_kinds
from .workflows import REPORT_WORKFLOW

AREA = scope.Area.REPORTS
# A count no ward reaches: a bound against typing mistakes in a corrected figure.
MAX_FIGURE = 10_000_000


def _check_quarter(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Quý phải từ 1 đến 4.")})
    today = timezone.localdate()
    first_day = dt.date(year, 3 * (quarter - 1) + 1, 1) if 2000 <= year <= 2100 else None
    if first_day is None:
        raise ValidationError({"year": _("Năm phải từ 2000 đến 2100.")})
    if first_day > today:
        raise ValidationError({"quarter": _("Quý này chưa bắt đầu.")})


@service
def report_open(*, actor: Actor, unit: OrgUnit, year: int, quarter: int) -> QuarterlyReport:
    """The unit's report of the quarter, created (not started) if it does not exist yet."""
    if not scope.can(actor, AREA, scope.VIEW, unit):
        raise PermissionDenied(_("Bạn không có quyền xem báo cáo của đơn vị này."))
    if unit.kind not in reporting_kinds():
        raise ValidationError({"unit": _("Đơn vị này không lập báo cáo quý.")})
    _check_quarter(year, quarter)
    found = QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    if found is not None:
        return found
    if not scope.can(actor, AREA, scope.CHANGE, unit):
        raise PermissionDenied(_("Đơn vị chưa bắt đầu báo cáo quý này."))
    report, _created = QuarterlyReport.objects.get_or_create(
        unit=unit, year=year, quarter=quarter, defaults={"due_on": due_date(year, quarter)}
    )
    return report


@service
def reports_open_quarter(*, year: int, quarter: int) -> int:
    """Open (not started) the quarter's report of every reporting unit that has none yet, so
    that the deadline's reminders reach them; returns how many were opened. Idempotent."""
    units = OrgUnit.objects.filter(kind__in=reporting_kinds(), valid_to__isnull=True)
    have = set(
        QuarterlyReport.objects.filter(year=year, quarter=quarter).values_list("unit_id", flat=True)
    )
    due_on = due_date(year, quarter)
    missing = [
        QuarterlyReport(unit_id=pk, year=year, quarter=quarter, due_on=due_on)
        for pk in units.values_list("pk", flat=True)
        if pk not in have
    ]
    QuarterlyReport.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _locked(report: QuarterlyReport, version: int | None) -> QuarterlyReport:
    """The report's row, locked for the write, refused if ``version`` is stale."""
    fresh = QuarterlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if version is None or int(version) != fresh.version:
        raise ValidationError(
            {"version": _(
                "Báo cáo đã được người khác sửa (phiên bản %(now)s, bạn đang sửa phiên bản "
                "%(yours)s). Nội dung của bạn chưa được lưu: hãy tải lại trang, xem thay đổi "
                "rồi nhập lại phần của mình."
            ) % {"now": fresh.version, "yours": version if version is not None else "?"}}
        )  # fmt: skip
    return fresh


def _check_editable(actor: Actor, report: QuarterlyReport) -> None:
    if not scope.can(actor, AREA, scope.CHANGE, report.unit):
        raise PermissionDenied(_("Bạn không có quyền sửa báo cáo của đơn vị này."))
    if report.status not in EDITABLE:
        if report.status == ReportStatus.ACCEPTED:
            raise ValidationError(_("Báo cáo đã được tiếp nhận và khóa; không sửa được nữa."))
        raise ValidationError(_("Báo cáo đã gửi; chờ Văn phòng Quận ủy tiếp nhận hoặc trả lại."))


def _clean_corrections(
    corrections: dict[str, tuple[Any, str]], live: dict[str, int]
) -> dict[str, tuple[int, str]]:
    """Check each corrected figure: a known count, a whole number from 0, an explanation."""
    known = figures.count_codes()
    errors: list[str] = []
    clean: dict[str, tuple[int, str]] = {}
    for code, (value, explanation) in corrections.items():
        indicator = known.get(code)
        if indicator is None:
            errors.append(_("Chỉ tiêu “%(code)s” không có trong báo cáo hoặc là tỷ lệ (tỷ lệ "
                            "được tính từ các số liệu).") % {"code": code})  # fmt: skip
            continue
        label = str(indicator.label)
        try:
            number = int(str(value).strip().replace(".", ""))
        except (TypeError, ValueError):
            errors.append(_("%(label)s: số liệu phải là số nguyên.") % {"label": label})
            continue
        if number < 0:
            errors.append(_("%(label)s: số liệu không được âm.") % {"label": label})
        elif number > MAX_FIGURE:
            errors.append(_("%(label)s: số liệu quá lớn.") % {"label": label})
        elif number != live.get(code) and not (explanation or "").strip():
            errors.append(_("%(label)s: hãy giải trình vì sao đính chính số liệu.") % {
                "label": label})  # fmt: skip
        else:
            clean[code] = (number, (explanation or "").strip())
    if errors:
        raise ValidationError({"corrections": errors})
    return clean


@service
def report_save(
    *,
    actor: Actor,
    report: QuarterlyReport,
    version: int | None,
    results: str = UNSET,
    limitations: str = UNSET,
    next_tasks: str = UNSET,
    proposals: str = UNSET,
    corrections: dict[str, tuple[Any, str]] | None = None,
    reason: str = "",
) -> QuarterlyReport:
    """Save the narrative and the corrected figures (``{code: (value, explanation)}``; a value
    equal to the computed one removes the correction). A stale version saves nothing."""
    _check_editable(actor, report)
    with transaction.atomic():
        fresh = _locked(report, version)
        _check_editable(actor, fresh)
        texts = {"results": results, "limitations": limitations, "next_tasks": next_tasks,
                 "proposals": proposals}  # fmt: skip
        for name, value in texts.items():
            if value is not UNSET:
                setattr(fresh, name, (value or "").strip())
        # The figures are computed only to check corrections (about 25 queries).
        live = figures.base_counts(fresh) if corrections else {}
        clean = _clean_corrections(corrections, live) if corrections else {}
        fresh.full_clean(exclude=["unit", "submitted_by", "accepted_by"])
        if fresh.status == ReportStatus.NOT_STARTED:
            fresh.status = ReportStatus.DRAFT
        fresh.version += 1
        with audited(actor=actor, reason=reason):
            fresh.save()
            stored = {c.code: c for c in fresh.corrections.all()}
            for code, (number, explanation) in clean.items():
                existing = stored.get(code)
                if number == live.get(code):
                    if existing is not None:
                        existing.delete()
                    continue
                if existing is None:
                    FigureCorrection.objects.create(
                        report=fresh, code=code, computed=live.get(code, 0), corrected=number,
                        explanation=explanation,
                    )  # fmt: skip
                elif (existing.corrected, existing.explanation) != (number, explanation):
                    existing.computed, existing.corrected = live.get(code, 0), number
                    existing.explanation = explanation
                    existing.save()
    _copy(fresh, report)
    return report


def _copy(fresh: QuarterlyReport, report: QuarterlyReport) -> None:
    """Hand the caller's object the stored state (views and the API keep their instance)."""
    report.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


@service
def report_submit(
    *, actor: Actor, report: QuarterlyReport, version: int | None, reason: str = ""
) -> QuarterlyReport:
    """Send the report: the required sections written, its figures frozen as they stand.
    Sending the version already sent again is the same submission (nothing happens)."""
    with transaction.atomic():
        fresh = QuarterlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        resent = fresh.status == ReportStatus.SUBMITTED and fresh.submitted_version is not None
        if resent and version is not None and int(version) == fresh.submitted_version:
            denied = REPORT_WORKFLOW.refusal(actor, fresh, "submit")
            if denied:
                raise PermissionDenied(denied)
            _copy(fresh, report)
            return report
        REPORT_WORKFLOW.check(actor, fresh, "submit")
        fresh = _locked(fresh, version)
        empty = {
            str(name): _("Hãy viết phần “%(section)s” trước khi gửi.") % {
                "section": Section(name).label}
            for name in REQUIRED if not fresh.section(name).strip()
        }  # fmt: skip
        if empty:
            raise ValidationError(empty)
        live = figures.live_counts(fresh)
        for correction in fresh.corrections.all():
            if correction.computed != live.get(correction.code, 0):
                correction.computed = live.get(correction.code, 0)
                correction.save(update_fields=["computed"])
        now = timezone.now()
        fresh.frozen, fresh.frozen_at = live, now
        fresh.status, fresh.submitted_at, fresh.submitted_by = ReportStatus.SUBMITTED, now, actor
        fresh.first_submitted_on = fresh.first_submitted_on or timezone.localdate()
        fresh.submitted_version = fresh.version
        fresh.version += 1
        with audited(actor=actor, reason=reason):
            fresh.save()
    _copy(fresh, report)
    return report


@service
def report_return(
    *,
    actor: Actor,
    report: QuarterlyReport,
    version: int | None,
    comments: dict[str, str],
    reason: str = "",
) -> QuarterlyReport:
    """Return the report for more work, with a comment on each section that needs it."""
    REPORT_WORKFLOW.check(actor, report, "return")
    written = {k: (v or "").strip() for k, v in (comments or {}).items() if (v or "").strip()}
    unknown = set(written) - set(Section.values)
    if unknown or not written:
        raise ValidationError({"comments": _("Hãy ghi ý kiến cho ít nhất một phần của báo cáo.")})
    with transaction.atomic():
        fresh = _locked(report, version)
        REPORT_WORKFLOW.check(actor, fresh, "return")
        rounds = fresh.comments.values_list("round", flat=True)
        number = max(rounds, default=0) + 1
        fresh.status = ReportStatus.RETURNED
        fresh.version += 1
        with audited(actor=actor, reason=reason or "; ".join(written.values())[:500]):
            fresh.save()
            ReturnComment.objects.bulk_create([
                ReturnComment(report=fresh, round=number, section=section, comment=text, by=actor)
                for section, text in sorted(written.items(), key=lambda kv: Section.values.index(kv[0]))
            ])  # fmt: skip
    _copy(fresh, report)
    return report


@service
def report_accept(
    *, actor: Actor, report: QuarterlyReport, version: int | None, reason: str = ""
) -> QuarterlyReport:
    """Accept the report: it is locked, its frozen figures are what every summary uses."""
    REPORT_WORKFLOW.check(actor, report, "accept")
    with transaction.atomic():
        fresh = _locked(report, version)
        REPORT_WORKFLOW.check(actor, fresh, "accept")
        fresh.status, fresh.accepted_at, fresh.accepted_by = (
            ReportStatus.ACCEPTED, timezone.now(), actor,
        )  # fmt: skip
        fresh.version += 1
        with audited(actor=actor, reason=reason):
            fresh.save()
    _copy(fresh, report)
    return report


def narrative_sections() -> list[tuple[str, Any]]:
    return [(name, Section(name).label) for name in NARRATIVE]
