"""The home page puts each user's work first: tasks due, evaluations waiting, notifications."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cadres import services as cadres
from cadres.choices import Rating
from longbien import worklist
from longbien.core.models import FigureCache, Notification
from longbien.deadlines import add_working_days
from longbien.org.choices import Role
from resolutions import services as resolutions
from tests.cadres.conftest import make_person
from tests.conftest import make_unit, make_user
from tests.resolutions.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def tasks(tree, users, today):
    """Ward A: one task overdue, one due tomorrow's working day, one far off; ward B: one overdue."""
    staff = users["staff"]
    document = make_document(staff, tree.root, signed=today - dt.timedelta(days=90))

    def assign(unit, title, deadline):
        (task,) = resolutions.task_assign(
            actor=staff, document=document, units=[unit], title=title, deadline=deadline
        )
        return task

    return {
        "late_a": assign(tree.ward_a, "Việc trễ của phường A", today - dt.timedelta(days=20)),
        "soon_a": assign(tree.ward_a, "Việc sắp hạn của phường A", add_working_days(today, 1)),
        "later_a": assign(tree.ward_a, "Việc còn xa của phường A", today + dt.timedelta(days=60)),
        "late_b": assign(tree.ward_b, "Việc trễ của phường B", today - dt.timedelta(days=20)),
    }


def _sections(response) -> dict[str, worklist.Section]:
    return {section.key: section for section in response.context["work"]}


def _register_count(client, url: str) -> int:
    return client.get(url).context["page_obj"].paginator.count


def test_the_ward_secretary_sees_the_wards_overdue_and_due_soon_tasks_only(
    client_for, users, tasks
):
    client = client_for(users["ward_secretary"])
    response = client.get(reverse("home"))
    text = response.content.decode()
    sections = _sections(response)

    overdue, soon = sections["tasks.overdue"], sections["tasks.due_soon"]
    assert [e.title for e in overdue.entries] == ["Việc trễ của phường A"]
    assert [e.title for e in soon.entries] == ["Việc sắp hạn của phường A"]
    assert overdue.entries[0].url == tasks["late_a"].get_absolute_url()
    assert "Quá hạn" in overdue.entries[0].badge
    assert "Việc trễ của phường B" not in text
    assert "Việc còn xa của phường A" not in text
    # Each count is the count of the register it links to.
    assert _register_count(client, overdue.url) == overdue.count == 1
    assert _register_count(client, soon.url) == soon.count == 1


def test_district_staff_counts_every_ward_and_the_unit_picker_narrows_them(
    client_for, users, tasks, tree
):
    client = client_for(users["staff"])
    overdue = _sections(client.get(reverse("home")))["tasks.overdue"]
    assert overdue.count == 2
    assert _register_count(client, overdue.url) == 2

    client.post(reverse("choose_unit"), {"unit": tree.ward_b.code})
    overdue = _sections(client.get(reverse("home")))["tasks.overdue"]
    assert [e.title for e in overdue.entries] == ["Việc trễ của phường B"]
    assert _register_count(client, overdue.url) == overdue.count == 1


def test_the_due_soon_filter_of_the_task_register_keeps_only_tasks_due_soon(
    client_for, users, tasks
):
    page = client_for(users["ward_secretary"]).get(reverse("resolutions:task_list") + "?due_soon=1")
    assert [t.title for t in page.context["page_obj"]] == ["Việc sắp hạn của phường A"]


def test_empty_sections_say_so_in_vietnamese(client_for, users, tree):
    text = client_for(users["ward_staff"]).get(reverse("home")).content.decode()
    assert "Không có nhiệm vụ quá hạn." in text
    assert "Không có nhiệm vụ sắp đến hạn." in text
    assert "Không có thông báo mới." in text


@pytest.fixture
def evaluations(tree, users):
    """Month 3 of 2026: cadre A1 self-assessed, A2 commented by the superior, B self-assessed."""
    staff = users["staff"]

    def month(person, *, comment=False):
        evaluation = cadres.evaluation_create(actor=staff, person=person, year=2026, month=3)
        evaluation = cadres.evaluation_self_assess(
            actor=staff, evaluation=evaluation, self_assessment="Tốt", self_rating=Rating.GOOD
        )
        if comment:
            evaluation = cadres.evaluation_assess(
                actor=staff, evaluation=evaluation, superior_assessment="Đồng ý",
                proposed_rating=Rating.GOOD,
            )  # fmt: skip
        return evaluation

    return {
        "a1": month(make_person("A1", tree.cell_a1, "Lê Thị Ánh")),
        "a2": month(make_person("A2", tree.cell_a1, "Phạm Văn Bình"), comment=True),
        "b": month(make_person("B1", tree.cell_b1, "Đỗ Thị Bé")),
    }


