"""Every page's frame: the side menu (its groups, the current page marked) and the unit
picker (the chosen unit selected, a unit below a scope root indented), both drawn in Python
(longbien.core.navigation.menu_html, context_processors._picker_options)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from django.urls import reverse

from longbien.core import navigation


def _page(client, url: str) -> BeautifulSoup:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_the_menu_marks_the_current_page_once_and_heads_each_group_once(client_for, users):
    client = client_for(users["admin"])
    people = reverse("org:person_list")
    menu = _page(client, people).select_one("#sidenav > ul")

    current = menu.select('a[aria-current="page"]')
    assert [a["href"] for a in current] == [people]
    groups = [li.get_text() for li in menu.select("li.group")]
    assert groups.count("Tổ chức") == 1 and groups.count("Hệ thống") == 1
    # Each entry right after its group's heading: the people under "Tổ chức".
    items = [
        li.get_text() if "group" in (li.get("class") or []) else li.a["href"]
        for li in menu.select("li")
    ]
    assert items.index("Tổ chức") < items.index(people) < items.index("Hệ thống")
    # The home page is the first entry, before any group.
    assert items[0] == reverse("home")


def test_the_menu_escapes_labels_and_shows_only_what_a_role_grants(client_for, users):
    menu = navigation.menu_html(
        [
            {"label": "<b>Một</b>", "url": "/mot/", "group": "", "name": "mot"},
            {"label": "Hai", "url": "/hai/?a=1&b=2", "group": "<i>Nhóm</i>", "name": "hai"},
        ],
        "/hai/?a=1&b=2",
    )
    assert menu == (
        '<li><a href="/mot/">&lt;b&gt;Một&lt;/b&gt;</a></li>'
        '<li class="group">&lt;i&gt;Nhóm&lt;/i&gt;</li>'
        '<li><a href="/hai/?a=1&amp;b=2" aria-current="page">Hai</a></li>'
    )
    # A ward secretary's menu has no role administration.
    roles = reverse("org:role_list")
    secretary = _page(client_for(users["ward_secretary"]), reverse("home"))
    assert not secretary.select(f'#sidenav a[href="{roles}"]')
    admin = _page(client_for(users["admin"]), reverse("home"))
    assert admin.select(f'#sidenav a[href="{roles}"]')


def test_the_picker_selects_the_chosen_unit_and_indents_those_below_a_root(client_for, users, tree):
    client = client_for(users["admin"])
    picker = _page(client, reverse("home")).select_one("#unit-picker")
    options = {o["value"]: o for o in picker.select("option")}
    assert options[tree.root.code].get_text() == tree.root.name
    assert options[tree.ward_a.code].get_text() == f"— {tree.ward_a.name}"
    assert not picker.select("option[selected]")

    client.post(reverse("choose_unit"), {"unit": tree.ward_a.code, "next": "/"})
    picker = _page(client, reverse("home")).select_one("#unit-picker")
    assert [o["value"] for o in picker.select("option[selected]")] == [tree.ward_a.code]
    assert re.search(r"<option[^>]*selected", str(picker)) is not None
