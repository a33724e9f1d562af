"""Training classes for key cadres: enrolment, completion, the class page and its API."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cadres import selectors, services
from cadres.models import TrainingClass, TrainingParticipant
from longbien.org.choices import Role
from longbien.org.models import RoleAssignment
from tests.conftest import make_user
from tests.permissions import check_matrix

from .conftest import make_person

CHANGERS = ["admin", "staff", "ward_secretary"]
VIEWERS = [*CHANGERS, "leadership", "ward_staff"]
TODAY = timezone.localdate()


def _class(actor, unit, name="Bồi dưỡng cán bộ chủ chốt", *, ends=TODAY - dt.timedelta(days=1)):
    return services.training_create(
        actor=actor, unit=unit, name=name, start_date=ends - dt.timedelta(days=10), end_date=ends
    )


@pytest.fixture
def training(users, tree, people):
    """A finished ward A class with A and A2 enrolled."""
    training = _class(users["ward_secretary"], tree.ward_a)
    services.training_enrol(
        actor=users["ward_secretary"], training=training, people=[people["a"], people["a2"]]
    )
    return training


@pytest.fixture
def district_training(users, tree, people):
    training = _class(users["staff"], tree.root, "Lớp quận")
    services.training_enrol(
        actor=users["staff"], training=training, people=[people["a"], people["b"]]
    )
    return training


# --- Enrolment -----------------------------------------------------------------------------


def test_enrolment_adds_everyone_at_once_and_is_audited(users, training, people):
    rows = training.participants.select_related("person").order_by("person__code")
    assert [(r.person.code, r.completed) for r in rows] == [("CBA", False), ("CBA2", False)]
    entry = LogEntry.objects.get_for_object(rows[0]).get()
    assert entry.actor == users["ward_secretary"]


def test_enrolment_is_all_or_nothing(users, training, people, tree):
    newcomer = make_person("L1", tree.cell_a1)
    with pytest.raises(ValidationError) as info:
        services.training_enrol(
            actor=users["ward_secretary"], training=training,
            people=[newcomer, people["a"], people["b"]],
        )  # fmt: skip
    messages = info.value.message_dict["people"]
    assert any("đã có tên trong lớp này" in m for m in messages)
    assert "Không có cán bộ mã “CBB”." in messages  # as unknown: no name leaks
    assert not any("Đỗ Thị Bé" in m for m in messages)
    assert training.participants.count() == 2


def test_someone_visible_but_not_changeable_is_named_in_the_refusal(users, training, people, tree):
    """Leadership over the district and secretary of ward A: ward B is seen, not changed."""
    both = make_user("lanh_dao_kiem_bi_thu", Role.LEADERSHIP, tree.root)
    RoleAssignment.objects.create(user=both, role=Role.WARD_SECRETARY, unit=tree.ward_a)
    with pytest.raises(ValidationError) as info:
        services.training_enrol(actor=both, training=training, people=[people["b"]])
    assert info.value.message_dict["people"] == [
        "Đỗ Thị Bé (CBB) thuộc đơn vị ngoài phạm vi của bạn."
    ]


def test_a_code_typed_twice_counts_once(users, tree):
    training = _class(users["staff"], tree.root)
    person = make_person("L2", tree.cell_a1)
    added = services.training_enrol(
        actor=users["staff"], training=training, people=[person, person]
    )
    assert len(added) == 1


def test_enrolment_needs_change_rights_on_the_class(users, district_training, tree):
    for role in ("ward_secretary", "ward_staff", "leadership"):
        with pytest.raises(PermissionDenied):
            services.training_enrol(
                actor=users[role], training=district_training,
                people=[make_person(f"L-{role.upper().replace('_', '-')}", tree.cell_a1)],
            )  # fmt: skip
    assert district_training.participants.count() == 2


def test_a_bad_class_is_refused(users, tree):
    with pytest.raises(ValidationError) as info:
        services.training_create(
            actor=users["staff"], unit=tree.root, name="x", start_date=TODAY,
            end_date=TODAY - dt.timedelta(days=1),
        )  # fmt: skip
    assert info.value.message_dict["end_date"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    with pytest.raises(ValidationError) as info:
        services.training_create(
            actor=users["staff"], unit=tree.root, name="  ", start_date=TODAY, end_date=TODAY
        )
    assert info.value.message_dict["name"] == ["Hãy ghi tên lớp."]
    with pytest.raises(PermissionDenied):
        services.training_create(
            actor=users["ward_secretary"], unit=tree.ward_b, name="x", start_date=TODAY,
            end_date=TODAY,
        )  # fmt: skip
    assert not TrainingClass.objects.exists()


# --- Completion ----------------------------------------------------------------------------


def test_completion_is_recorded_in_one_go(users, training, people):
    saved = services.training_record_completion(
        actor=users["ward_secretary"], training=training,
        completed={people["a"].pk: True, people["a2"].pk: False},
    )  # fmt: skip
    assert [row.person_id for row in saved] == [people["a"].pk]
    done = dict(training.participants.values_list("person__code", "completed"))
    assert done == {"CBA": True, "CBA2": False}
    services.training_record_completion(
        actor=users["staff"], training=training, completed={people["a"].pk: False}
    )
    assert not training.participants.filter(completed=True).exists()


def test_completion_before_the_class_ends_is_refused(users, tree, people):
    running = _class(users["staff"], tree.ward_a, "Đang học", ends=TODAY + dt.timedelta(days=2))
    services.training_enrol(actor=users["staff"], training=running, people=[people["a"]])
    with pytest.raises(ValidationError) as info:
        services.training_record_completion(
            actor=users["staff"], training=running, completed={people["a"].pk: True}
        )
    assert "chưa xác nhận hoàn thành được" in info.value.message_dict[str(people["a"].pk)][0]
    assert not TrainingParticipant.objects.filter(completed=True).exists()


def test_completion_on_the_last_day_is_accepted(users, tree, people):
    today = _class(users["staff"], tree.ward_a, "Kết thúc hôm nay", ends=TODAY)
    services.training_enrol(actor=users["staff"], training=today, people=[people["a"]])
    services.training_record_completion(
        actor=users["staff"], training=today, completed={people["a"].pk: True}
    )
    assert today.participants.get().completed


def test_completion_of_strangers_outsiders_or_yourself_is_refused(
    users, training, district_training, people
):
    with pytest.raises(ValidationError) as info:
        services.training_record_completion(
            actor=users["ward_secretary"], training=training,
            completed={people["a"].pk: True, people["b"].pk: True},
        )  # fmt: skip
    assert "không có tên trong lớp" in info.value.message_dict[str(people["b"].pk)][0]
    users["staff"].person = people["a2"]
    users["staff"].save()
    with pytest.raises(ValidationError) as info:
        services.training_record_completion(
            actor=users["staff"], training=training,
            completed={people["a"].pk: True, people["a2"].pk: True},
        )  # fmt: skip
    assert "chính mình" in info.value.message_dict[str(people["a2"].pk)][0]
    with pytest.raises(PermissionDenied):
        services.training_record_completion(
            actor=users["ward_secretary"], training=district_training,
            completed={people["a"].pk: True},
        )  # fmt: skip
    assert not TrainingParticipant.objects.filter(completed=True).exists()


def test_a_ward_sees_a_district_class_with_only_its_own_people(users, district_training):
    listed = selectors.training_list(user=users["ward_staff"]).get(pk=district_training.pk)
    assert listed.participant_count == 1
    seen = selectors.training_participants(user=users["ward_staff"], training=district_training)
    assert [row.person.code for row in seen] == ["CBA"]


# --- Pages ---------------------------------------------------------------------------------


def test_training_pages_matrix(client, users, tree, training, district_training):
    other = _class(users["staff"], tree.ward_b, "Lớp phường B")
    check_matrix(client, users, reverse("cadres:training_create"), dict.fromkeys(CHANGERS, 200))
    for visible in (training, district_training):
        check_matrix(client, users, visible.get_absolute_url(), dict.fromkeys(VIEWERS, 200))
    check_matrix(
        client, users, other.get_absolute_url(),
        {"admin": 200, "staff": 200, "leadership": 200, "ward_secretary": 404, "ward_staff": 404},
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:training_enrol", args=[training.pk]),
        dict.fromkeys(CHANGERS, 200),
    )  # fmt: skip
    check_matrix(
        client, users, reverse("cadres:training_enrol", args=[district_training.pk]),
        {"admin": 200, "staff": 200, "ward_secretary": 403},
    )  # fmt: skip
    check_matrix(
        client, users, district_training.get_absolute_url(), {"admin": 302, "staff": 302},
        method="post", data={"completed": []},
    )  # fmt: skip


def test_the_class_page_marks_completion_in_one_submit(client_for, users, training, people):
    client = client_for(users["ward_secretary"])
    page = client.get(training.get_absolute_url()).content.decode()
    assert page.count('class="grid-check"') == 2
    assert reverse("cadres:training_enrol", args=[training.pk]) in page
    response = client.post(training.get_absolute_url(), {"completed": [str(people["a"].pk)]})
    assert response.status_code == 302
    assert dict(training.participants.values_list("person__code", "completed")) == {
        "CBA": True, "CBA2": False,
    }  # fmt: skip
    again = client.get(training.get_absolute_url()).content.decode()
    assert "1 (50,0%)" in again


def test_completion_before_the_end_on_the_page_saves_nothing(client_for, users, tree, people):
    running = _class(users["staff"], tree.ward_a, "Đang học", ends=TODAY + dt.timedelta(days=5))
    services.training_enrol(
        actor=users["staff"], training=running, people=[people["a"], people["a2"]]
    )
    response = client_for(users["staff"]).post(
        running.get_absolute_url(), {"completed": [str(people["a"].pk), str(people["a2"].pk)]}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Chưa lưu dòng nào" in text and "chưa xác nhận hoàn thành được" in text
    assert not TrainingParticipant.objects.filter(completed=True).exists()


def test_the_create_and_enrol_forms(client_for, users, people):
    client = client_for(users["ward_secretary"])
    bad = client.post(
        reverse("cadres:training_create"),
        {"unit": "P-A", "name": "Lớp", "start_date": "2026-03-10", "end_date": "2026-03-01"},
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in bad.content.decode()
    assert not TrainingClass.objects.exists()
    created = client.post(
        reverse("cadres:training_create"),
        {"unit": "P-A", "name": "Lớp", "start_date": "2026-03-01", "end_date": "2026-03-10"},
    )
    training = TrainingClass.objects.get()
    assert created.status_code == 302 and created.url == training.get_absolute_url()
    url = reverse("cadres:training_enrol", args=[training.pk])
    refused = client.post(url, {"people": "CBA; CBB"})
    assert "Không có cán bộ mã: CBB." in refused.content.decode()
    assert "Đỗ Thị Bé" not in refused.content.decode()
    unknown = client.post(url, {"people": "CBA XYZ"})
    assert "Không có cán bộ mã: XYZ." in unknown.content.decode()
    assert not training.participants.exists()
    assert client.post(url, {"people": "CBA CBA2"}).status_code == 302
    assert training.participants.count() == 2


def test_the_class_list_links_to_each_class(client_for, users, training):
    text = client_for(users["ward_staff"]).get(reverse("cadres:training_list")).content.decode()
    assert training.get_absolute_url() in text
    assert reverse("cadres:training_create") not in text
    history = (
        client_for(users["ward_staff"])
        .get(reverse("cadres:person_history", args=[training.participants.first().person_id]))
        .content.decode()
    )
    assert training.get_absolute_url() in history


def test_the_class_page_query_count_does_not_grow(
    client_for, users, tree, django_assert_max_num_queries
):
    training = _class(users["staff"], tree.root, "Lớp đông")
    crowd = [make_person(f"LL{n:03d}", tree.cell_a1) for n in range(60)]
    services.training_enrol(actor=users["staff"], training=training, people=crowd)
    client = client_for(users["staff"])
    with django_assert_max_num_queries(14):
        response = client.get(training.get_absolute_url())
    assert response.content.decode().count('class="grid-check"') == 60


# --- API -----------------------------------------------------------------------------------


def test_the_api_enrols_and_marks_completion_by_code(client_for, users, tree, people):
    training = _class(users["staff"], tree.root, "Lớp API")
    client = client_for(users["staff"])
    base = f"/api/v1/cadres/trainings/{training.pk}/"
    enrolled = client.post(
        f"{base}participants/", {"people": ["CBA", "CBB"]}, content_type="application/json"
    )
    assert enrolled.status_code == 201, enrolled.content
    assert [row["person"] for row in enrolled.json()] == ["CBA", "CBB"]
    done = client.post(
        f"{base}completion/", {"completed": {"CBA": True}}, content_type="application/json"
    )
    assert done.status_code == 200
    assert {row["person"]: row["completed"] for row in done.json()} == {"CBA": True, "CBB": False}
    stranger = client.post(
        f"{base}completion/", {"completed": {"CBA2": True}}, content_type="application/json"
    )
    assert stranger.status_code == 400
    assert "không có tên trong lớp" in stranger.json()["CBA2"][0]