def test_the_secretary_sees_the_wards_months_to_comment_and_to_approve(
    client_for, users, evaluations
):
    client = client_for(users["ward_secretary"])
    sections = _sections(client.get(reverse("home")))

    comment, approve = sections["cadres.self_assessed"], sections["cadres.assessed"]
    assert [e.title for e in comment.entries] == ["Lê Thị Ánh"]
    assert [e.title for e in approve.entries] == ["Phạm Văn Bình"]
    assert comment.entries[0].url == evaluations["a1"].get_absolute_url()
    assert _register_count(client, comment.url) == comment.count == 1
    assert _register_count(client, approve.url) == approve.count == 1


def test_ward_staff_who_may_not_rate_get_no_rating_sections(client_for, users, evaluations):
    sections = _sections(client_for(users["ward_staff"]).get(reverse("home")))
    assert "cadres.self_assessed" not in sections
    assert "cadres.assessed" not in sections


def test_a_cadre_sees_their_own_months_to_self_assess_and_never_rates_their_own(
    client_for, users, tree
):
    person = make_person("A9", tree.ward_a, "Hoàng Văn Dũng")
    secretary = users["ward_secretary"]
    secretary.person = person
    secretary.save()
    draft = cadres.evaluation_create(actor=secretary, person=person, year=2026, month=4)
    colleague = make_person("A8", tree.cell_a1, "Vũ Thị Lan")
    cadres.evaluation_self_assess(
        actor=users["staff"],
        evaluation=cadres.evaluation_create(
            actor=users["staff"], person=colleague, year=2026, month=4
        ),
        self_assessment="Tốt",
        self_rating=Rating.GOOD,
    )
    sections = _sections(client_for(secretary).get(reverse("home")))

    own = sections["cadres.self_assess"]
    assert [e.url for e in own.entries] == [draft.get_absolute_url()]
    assert own.count == 1
    assert [e.title for e in sections["cadres.self_assessed"].entries] == ["Vũ Thị Lan"]

    cadres.evaluation_self_assess(
        actor=secretary, evaluation=draft, self_assessment="Tốt", self_rating=Rating.GOOD
    )
    sections = _sections(client_for(secretary).get(reverse("home")))
    assert sections["cadres.self_assess"].count == 0
    # Their own month, now self-assessed, is not theirs to comment on.
    assert [e.title for e in sections["cadres.self_assessed"].entries] == ["Vũ Thị Lan"]


def test_leadership_sees_the_key_figures_of_the_year_and_staff_does_not(
    client_for, users, tasks, today
):
    response = client_for(users["leadership"]).get(reverse("home"))
    figures = response.context["figures"]
    codes = [value.indicator.code for value in figures["values"]]
    assert codes[:4] == ["tasks.total", "tasks.done", "tasks.overdue", "tasks.on_time_share"]
    assert "cadres.evaluations" in codes
    assert figures["period"].label == f"Năm {today.year}"
    text = response.content.decode()
    assert f"Số liệu chủ yếu Năm {today.year}" in text
    assert "Nhiệm vụ có thời hạn trong kỳ" in text

    assert "figures" not in client_for(users["staff"]).get(reverse("home")).context


def test_the_secretarys_key_figures_are_those_of_the_ward(client_for, users, tasks, tree, today):
    late_this_year = [k for k in ("late_a", "late_b") if tasks[k].deadline.year == today.year]
    figures = client_for(users["ward_secretary"]).get(reverse("home")).context["figures"]
    assert figures["unit"] == tree.ward_a
    values = {value.indicator.code: value for value in figures["values"]}
    assert values["tasks.overdue"].count == len([k for k in late_this_year if k.endswith("_a")])

    figures = client_for(users["leadership"]).get(reverse("home")).context["figures"]
    assert figures["unit"] == tree.root
    values = {value.indicator.code: value for value in figures["values"]}
    assert values["tasks.overdue"].count == len(late_this_year)


