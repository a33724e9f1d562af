"""The citizen reception sessions' and the "skilful mass mobilisation" models' pages, through
the client: recording, the cases received at a session (linked both ways), the registers'
filters and figures, refusals in Vietnamese on their fields, the scope, and the intake's file
kept across the duplicate step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.choices import CaseSource, ModelField, Recognition
from dialogues.models import MobilisationModel, OpinionCase, Reception
from dialogues.views import cases as case_views
from longbien.attachments.models import Attachment
from longbien.attachments.selectors import attachments_for
from tests.route_data import PDF

from .conftest import receive

pytestmark = pytest.mark.django_db

CONTENT = "Đường Nguyễn Văn Cừ ngập nước sau mưa lớn"


def _session(actor, unit, *, held_on=dt.date(2026, 3, 15), leader="Nguyễn Văn Tâm", **extra):
    return services.reception_create(
        actor=actor, unit=unit, held_on=held_on, leader=leader,
        leader_title=extra.pop("leader_title", "Bí thư Đảng ủy"),
        place=extra.pop("place", "Trụ sở Đảng ủy phường"), citizens=extra.pop("citizens", 5),
        **extra,
    )  # fmt: skip


def _model(actor, unit, name="Tuyến phố văn minh", *, year=2025, **extra):
    return services.model_create(
        actor=actor, unit=unit, year=year, name=name,
        field=extra.pop("field", ModelField.URBAN),
        recognition=extra.pop("recognition", Recognition.DISTRICT), **extra,
    )  # fmt: skip


def _intake(unit, **extra):
    return {
        "source": "hotline", "received_on": "16/03/2026", "content": CONTENT, "unit": unit.pk,
        "category": "land", "urgency": "normal", **extra,
    }  # fmt: skip


def _pdf(name="don.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- Reception sessions ------------------------------------------------------------------------


def test_a_reception_is_recorded_through_its_form(users, tree, client_for):
    client = client_for(users["ward_staff"])
    response = client.post(reverse("dialogues:reception_create"), {
        "unit": tree.ward_a.pk, "held_on": "15/03/2026", "leader": "Trần Thị Lan",
        "leader_title": "Chủ tịch UBND phường", "place": "Nhà văn hóa tổ 3", "citizens": "7",
        "notes": "Chủ yếu về đất đai", "file": _pdf("so-tiep.pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    session = Reception.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert (session.unit, session.held_on, session.leader, session.citizens) == (
        tree.ward_a,
        dt.date(2026, 3, 15),
        "Trần Thị Lan",
        7,
    )
    assert [a.original_name for a in attachments_for(user=users["staff"], obj=session)] == [
        "so-tiep.pdf"
    ]
    page = client.get(reverse("dialogues:reception_list")).content.decode()
    assert "Trần Thị Lan" in page and "Nhà văn hóa tổ 3" in page


def test_bad_receptions_are_refused_in_vietnamese_on_their_fields(users, tree, client_for):
    client = client_for(users["staff"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    data = {"unit": tree.ward_a.pk, "held_on": tomorrow, "leader": "Trần Thị Lan",
            "place": "Trụ sở", "citizens": "5000"}  # fmt: skip
    response = client.post(reverse("dialogues:reception_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["held_on"] == ["Ngày tiếp không được sau hôm nay."]
    assert errors["citizens"] == ["Số lượt công dân không quá 1.000."]
    # A ward may not record a session of another ward.
    client = client_for(users["ward_staff"])
    response = client.post(reverse("dialogues:reception_create"),
                           {**data, "unit": tree.ward_b.pk, "held_on": "15/03/2026",
                            "citizens": "5"})  # fmt: skip
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert Reception.objects.count() == 0


def test_a_reception_is_corrected_with_a_reason(users, tree, client_for):
    staff = users["staff"]
    session = _session(staff, tree.ward_a)
    receive(staff, tree.ward_a, received=dt.date(2026, 3, 15), reception=session)
    client = client_for(users["ward_secretary"])
    url = reverse("dialogues:reception_update", args=[session.pk])
    assert client.get(url).context["form"].initial["leader"] == "Nguyễn Văn Tâm"
    data = {"held_on": "15/03/2026", "leader": "Nguyễn Văn Tâm", "leader_title": "Bí thư",
            "place": "Trụ sở", "citizens": "8", "notes": "", "reason": "Đếm lại sổ"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.citizens == 8
    # The session may not move after a case received at it.
    response = client.post(url, {**data, "held_on": "20/03/2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        "Đã có vụ việc tiếp nhận trước ngày này từ buổi tiếp; hãy kiểm tra lại ngày tiếp."
    ]
    session.refresh_from_db()
    assert session.held_on == dt.date(2026, 3, 15)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Đếm lại sổ" in page  # the history


def test_a_case_is_received_from_a_reception_and_both_pages_link(users, tree, client_for):
    session = _session(users["staff"], tree.ward_a)
    client = client_for(users["ward_staff"])
    detail = client.get(session.get_absolute_url()).content.decode()
    intake = f"{reverse('dialogues:case_create')}?tiep-cong-dan={session.pk}"
    assert "Tiếp nhận vụ việc từ buổi tiếp" in detail and intake in detail
    response = client.get(intake)
    form = response.context["form"]
    assert form.initial["reception"] == session.pk and form.initial["unit"] == tree.ward_a
    assert form.initial["source"] == CaseSource.RECEPTION
    assert form.initial["received_on"] == dt.date(2026, 3, 15)
    assert form.fields["source"].disabled
    # The source is fixed: whatever is posted, the case comes from the reception.
    data = _intake(tree.ward_a, source="hotline", reception=session.pk)
    response = client.post(intake, data)
    assert response.status_code == 302
    case = OpinionCase.objects.get()
    assert case.reception == session and case.source == CaseSource.RECEPTION
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Từ buổi tiếp công dân" in page and session.get_absolute_url() in page
    assert "Nguyễn Văn Tâm, 15/03/2026" in page
    response = client.get(session.get_absolute_url())
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    assert case.get_absolute_url() in response.content.decode()
    # The list counts it.
    listed = client.get(reverse("dialogues:reception_list")).context["table"].data
    assert [row.case_count for row in listed] == [1]
    # A step's page of the case shows the link too.
    page = client.get(reverse("dialogues:case_assign", args=[case.pk])).content.decode()
    assert session.get_absolute_url() in page


def test_a_case_received_before_the_reception_is_refused(users, tree, client_for):
    session = _session(users["staff"], tree.ward_a)
    client = client_for(users["ward_staff"])
    intake = f"{reverse('dialogues:case_create')}?tiep-cong-dan={session.pk}"
    response = client.post(intake, _intake(tree.ward_a, received_on="14/03/2026",
                                           reception=session.pk))  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == [
        "Ngày tiếp nhận không được trước buổi tiếp công dân (15/03/2026)."
    ]
    assert OpinionCase.objects.count() == 0


def test_a_ward_sees_nothing_of_another_wards_receptions(users, tree, client_for):
    other = _session(users["staff"], tree.ward_b, leader="Lê Văn Bình")
    model = _model(users["staff"], tree.ward_b)
    client = client_for(users["ward_staff"])
    for url in (
        other.get_absolute_url(),
        reverse("dialogues:reception_update", args=[other.pk]),
        model.get_absolute_url(),
        reverse("dialogues:model_update", args=[model.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Lê Văn Bình" not in client.get(reverse("dialogues:reception_list")).content.decode()
    # Ward B's session opens no case for ward A's user: not prefilled, refused when posted.
    intake = f"{reverse('dialogues:case_create')}?tiep-cong-dan={other.pk}"
    assert "reception" not in client.get(intake).context["form"].initial
    response = client.post(intake, _intake(tree.ward_a, reception=other.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["reception"] == [
        "Không tìm thấy buổi tiếp công dân này."
    ]
    assert OpinionCase.objects.count() == 0


def test_readers_get_no_buttons(users, tree, client_for):
    session = _session(users["staff"], tree.ward_a)
    model = _model(users["staff"], tree.ward_a)
    client = client_for(users["leadership"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Tiếp nhận vụ việc từ buổi tiếp" not in page
    assert reverse("dialogues:reception_update", args=[session.pk]) not in page
    assert (
        reverse("dialogues:model_update", args=[model.pk])
        not in client.get(model.get_absolute_url()).content.decode()
    )
    assert (
        reverse("dialogues:reception_create")
        not in client.get(reverse("dialogues:reception_list")).content.decode()
    )
    assert client.get(reverse("dialogues:reception_create")).status_code == 403
    staff_page = client_for(users["staff"]).get(reverse("dialogues:reception_list"))
    assert reverse("dialogues:reception_create") in staff_page.content.decode()


def test_the_reception_register_filters(users, tree, client_for):
    staff = users["staff"]
    _session(staff, tree.ward_a, leader="Nguyễn Văn Tâm", held_on=dt.date(2026, 3, 15))
    _session(staff, tree.ward_a, leader="Phạm Thu Hà", held_on=dt.date(2025, 6, 1),
             place="Nhà văn hóa tổ 7")  # fmt: skip
    _session(staff, tree.ward_b, leader="Lê Văn Bình", held_on=dt.date(2026, 2, 2))
    client = client_for(staff)
    url = reverse("dialogues:reception_list")

    def leaders(**query):
        return [row.leader for row in client.get(url, query).context["table"].data]

    assert leaders() == ["Nguyễn Văn Tâm", "Lê Văn Bình", "Phạm Thu Hà"]
    assert leaders(year="2026") == ["Nguyễn Văn Tâm", "Lê Văn Bình"]
    assert leaders(unit="P-B") == ["Lê Văn Bình"]
    assert leaders(q="thu hà") == ["Phạm Thu Hà"]
    assert leaders(q="tổ 7") == ["Phạm Thu Hà"]


# --- Models ------------------------------------------------------------------------------------


def test_a_model_is_recorded_and_a_duplicate_refused(users, tree, client_for):
    client = client_for(users["ward_secretary"])
    url = reverse("dialogues:model_create")
    data = {"unit": tree.ward_a.pk, "year": "2025", "name": "Tuyến phố văn minh",
            "field": "urban", "recognition": "district", "description": "Ba tuyến phố"}  # fmt: skip
    response = client.post(url, {**data, "file": _pdf("quyet-dinh.pdf")})
    assert response.status_code == 302
    model = MobilisationModel.objects.get()
    assert response["Location"] == model.get_absolute_url()
    assert (model.unit, model.year, model.field, model.recognition) == (
        tree.ward_a,
        2025,
        ModelField.URBAN,
        Recognition.DISTRICT,
    )
    page = client.get(model.get_absolute_url()).content.decode()
    assert "Ba tuyến phố" in page and "quyet-dinh.pdf" in page
    # The same name (ignoring case and diacritics), same unit and year: refused on the name.
    response = client.post(url, {**data, "name": "tuyen pho van minh"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Đơn vị đã có mô hình này trong năm."]
    assert MobilisationModel.objects.count() == 1
    # Another year is another model.
    assert client.post(url, {**data, "year": "2024"}).status_code == 302
    response = client.post(url, {**data, "year": "2999"})
    assert response.context["form"].errors["year"][0].startswith("Năm phải từ 2000 đến ")


def test_a_model_is_corrected_and_a_duplicate_refused(users, tree, client_for):
    staff = users["staff"]
    model = _model(staff, tree.ward_a)
    _model(staff, tree.ward_a, "Dân vận khéo trong cải cách hành chính")
    client = client_for(staff)
    url = reverse("dialogues:model_update", args=[model.pk])
    data = {"year": "2025", "name": "Tuyến phố văn minh kiểu mẫu", "field": "culture",
            "recognition": "city", "description": "", "reason": "Được thành phố công nhận"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    model.refresh_from_db()
    assert (model.name, model.recognition) == ("Tuyến phố văn minh kiểu mẫu", Recognition.CITY)
    response = client.post(url, {**data, "name": "Dân vận khéo trong cải cách hành chính"})
    assert response.context["form"].errors["name"] == ["Đơn vị đã có mô hình này trong năm."]
    model.refresh_from_db()
    assert model.name == "Tuyến phố văn minh kiểu mẫu"


def test_the_model_register_filters_and_counts_by_field(users, tree, client_for):
    staff = users["staff"]
    _model(staff, tree.ward_a, "Tuyến phố văn minh", year=2025)
    _model(staff, tree.ward_a, "Chợ an toàn", year=2024, field=ModelField.ECONOMY,
           recognition=Recognition.WARD)  # fmt: skip
    _model(staff, tree.ward_b, "Khu phố không rác", year=2025, recognition=Recognition.CITY)
    client = client_for(staff)
    url = reverse("dialogues:model_list")

    def names(**query):
        response = client.get(url, query)
        counts = {row["field"]: row["count"] for row in response.context["figures"]}
        return [row.name for row in response.context["table"].data], counts

    listed, counts = names()
    assert listed == ["Tuyến phố văn minh", "Khu phố không rác", "Chợ an toàn"]
    assert counts[ModelField.URBAN] == 2 and counts[ModelField.ECONOMY] == 1
    assert names(year="2024")[0] == ["Chợ an toàn"]
    listed, counts = names(field="urban")
    assert listed == ["Tuyến phố văn minh", "Khu phố không rác"]
    assert counts[ModelField.ECONOMY] == 0
    assert names(recognition="city")[0] == ["Khu phố không rác"]
    assert names(unit="P-A")[0] == ["Tuyến phố văn minh", "Chợ an toàn"]
    assert names(q="tuyen pho")[0] == ["Tuyến phố văn minh"]  # without diacritics
    # The ward user's figures count only the ward's models.
    response = client_for(users["ward_staff"]).get(url)
    assert {r["field"]: r["count"] for r in response.context["figures"]}[ModelField.URBAN] == 1


# --- The intake's file across the duplicate step -------------------------------------------------


def _similar_step(client, unit, **extra):
    """The first POST of an intake that looks like an open case: the similar cases shown."""
    response = client.post(reverse("dialogues:case_create"),
                           _intake(unit, received_on="02/03/2026", **extra))  # fmt: skip
    assert response.status_code == 200 and response.context["similar"]
    return response


def _second_step(response, **extra):
    """The hidden fields the page sends back, as the browser would (no file: never resent)."""
    form = response.context["form"]
    return {**_intake(form.cleaned_data["unit"], received_on="02/03/2026"),
            "staged_file": form["staged_file"].value() or "", "decision": "new",
            **extra}  # fmt: skip


def test_the_file_chosen_before_the_duplicate_step_is_saved(users, tree, client_for):
    staff = users["staff"]
    first = receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    response = _similar_step(client, tree.ward_a, file=_pdf("don-thu.pdf"))
    page = response.content.decode()
    assert "Tệp đính kèm “don-thu.pdf” đã chọn được giữ lại" in page
    assert OpinionCase.objects.count() == 1 and Attachment.objects.count() == 0
    response = client.post(reverse("dialogues:case_create"), _second_step(response))
    assert response.status_code == 302
    new = OpinionCase.objects.exclude(pk=first.pk).get()
    (attachment,) = attachments_for(user=staff, obj=new)
    assert attachment.original_name == "don-thu.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF
    # Merging keeps it as well; a second use of the same token finds nothing kept.
    response = _similar_step(client, tree.ward_a, file=_pdf("lan-hai.pdf"))
    data = _second_step(response, decision=first.pk)
    assert client.post(reverse("dialogues:case_create"), data).status_code == 302
    merged = OpinionCase.objects.exclude(pk__in=[first.pk, new.pk]).get()
    assert merged.merged_into == first
    assert [a.original_name for a in attachments_for(user=staff, obj=merged)] == ["lan-hai.pdf"]
    assert case_views.staged_upload(staff, data["staged_file"]) is None


def test_the_kept_file_may_be_replaced_or_dropped(users, tree, client_for):
    staff = users["staff"]
    receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    url = reverse("dialogues:case_create")
    response = _similar_step(client, tree.ward_a, file=_pdf("cu.pdf"))
    assert client.post(url, _second_step(response, file=_pdf("moi.pdf"))).status_code == 302
    case = OpinionCase.objects.order_by("-id").first()
    assert [a.original_name for a in attachments_for(user=staff, obj=case)] == ["moi.pdf"]
    response = _similar_step(client, tree.ward_a, file=_pdf("bo.pdf"))
    data = _second_step(response, drop_staged_file="on")
    assert client.post(url, data).status_code == 302
    case = OpinionCase.objects.order_by("-id").first()
    assert list(attachments_for(user=staff, obj=case)) == []
    assert case_views.staged_upload(staff, data["staged_file"]) is None


def test_the_kept_file_survives_a_refusal_and_is_no_one_elses(users, tree, client_for):
    staff = users["staff"]
    receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    url = reverse("dialogues:case_create")
    response = _similar_step(client, tree.ward_a, file=_pdf("giu.pdf"))
    token = response.context["form"]["staged_file"].value()
    # Another user cannot use the token.
    assert case_views.staged_upload(users["mass_mobilisation"], token) is None
    # A refused second step (content emptied) keeps the file for the next try.
    response = client.post(url, _second_step(response, content=""))
    assert response.status_code == 200 and "content" in response.context["form"].errors
    assert response.context["form"]["staged_file"].value() == token
    assert "giu.pdf" in response.content.decode()
    assert client.post(url, _second_step(response)).status_code == 302
    case = OpinionCase.objects.order_by("-id").first()
    assert [a.original_name for a in attachments_for(user=staff, obj=case)] == ["giu.pdf"]


def test_a_file_no_longer_kept_is_asked_again_and_nothing_saved(users, tree, client_for):
    staff = users["staff"]
    receive(staff, tree.ward_a, CONTENT)
    client = client_for(staff)
    url = reverse("dialogues:case_create")
    response = _similar_step(client, tree.ward_a, file=_pdf("het-han.pdf"))
    data = _second_step(response)
    case_views.drop_staged(staff, data["staged_file"])  # as when the wait has expired
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Tệp “het-han.pdf” chọn ở bước trước không còn được giữ (quá thời gian chờ). "
        "Hãy chọn lại tệp, hoặc lưu lần nữa để tiếp nhận không kèm tệp."
    ]
    assert OpinionCase.objects.count() == 1
    # Saving once more, without a file, takes the case in without one.
    assert response.context["form"]["staged_file"].value() == ""
    assert client.post(url, {**data, "staged_file": ""}).status_code == 302
    assert OpinionCase.objects.count() == 2
