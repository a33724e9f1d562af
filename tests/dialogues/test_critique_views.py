"""The pages of the social critiques and thematic supervisions (Decision 217) and of the
feedback on building the Party and the government (Decision 218), through the client:
recording with recommendations, bad input said on its field with nothing saved, the scope,
the registers' filters, diacritic-free search and figures, the responses."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import CritiqueKind, Organiser
from dialogues.models import Critique, Feedback, Recommendation

pytestmark = pytest.mark.django_db

FUTURE = "<in three days>"


def _dated(data):
    """The payload with ``FUTURE`` as a date three days from today."""
    day = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    return {key: day if value == FUTURE else value for key, value in data.items()}


def _critique_data(tree, **extra):
    return {
        "kind": CritiqueKind.CRITIQUE, "unit": tree.ward_a.pk, "organiser": Organiser.FRONT,
        "held_on": "08/04/2026", "subject": "Dự thảo quy hoạch chung phường Ánh Dương",
        "findings": "Thiếu bãi đỗ xe",
        "rec1_content": "Bổ sung bãi đỗ xe", "rec1_addressee": "UBND phường",
        "rec2_content": "Công khai bản đồ quy hoạch", "rec2_addressee": "Phòng Quản lý đô thị",
        **extra,
    }  # fmt: skip


def _feedback_data(tree, **extra):
    return {
        "unit": tree.ward_a.pk, "sender": Organiser.VETERANS, "received_on": "02/04/2026",
        "content": "Góp ý tác phong cán bộ bộ phận một cửa", "addressee": "UBND phường",
        **extra,
    }  # fmt: skip


def critique(actor, unit, *, held_on=dt.date(2026, 4, 8), subject="Giám sát hộ nghèo", **kw):
    return services.critique_create(
        actor=actor, kind=kw.pop("kind", CritiqueKind.SUPERVISION), unit=unit,
        organiser=kw.pop("organiser", Organiser.WOMEN), held_on=held_on, subject=subject, **kw,
    )  # fmt: skip


def feedback(actor, unit, *, received_on=dt.date(2026, 4, 2), content="Góp ý", **kw):
    return services.feedback_create(
        actor=actor, unit=unit, sender=kw.pop("sender", Organiser.FRONT), received_on=received_on,
        content=content, addressee=kw.pop("addressee", "UBND phường"), **kw,
    )  # fmt: skip


# --- Critiques and supervisions ----------------------------------------------------------------


def test_create_with_recommendations_stores_and_audits(users, tree, client_for):
    user = users["ward_secretary"]
    client = client_for(user)
    response = client.post(reverse("dialogues:critique_create"), _critique_data(tree))
    assert response.status_code == 302, response.context["form"].errors
    record = Critique.objects.get()
    assert response["Location"] == record.get_absolute_url()
    assert record.unit == tree.ward_a and record.organiser == Organiser.FRONT
    assert record.subject_folded == "du thao quy hoach chung phuong anh duong"
    items = list(record.recommendations.order_by("id"))
    assert [(i.content, i.addressee) for i in items] == [
        ("Bổ sung bãi đỗ xe", "UBND phường"),
        ("Công khai bản đồ quy hoạch", "Phòng Quản lý đô thị"),
    ]
    assert LogEntry.objects.get_for_object(record).get().actor == user
    for item in items:
        assert LogEntry.objects.get_for_object(item).get().actor == user
    page = client.get(record.get_absolute_url())
    html = page.content.decode()
    assert f'id="kien-nghi-{items[0].pk}"' in html and "Chưa phản hồi" in html
    assert reverse("dialogues:recommendation_respond", args=[items[0].pk]) in html
    assert page.context["responded"] == 0 and len(page.context["recommendations"]) == 2


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"subject": ""}, "subject", "hãy ghi văn bản"),
        ({"held_on": FUTURE}, "held_on", "không được sau hôm nay"),
        ({"rec2_addressee": ""}, "rec2_addressee", "cơ quan tiếp nhận"),
        ({"rec3_addressee": "UBND phường"}, "rec3_content", "nội dung kiến nghị"),
        ({"organiser": ""}, "organiser", "bắt buộc"),
    ],
)
def test_bad_critique_is_said_under_its_field_and_nothing_is_saved(
    users, tree, client_for, extra, field, message
):
    client = client_for(users["staff"])
    response = client.post(
        reverse("dialogues:critique_create"), _dated(_critique_data(tree, **extra))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]).lower(), errors[field]
    assert not Critique.objects.exists() and not Recommendation.objects.exists()


def test_a_unit_out_of_scope_is_refused(users, tree, client_for):
    client = client_for(users["ward_staff"])
    response = client.post(
        reverse("dialogues:critique_create"), _critique_data(tree, unit=tree.ward_b.pk)
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Critique.objects.exists()


def test_ward_b_records_are_not_found_by_ward_a(users, tree, client_for):
    staff = users["staff"]
    record = critique(staff, tree.ward_b, recommendations=[
        {"content": "Rà soát danh sách", "addressee": "UBND phường B"}])  # fmt: skip
    item = record.recommendations.get()
    note = feedback(staff, tree.ward_b)
    client = client_for(users["ward_secretary"])
    for url in (
        record.get_absolute_url(),
        reverse("dialogues:critique_update", args=[record.pk]),
        reverse("dialogues:recommendation_add", args=[record.pk]),
        reverse("dialogues:recommendation_respond", args=[item.pk]),
        note.get_absolute_url(),
        reverse("dialogues:feedback_update", args=[note.pk]),
        reverse("dialogues:feedback_respond", args=[note.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("dialogues:recommendation_respond", args=[item.pk]),
        {"response": "Đã tiếp thu", "responded_on": "20/04/2026"},
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.responded_on is None
    rows = client.get(reverse("dialogues:critique_list")).context["page_obj"].object_list
    assert record not in list(rows)


def test_buttons_only_for_those_who_may_change(users, tree, client_for):
    record = critique(users["staff"], tree.ward_a, recommendations=[
        {"content": "Rà soát danh sách", "addressee": "UBND phường"}])  # fmt: skip
    item = record.recommendations.get()
    respond = reverse("dialogues:recommendation_respond", args=[item.pk])
    update = reverse("dialogues:critique_update", args=[record.pk])
    html = client_for(users["leadership"]).get(record.get_absolute_url()).content.decode()
    assert "Chưa phản hồi" in html and respond not in html and update not in html
    assert client_for(users["leadership"]).get(respond).status_code == 403
    html = client_for(users["ward_staff"]).get(record.get_absolute_url()).content.decode()
    assert respond in html and update in html


def test_the_respond_flow(users, tree, client_for):
    record = critique(users["staff"], tree.ward_a, recommendations=[
        {"content": "Rà soát danh sách", "addressee": "UBND phường"},
        {"content": "Công khai kết quả", "addressee": "UBND phường"}])  # fmt: skip
    first, second = record.recommendations.order_by("id")
    client = client_for(users["ward_staff"])
    url = reverse("dialogues:recommendation_respond", args=[first.pk])
    response = client.post(url, {"response": "Đã tiếp thu", "responded_on": "01/04/2026"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "không được trước ngày tổ chức (08/04/2026)" in " ".join(errors["responded_on"])
    future = (timezone.localdate() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    response = client.post(url, {"response": "Đã tiếp thu", "responded_on": future})
    assert "không được sau hôm nay" in " ".join(response.context["form"].errors["responded_on"])
    response = client.post(url, {"response": "", "responded_on": "20/04/2026"})
    assert "response" in response.context["form"].errors
    first.refresh_from_db()
    assert first.responded_on is None and first.response == ""
    response = client.post(url, {"response": "Đã rà soát lại", "responded_on": "20/04/2026"})
    assert response.status_code == 302
    assert response["Location"] == first.get_absolute_url()
    first.refresh_from_db()
    assert first.response == "Đã rà soát lại" and first.responded_on == dt.date(2026, 4, 20)
    assert LogEntry.objects.get_for_object(first).count() == 2
    page = client.get(record.get_absolute_url())
    assert page.context["responded"] == 1
    assert 'data-figure="responded"' in page.content.decode()
    rows = client.get(reverse("dialogues:critique_list"), {"state": "waiting"})
    assert list(rows.context["page_obj"].object_list) == [record]
    services.recommendation_respond(
        actor=users["staff"],
        recommendation=second,
        response="Đã công khai",
        responded_on=dt.date(2026, 4, 21),
    )
    rows = client.get(reverse("dialogues:critique_list"), {"state": "waiting"})
    assert list(rows.context["page_obj"].object_list) == []
    rows = client.get(reverse("dialogues:critique_list"), {"state": "responded"})
    assert list(rows.context["page_obj"].object_list) == [record]
    assert "2/2" in rows.content.decode()


def test_update_and_add_a_recommendation(users, tree, client_for):
    record = critique(users["staff"], tree.ward_a)
    client = client_for(users["ward_secretary"])
    url = reverse("dialogues:critique_update", args=[record.pk])
    data = {"kind": CritiqueKind.CRITIQUE, "organiser": Organiser.YOUTH, "held_on": "09/04/2026",
            "subject": "Giám sát chính sách hộ nghèo", "findings": "Đúng đối tượng",
            "reason": "Đính chính"}  # fmt: skip
    response = client.post(url, {**data, "subject": ""})
    assert response.status_code == 200 and "subject" in response.context["form"].errors
    response = client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.kind == CritiqueKind.CRITIQUE and record.organiser == Organiser.YOUTH
    assert record.held_on == dt.date(2026, 4, 9)
    add = reverse("dialogues:recommendation_add", args=[record.pk])
    response = client.post(add, {"content": "Rà soát lại", "addressee": ""})
    assert response.status_code == 200 and "addressee" in response.context["form"].errors
    response = client.post(add, {"content": "Rà soát lại", "addressee": "UBND phường"})
    item = record.recommendations.get()
    assert response["Location"].endswith(f"#kien-nghi-{item.pk}")


def test_critique_register_filters_and_searches(users, tree, client_for):
    staff = users["staff"]
    ward = critique(staff, tree.ward_a, subject="Giám sát chính sách hộ nghèo")
    district = critique(
        staff, tree.root, kind=CritiqueKind.CRITIQUE, organiser=Organiser.FRONT,
        held_on=dt.date(2025, 6, 1), subject="Dự thảo Đề án giải phóng mặt bằng",
    )  # fmt: skip
    client = client_for(staff)
    url = reverse("dialogues:critique_list")
    rows = lambda params: list(client.get(url, params).context["page_obj"].object_list)  # noqa: E731
    assert rows({"q": "giai phong mat bang"}) == [district]
    assert rows({"q": "HO NGHEO"}) == [ward]
    assert rows({"kind": CritiqueKind.CRITIQUE}) == [district]
    assert rows({"organiser": Organiser.WOMEN}) == [ward]
    assert rows({"unit": tree.ward_a.code}) == [ward]
    assert rows({"year": "2025"}) == [district]
    assert rows({}) == [ward, district]
    html = client.get(url).content.decode()
    assert reverse("dialogues:critique_create") in html
    html = client_for(users["leadership"]).get(url).content.decode()
    assert reverse("dialogues:critique_create") not in html


# --- Feedback ------------------------------------------------------------------------------------


def test_feedback_create_with_and_without_its_response(users, tree, client_for):
    user = users["ward_staff"]
    client = client_for(user)
    url = reverse("dialogues:feedback_create")
    response = client.post(url, _feedback_data(tree))
    assert response.status_code == 302, response.context["form"].errors
    open_item = Feedback.objects.get()
    assert open_item.responded_on is None and open_item.response == ""
    assert LogEntry.objects.get_for_object(open_item).get().actor == user
    response = client.post(url, _feedback_data(tree, content="Góp ý dự thảo nghị quyết",
                                               response="Đã tiếp thu",
                                               responded_on="10/04/2026"))  # fmt: skip
    assert response.status_code == 302
    answered = Feedback.objects.get(content="Góp ý dự thảo nghị quyết")
    assert answered.responded_on == dt.date(2026, 4, 10) and answered.response == "Đã tiếp thu"
    html = client.get(answered.get_absolute_url()).content.decode()
    assert "Đã tiếp thu" in html and "Chưa trả lời" not in html
    html = client.get(open_item.get_absolute_url()).content.decode()
    assert "Chưa trả lời" in html
    assert reverse("dialogues:feedback_respond", args=[open_item.pk]) in html


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"response": "Đã tiếp thu"}, "responded_on", "hãy ghi ngày trả lời"),
        ({"responded_on": "10/04/2026"}, "response", "hãy ghi nội dung trả lời"),
        ({"response": "Đã tiếp thu", "responded_on": "01/04/2026"}, "responded_on",
         "không được trước ngày góp ý (02/04/2026)"),
        ({"received_on": FUTURE}, "received_on", "không được sau hôm nay"),
        ({"content": ""}, "content", "hãy ghi nội dung góp ý"),
        ({"sender": "nobody"}, "sender", "lựa chọn"),
    ],
)  # fmt: skip
def test_bad_feedback_is_said_under_its_field_and_nothing_is_saved(
    users, tree, client_for, extra, field, message
):
    client = client_for(users["staff"])
    response = client.post(
        reverse("dialogues:feedback_create"), _dated(_feedback_data(tree, **extra))
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]).lower(), errors[field]
    assert not Feedback.objects.exists()


def test_feedback_respond_and_update(users, tree, client_for):
    item = feedback(users["staff"], tree.ward_a, content="Góp ý tác phong cán bộ")
    client = client_for(users["ward_secretary"])
    url = reverse("dialogues:feedback_respond", args=[item.pk])
    response = client.post(url, {"response": "Đã chấn chỉnh", "responded_on": "01/04/2026"})
    assert response.status_code == 200
    assert "không được trước ngày góp ý" in " ".join(
        response.context["form"].errors["responded_on"]
    )
    item.refresh_from_db()
    assert item.responded_on is None
    response = client.post(url, {"response": "Đã chấn chỉnh", "responded_on": "15/04/2026"})
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.response == "Đã chấn chỉnh" and item.responded_on == dt.date(2026, 4, 15)
    update = reverse("dialogues:feedback_update", args=[item.pk])
    data = {"sender": Organiser.YOUTH, "received_on": "02/04/2026",
            "content": "Góp ý tác phong cán bộ một cửa", "addressee": "Đảng ủy phường",
            "reason": "Đính chính"}  # fmt: skip
    response = client.post(update, {**data, "received_on": "20/04/2026"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["received_on"])
    assert "Ngày trả lời không được trước ngày góp ý (20/04/2026)" in errors
    item.refresh_from_db()
    assert item.received_on == dt.date(2026, 4, 2)
    response = client.post(update, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.sender == Organiser.YOUTH and item.addressee == "Đảng ủy phường"
    assert item.content_folded == "gop y tac phong can bo mot cua"
    assert client_for(users["leadership"]).get(update).status_code == 403


def test_feedback_register_filters_search_and_figures(users, tree, client_for):
    staff = users["staff"]
    waiting = feedback(staff, tree.ward_a, content="Góp ý tác phong cán bộ một cửa",
                       sender=Organiser.VETERANS)  # fmt: skip
    answered = feedback(staff, tree.ward_a, content="Góp ý dự thảo nghị quyết Đảng bộ",
                        received_on=dt.date(2026, 3, 5), response="Đã tiếp thu",
                        responded_on=dt.date(2026, 3, 19))  # fmt: skip
    old = feedback(staff, tree.ward_b, content="Góp ý chỉnh trang đô thị",
                   received_on=dt.date(2025, 9, 1))  # fmt: skip
    client = client_for(staff)
    url = reverse("dialogues:feedback_list")

    def page(params):
        response = client.get(url, params)
        return list(response.context["page_obj"].object_list), response.context["figures"]

    rows, figures = page({})
    assert rows == [waiting, answered, old]
    assert (figures.received, figures.answered, figures.waiting) == (3, 1, 2)
    rows, figures = page({"q": "du thao nghi quyet dang"})
    assert rows == [answered] and (figures.received, figures.answered) == (1, 1)
    assert page({"sender": Organiser.VETERANS})[0] == [waiting]
    assert page({"unit": tree.ward_b.code})[0] == [old]
    assert page({"year": "2025"})[0] == [old]
    rows, figures = page({"answered": "no"})
    assert rows == [waiting, old] and (figures.received, figures.answered) == (2, 0)
    assert page({"answered": "yes"})[0] == [answered]
    html = client.get(url, {"year": "2026"}).content.decode()
    assert 'data-figure="received"' in html and "50,0" in html
    # The ward's secretary sees their ward's figures only.
    response = client_for(users["ward_secretary"]).get(url)
    assert response.context["figures"].received == 2