def test_unread_notifications_are_listed_and_marked_read_one_by_one(client_for, users):
    user = users["ward_staff"]
    first = Notification.objects.create(user=user, key="k1", title="Thông báo thứ nhất")
    second = Notification.objects.create(user=user, key="k2", title="Thông báo thứ hai")
    Notification.objects.create(user=user, key="k0", title="Đã đọc rồi", read_at=timezone.now())
    client = client_for(user)
    response = client.get(reverse("home"))
    assert [n.title for n in response.context["unread"]] == [
        "Thông báo thứ hai",
        "Thông báo thứ nhất",
    ]
    assert response.context["unread_total"] == 2
    assert "Đã đọc rồi" not in response.content.decode()
    unread_page = client.get(reverse("notifications") + "?unread=1")
    assert unread_page.context["page_obj"].paginator.count == 2

    response = client.post(reverse("notifications"), {"id": first.pk, "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None

    # Another user's notification is not theirs to mark; a foreign "next" is not followed.
    other = Notification.objects.create(user=users["staff"], key="k3", title="Của người khác")
    response = client.post(
        reverse("notifications"), {"id": other.pk, "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("notifications")
    other.refresh_from_db()
    assert other.read_at is None

    client.post(reverse("notifications"))
    second.refresh_from_db()
    assert second.read_at is not None
    assert client.get(reverse("home")).context["unread_total"] == 0


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["ward_secretary", "leadership", "admin"])
def test_the_home_page_runs_the_same_number_of_queries_with_more_work(
    client_for, users, tree, today, role
):
    staff = users["staff"]
    document = make_document(staff, tree.root, signed=today - dt.timedelta(days=90))
    user = users[role]
    client = client_for(user)

    def add(start: int, stop: int) -> None:
        for index in range(start, stop):
            cell = make_unit(f"CB-Q{index}", parent=tree.ward_a, name=f"Chi bộ {index}")
            resolutions.task_assign(
                actor=staff, document=document, units=[tree.ward_a, cell],
                title=f"Việc {index}", deadline=today - dt.timedelta(days=5 + index),
            )  # fmt: skip
            resolutions.task_assign(
                actor=staff, document=document, units=[cell], title=f"Việc gần {index}",
                deadline=add_working_days(today, 1),
            )  # fmt: skip
            person = make_person(f"Q{index}", cell, f"Cán bộ {index}")
            evaluation = cadres.evaluation_create(actor=staff, person=person, year=2026, month=2)
            cadres.evaluation_self_assess(
                actor=staff, evaluation=evaluation, self_assessment="Tốt",
                self_rating=Rating.GOOD,
            )  # fmt: skip
            Notification.objects.create(user=user, key=f"q{index}", title=f"Thông báo {index}")

    add(0, 3)
    _home_queries(client)  # warm the per-process caches
    # Both counted as after a change: no key figure kept (longbien.figure_cache).
    FigureCache.objects.all().delete()
    few = _home_queries(client)
    add(3, 15)
    many = _home_queries(client)
    assert many <= few, f"{few} queries with a few rows, {many} with more: a query per row"
    sections = _sections(client.get(reverse("home")))
    assert sections["tasks.overdue"].count >= 15


def test_an_account_without_a_role_gets_a_home_page_with_its_notifications(client_for, users):
    user = users["no_role"]
    Notification.objects.create(user=user, key="x", title="Chào mừng")
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["work"] == []
    assert "Chào mừng" in response.content.decode()


# The API docs link: for those who use the API.


def _menu_has_api_docs(client) -> bool:
    text = client.get(reverse("home")).content.decode()
    nav = re.search(r'<nav id="sidenav".*?</nav>', text, re.S).group(0)
    return reverse("api:docs") in nav


def test_the_api_docs_link_is_shown_to_whole_tree_admins_and_token_holders_only(
    client_for, users, tree
):
    for role in ("staff", "leadership", "inspection", "ward_secretary", "ward_staff", "no_role"):
        assert not _menu_has_api_docs(client_for(users[role])), role
    assert _menu_has_api_docs(client_for(users["admin"]))
    superuser = make_user("root", is_superuser=True, is_staff=True)
    assert _menu_has_api_docs(client_for(superuser))
    ward_admin = make_user("ward_admin", Role.ADMIN, tree.ward_a)
    assert not _menu_has_api_docs(client_for(ward_admin))

    Token.objects.create(user=users["ward_staff"])
    assert _menu_has_api_docs(client_for(users["ward_staff"]))
    # The docs page itself stays as it was.
    assert client_for(users["staff"]).get(reverse("api:docs")).status_code == 200


def test_the_token_question_costs_no_extra_query(client_for, users):
    """The menu's token check shares the bell's query: a page costs the same with a token."""
    client = client_for(users["staff"])
    client.get(reverse("org:term_list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("org:term_list"))
    Token.objects.create(user=users["staff"])
    with CaptureQueriesContext(connection) as after:
        text = client.get(reverse("org:term_list")).content.decode()
    assert reverse("api:docs") in text
    assert len(after) == len(before)


def test_the_work_list_counts_only_the_sections_asked_for(users, tasks):
    """``keys`` (a dashboard's exception lists): the sections named, the same as on the home
    page, and no query for the others."""
    staff = users["staff"]
    with CaptureQueriesContext(connection) as every:
        whole = {s.key: s for s in worklist.collect(user=staff)}
    assert {"tasks.overdue", "tasks.due_soon"} <= set(whole)
    with CaptureQueriesContext(connection) as asked:
        (overdue,) = worklist.collect(user=staff, keys=["tasks.overdue"])
    assert overdue == whole["tasks.overdue"]
    assert overdue.count == 2
    assert len(asked) < len(every)
    assert not any("cadres_evaluation" in q["sql"] for q in asked.captured_queries)
    assert worklist.collect(user=staff, keys=[]) == []
