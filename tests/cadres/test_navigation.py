"""Every cadres page can be reached from the app's own pages, and the menu fits each role."""

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from cadres import services
from cadres import urls as cadres_urls
from cadres.choices import Rating
from longbien.core import navigation

from .conftest import make_person

HREF = re.compile(r'href="([^"]+)"')
LAST_YEAR = timezone.localdate().year - 1


def _records(users, people, tree):
    """One record of each kind, evaluations at every stage (each stage offers other steps)."""
    staff = users["staff"]
    for month, step in enumerate(("draft", "self", "assessed", "approved"), start=1):
        evaluation = services.evaluation_create(
            actor=staff, person=people["a"], year=LAST_YEAR, month=month
        )
        if step == "draft":
            continue
        evaluation = services.evaluation_self_assess(
            actor=staff, evaluation=evaluation, self_assessment="x", self_rating=Rating.GOOD
        )
        if step == "self":
            continue
        evaluation = services.evaluation_assess(
            actor=staff, evaluation=evaluation, superior_assessment="", proposed_rating="good"
        )
        if step == "approved":
            services.evaluation_approve(actor=staff, evaluation=evaluation)
    member = make_person("DV1", tree.cell_a1, "Đảng viên", party_member_since=dt.date(2000, 1, 1))
    make_person("DV2", tree.cell_a1, "Đảng viên chưa giao", party_member_since=dt.date(2000, 1, 1))
    services.assignment_create(actor=staff, person=member, year=timezone.localdate().year, task="x")
    # The plan list opens on the current year (earlier years through its year filter).
    services.plan_create(
        actor=staff, person=people["head_a"], year=timezone.localdate().year, commitments="x"
    )
    services.decision_create(
        actor=staff, person=people["a"], kind="appointment", symbol="5-QĐ/QU",
        decision_date=dt.date(2025, 1, 2),
    )  # fmt: skip
    held = timezone.localdate() - dt.timedelta(days=1)
    test = services.test_create(actor=staff, unit=tree.root, subject="Sát hạch", held_on=held)
    services.test_add_participants(actor=staff, test=test, people=[people["a"]])
    training = services.training_create(
        actor=staff, unit=tree.root, name="Lớp", start_date=held, end_date=held
    )
    services.training_enrol(actor=staff, training=training, people=[people["a"]])


def _crawl(client, starts, limit=300):
    """Follow the links of the cadres pages (one visit per path) and name the pages reached."""
    reached, seen, queue = set(), set(), list(starts)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.namespace != "cadres":
            continue
        reached.add(match.url_name)
        response = client.get(url)
        assert response.status_code == 200, url
        queue += [unescape(href) for href in HREF.findall(response.content.decode())]
    return reached


def test_every_cadres_page_is_reachable_from_the_menu(client_for, users, people, tree):
    _records(users, people, tree)
    user = users["staff"]
    client = client_for(user)
    menu = [
        item["url"] for item in navigation.items_for(user) if item["name"].startswith("cadres:")
    ]
    reached = _crawl(client, menu)
    every = {pattern.name for pattern in cadres_urls.urlpatterns}
    assert every - reached == set()


def test_the_menu_of_each_role(users, cadre):
    def cadres_menu(user):
        return [i["name"] for i in navigation.items_for(user) if i["name"].startswith("cadres:")]

    full = [
        "cadres:evaluation_list", "cadres:evaluation_grid", "cadres:distribution",
        "cadres:decision_list", "cadres:test_list", "cadres:plan_list",
        "cadres:assignment_list", "cadres:training_list",
    ]  # fmt: skip
    for role in ("admin", "staff", "ward_secretary"):
        assert cadres_menu(users[role]) == full
    viewers = [name for name in full if name != "cadres:evaluation_grid"]
    for role in ("leadership", "ward_staff"):
        assert cadres_menu(users[role]) == viewers
    for role in ("inspection", "mass_mobilisation", "no_role"):
        assert cadres_menu(users[role]) == []
    # A cadre without a role reaches their own evaluations and plans, and nothing else.
    assert cadres_menu(cadre) == ["cadres:evaluation_list", "cadres:plan_list"]


def test_each_menu_entry_opens_for_those_who_see_it(client_for, users, cadre):
    for user in [*users.values(), cadre]:
        client = client_for(user)
        for item in navigation.items_for(user):
            if item["name"].startswith("cadres:"):
                assert client.get(item["url"]).status_code == 200, (user, item["url"])
        client.logout()


def test_a_cadre_finds_their_own_plan_page(client_for, cadre, people):
    plan = services.plan_create(actor=cadre, person=people["a"], year=LAST_YEAR, commitments="x")
    client = client_for(cadre)
    text = client.get(reverse("cadres:plan_list"), {"year": LAST_YEAR}).content.decode()
    assert plan.get_absolute_url() in text and reverse("cadres:plan_create") in text
    history = client.get(reverse("cadres:person_history", args=[people["a"].pk])).content.decode()
    assert plan.get_absolute_url() in history
