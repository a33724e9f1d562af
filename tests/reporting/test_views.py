"""The quarterly report's pages: opening a quarter, the prefilled figures, the edit page with
its corrected figures and its version check, the workflow steps (submit, return with
comments, accept), the lock of an accepted report, the diff after a record changes, the
scope, and the narrative shown as text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dialogues import services as dialogue_services
from dialogues.choices import DialogueLevel
from longbien.reporting import services
from longbien.reporting.choices import ReportStatus
from longbien.reporting.forms import VALUE_PREFIX, WHY_PREFIX
from longbien.reporting.models import FigureCorrection, QuarterlyReport, ReturnComment

pytestmark = pytest.mark.django_db

YEAR, QUARTER = 2026, 1
CODE = "dialogues.ward"
TEXTS = {"results": "Hoàn thành các chỉ tiêu.", "limitations": "Còn chậm.",
         "next_tasks": "Tiếp tục.", "proposals": ""}  # fmt: skip


def dialogue(actor, unit, held_on=dt.date(2026, 2, 10)):
    return dialogue_services.dialogue_create(
        actor=actor, level=DialogueLevel.WARD, unit=unit, held_on=held_on, chair="Bí thư",
        topic="Trật tự đô thị", participants=80,
    )  # fmt: skip


def login(client, user):
    client.force_login(user, backend="longbien.org.backends.PersonModelBackend")
    return client


def page(response) -> str:
    return response.content.decode()


def figure_cell(html: str, code: str) -> str:
    """The value cell of a figure's row on a report's page."""
    found = re.search(rf'<tr data-code="{re.escape(code)}"[^>]*>(.*?)</tr>', html, re.S)
    assert found, f"no row for {code}"
    return found.group(1)


def shown_value(html: str, code: str) -> str:
    found = re.search(r'<span class="figure">([^<]*)</span>', figure_cell(html, code))
    assert found
    return found.group(1).strip()


def said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def open_url(unit, year=YEAR, quarter=QUARTER):
    return reverse("reporting:report_open", args=[unit.code, year, quarter])


def edit_data(report, **extra):
    return {"version": report.version, **TEXTS, **extra}


@pytest.fixture
def report(users, tree):
    return services.report_open(actor=users["ward_secretary"], unit=tree.ward_a, year=YEAR,
                                quarter=QUARTER)  # fmt: skip


def written(report, actor):
    return services.report_save(actor=actor, report=report, version=report.version, **TEXTS)


def sent(report, users):
    written(report, users["ward_secretary"])
    return services.report_submit(actor=users["ward_secretary"], report=report,
                                  version=report.version)  # fmt: skip


# --- Opening a quarter -------------------------------------------------------------------------


def test_the_secretary_opens_the_quarter_and_sees_the_prefilled_figures(client, users, tree):
    dialogue(users["staff"], tree.ward_a)
    dialogue(users["staff"], tree.ward_b)  # another ward: not in ward A's report
    c = login(client, users["ward_secretary"])
    response = c.get(open_url(tree.ward_a))
    assert response.status_code == 200 and "Bắt đầu soạn báo cáo" in page(response)
    assert not QuarterlyReport.objects.exists()
    response = c.post(open_url(tree.ward_a))
    report = QuarterlyReport.objects.get(unit=tree.ward_a, year=YEAR, quarter=QUARTER)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_edit", args=[report.pk])
    # Opened again: the report's page, not a second report.
    response = c.get(open_url(tree.ward_a))
    assert response["Location"] == report.get_absolute_url()
    assert QuarterlyReport.objects.count() == 1
    html = page(c.get(report.get_absolute_url()))
    assert "Quý I năm 2026" in html
    assert shown_value(html, CODE) == "1"
    assert 'title="' in figure_cell(html, CODE)
    # The edit page shows the computed figure beside its empty correction.
    html = page(c.get(reverse("reporting:report_edit", args=[report.pk])))
    assert f'name="{VALUE_PREFIX}{CODE}"' in html and "Lưu và gửi" in html


def test_a_reader_sees_not_started_and_refusals_are_clean(client, users, tree):
    c = login(client, users["leadership"])
    response = c.get(open_url(tree.ward_b, quarter=2))
    assert response.status_code == 200
    assert "chưa bắt đầu báo cáo quý này" in page(response)
    assert "Bắt đầu soạn báo cáo" not in page(response)
    assert c.post(open_url(tree.ward_b, quarter=2)).status_code == 403
    assert not QuarterlyReport.objects.exists()
    c = login(client, users["ward_secretary"])
    assert c.get(open_url(tree.cell_a1)).status_code == 404  # does not report
    assert c.get(open_url(tree.ward_a, year=2099)).status_code == 404  # not begun
    assert c.get(open_url(tree.ward_a, quarter=5)).status_code == 404
    assert c.get(open_url(tree.ward_b)).status_code == 404  # another ward
    assert c.post(open_url(tree.ward_b)).status_code == 404
    assert not QuarterlyReport.objects.exists()


def test_the_register_shows_a_ward_its_own_reports_with_filters(client, users, tree, report):
    other = services.report_open(actor=users["staff"], unit=tree.ward_b, year=YEAR,
                                 quarter=QUARTER)  # fmt: skip
    html = page(login(client, users["ward_secretary"]).get(reverse("reporting:report_list")))
    assert report.get_absolute_url() in html and other.get_absolute_url() not in html
    staff = login(client, users["staff"])
    html = page(staff.get(reverse("reporting:report_list")))
    assert report.get_absolute_url() in html and other.get_absolute_url() in html
    sent(report, users)
    html = page(staff.get(reverse("reporting:report_list"), {"status": "submitted"}))
    assert report.get_absolute_url() in html and other.get_absolute_url() not in html
    html = page(staff.get(reverse("reporting:report_list"), {"unit": "P-B", "year": "2026",
                                                             "quarter": "1"}))  # fmt: skip
    assert report.get_absolute_url() not in html and other.get_absolute_url() in html


# --- The edit page -----------------------------------------------------------------------------


def test_a_corrected_figure_needs_an_explanation_then_shows_both_values(
    client, users, tree, report
):
    dialogue(users["staff"], tree.ward_a)
    c = login(client, users["ward_secretary"])
    url = reverse("reporting:report_edit", args=[report.pk])
    response = c.post(url, edit_data(report, **{VALUE_PREFIX + CODE: "3"}))
    assert response.status_code == 200
    html = page(response)
    assert "hãy giải trình vì sao đính chính số liệu" in html
    assert 'id="correction-errors"' in html and 'value="3"' in html  # typed value kept
    report.refresh_from_db()
    assert (report.version, report.results, report.status) == (1, "", ReportStatus.NOT_STARTED)
    assert not FigureCorrection.objects.exists()
    response = c.post(
        url,
        edit_data(
            report, **{VALUE_PREFIX + CODE: "3", WHY_PREFIX + CODE: "Một cuộc ghi trên giấy"}
        ),
    )
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    correction = FigureCorrection.objects.get(report=report, code=CODE)
    assert (correction.computed, correction.corrected) == (1, 3)
    html = page(c.get(report.get_absolute_url()))
    assert shown_value(html, CODE) == "3"
    cell = figure_cell(html, CODE)
    assert "(hệ thống: 1)" in cell and "Một cuộc ghi trên giấy" in cell
    # The edit page comes back with the correction filled in; emptying it removes it.
    html = page(c.get(url))
    assert 'value="3"' in html and "Một cuộc ghi trên giấy" in html
    report.refresh_from_db()
    assert c.post(url, edit_data(report)).status_code == 302
    assert not FigureCorrection.objects.exists()


def test_a_stale_version_is_refused_and_keeps_what_was_typed(client, users, report):
    c = login(client, users["ward_staff"])
    url = reverse("reporting:report_edit", args=[report.pk])
    seen = report.version
    services.report_save(actor=users["ward_secretary"], report=report, version=seen,
                         results="Bản của bí thư")  # fmt: skip
    response = c.post(url, {**edit_data(report), "version": seen,
                            "results": "Bản của cán bộ, gõ cả buổi"})  # fmt: skip
    assert response.status_code == 200
    html = page(response)
    assert "Báo cáo đã được người khác sửa" in html
    assert "Bản của cán bộ, gõ cả buổi" in html  # the typed text, in its textarea
    assert "Bản của bí thư" in html  # and what is stored now, to compare
    report.refresh_from_db()
    assert report.results == "Bản của bí thư" and report.version == seen + 1


def test_ward_staff_edit_but_do_not_submit(client, users, report):
    c = login(client, users["ward_staff"])
    url = reverse("reporting:report_edit", args=[report.pk])
    html = page(c.get(url))
    assert 'name="results"' in html and 'name="send"' not in html
    assert c.post(url, edit_data(report)).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.results == TEXTS["results"]
    submit = reverse("reporting:report_submit", args=[report.pk])
    assert submit not in page(c.get(report.get_absolute_url()))
    assert c.post(submit, {"version": report.version}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None


def test_save_and_send_from_the_edit_page(client, users, report):
    c = login(client, users["ward_secretary"])
    url = reverse("reporting:report_edit", args=[report.pk])
    # A required section left empty: neither saved nor sent, the text typed kept.
    response = c.post(url, edit_data(report, limitations="", results="Kết quả mới", send="1"))
    assert response.status_code == 200 and "Hãy viết phần" in page(response)
    assert "Kết quả mới" in page(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_STARTED and report.results == ""
    response = c.post(url, edit_data(report, send="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.results == TEXTS["results"]


# --- The workflow ------------------------------------------------------------------------------


def test_submit_return_with_comments_resubmit_and_accept(client, users, report):
    secretary, staff = users["ward_secretary"], users["staff"]
    written(report, secretary)
    c = login(client, secretary)
    html = page(c.get(report.get_absolute_url()))
    submit = reverse("reporting:report_submit", args=[report.pk])
    assert submit in html and f'name="version" value="{report.version}"' in html
    version = report.version
    response = c.post(submit, {"version": version}, follow=True)
    assert "Đã gửi báo cáo." in said(response)
    report.refresh_from_db()
    first_sent = report.submitted_at
    assert report.status == ReportStatus.SUBMITTED
    # A double click posts the same version again: one submission.
    response = c.post(submit, {"version": version}, follow=True)
    report.refresh_from_db()
    assert report.submitted_at == first_sent and report.version == version + 1
    assert not [m for m in said(response) if "người khác sửa" in m]

    s = login(client, staff)
    back = reverse("reporting:report_return", args=[report.pk])
    assert s.get(back).status_code == 200
    response = s.post(back, {"version": report.version})
    assert response.status_code == 200 and "ít nhất một phần" in page(response)
    response = s.post(back, {"version": report.version, "results": "Bổ sung số liệu đối thoại",
                             "figures": "Số cuộc đối thoại chưa khớp sổ"})  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert ReturnComment.objects.filter(report=report, round=1).count() == 2

    c = login(client, secretary)
    html = page(c.get(report.get_absolute_url()))
    assert "Bổ sung số liệu đối thoại" in html and "Số cuộc đối thoại chưa khớp sổ" in html
    assert "Ý kiến lần 1" in html
    html = page(c.get(reverse("reporting:report_edit", args=[report.pk])))
    assert "Bổ sung số liệu đối thoại" in html  # beside the section being rewritten
    services.report_save(actor=secretary, report=report, version=report.version,
                         results="Đã bổ sung.")  # fmt: skip
    c.post(submit, {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    s = login(client, staff)
    accept = reverse("reporting:report_accept", args=[report.pk])
    assert login(client, secretary).post(accept, {"version": report.version}).status_code == 403
    s = login(client, staff)
    response = s.post(accept, {"version": report.version}, follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.accepted_by == staff
    assert any("Đã tiếp nhận báo cáo" in m for m in said(response))


def test_a_stale_step_is_refused_with_a_message(client, users, report):
    written(report, users["ward_secretary"])
    c = login(client, users["ward_secretary"])
    submit = reverse("reporting:report_submit", args=[report.pk])
    response = c.post(submit, {"version": report.version - 1}, follow=True)
    assert any("người khác sửa" in m for m in said(response))
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_an_accepted_report_is_locked(client, users, report):
    sent(report, users)
    services.report_accept(actor=users["staff"], report=report, version=report.version)
    c = login(client, users["ward_secretary"])
    url = reverse("reporting:report_edit", args=[report.pk])
    response = c.get(url, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert any("khóa" in m for m in said(response))
    version = report.version
    response = c.post(url, edit_data(report, results="Sửa sau khi khóa"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.results == TEXTS["results"] and report.version == version
    assert url not in page(c.get(report.get_absolute_url()))


def test_an_accepted_report_shows_the_diff_after_a_new_record(client, users, tree, report):
    dialogue(users["staff"], tree.ward_a)
    sent(report, users)
    services.report_accept(actor=users["staff"], report=report, version=report.version)
    c = login(client, users["staff"])
    html = page(c.get(report.get_absolute_url()))
    assert "Hôm nay" not in html and 'id="figures-changed"' not in html
    dialogue(users["staff"], tree.ward_a, held_on=dt.date(2026, 3, 20))  # recorded late
    html = page(c.get(report.get_absolute_url()))
    assert 'id="figures-changed"' in html and "đã thay đổi sau đó" in html
    cell = figure_cell(html, CODE)
    assert shown_value(html, CODE) == "1"  # what was accepted stays
    assert re.search(r'<td class="num today">\s*2\s*</td>', cell)


# --- Scope and output --------------------------------------------------------------------------


def test_a_ward_user_gets_404_on_another_wards_report(client, users, tree):
    other = services.report_open(actor=users["staff"], unit=tree.ward_b, year=YEAR,
                                 quarter=QUARTER)  # fmt: skip
    for role in ("ward_secretary", "ward_staff"):
        c = login(client, users[role])
        for name in ("report_detail", "report_edit", "report_return"):
            assert c.get(reverse(f"reporting:{name}", args=[other.pk])).status_code == 404
        for name in ("report_submit", "report_accept"):
            url = reverse(f"reporting:{name}", args=[other.pk])
            assert c.post(url, {"version": other.version}).status_code == 404
    other.refresh_from_db()
    assert other.version == 1 and other.status == ReportStatus.NOT_STARTED


def test_the_narrative_is_shown_as_text(client, users, report):
    services.report_save(actor=users["ward_secretary"], report=report, version=report.version,
                         results="Dòng một\n\n<script>alert(1)</script> <b>đậm</b>")  # fmt: skip
    html = page(login(client, users["staff"]).get(report.get_absolute_url()))
    assert "<script>alert(1)</script>" not in html and "<b>đậm</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>Dòng một</p>" in html  # paragraphs kept


def test_figures_are_written_the_vietnamese_way():
    from decimal import Decimal

    from longbien.indicators import Indicator, Value
    from longbien.reporting.views.reports import hover, shown

    count = Indicator("x.count", "Số cuộc", "dialogues")
    share = Indicator("x.share", "Tỷ lệ", "dialogues", numerator="x.done", denominator="x.count")
    assert shown(Value(count, count=1204)) == "1.204"
    assert shown(Value(share, share=Decimal("95.4"), numerator=103, denominator=108)) == (
        "95,4% (103/108)"
    )
    assert shown(Value(share, share=None, numerator=0, denominator=0)) == "–"
    title = hover(Value(share, share=Decimal("95.4"), numerator=103, denominator=108),
                  {"x.done": "Đã xong", "x.count": "Số cuộc"})  # fmt: skip
    assert title == "Tỷ lệ = Đã xong / Số cuộc (103 / 108)"


def test_a_figure_links_to_the_records_behind_it(client, users, tree, report):
    dialogue(users["staff"], tree.ward_a)
    c = login(client, users["ward_secretary"])
    html = page(c.get(report.get_absolute_url()))
    row = re.search(rf'<tr data-code="{re.escape(CODE)}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    url = "/dan-van/doi-thoai/?level=ward&amp;unit=P-A&amp;start=01%2F01%2F2026&amp;end=31%2F03%2F2026"
    assert f'href="{url}"' in row
    listed = c.get(url.replace("&amp;", "&"))
    assert listed.status_code == 200 and listed.context["result_count"] == 1
