"""Every page's frame: the side menu (its groups, the current page marked) and the unit
picker (the chosen unit selected, a unit below a scope root indented), both drawn in Python
(longbien.core.navigation.menu_html, context_processors._picker_options)."""

from __future__ import annotations

import re

from django.urls import reverse

from longbien.core import navigation


def _page(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    return response.content.decode()


def _menu(html: str) -> str:
    found = re.search(r'<nav id="sidenav".*?</form>\s*<ul>(.*?)</ul>', html, re.S)
    assert found is not None
    return found.group(1)


def _picker(html: str) -> list[tuple[str, bool, str]]:
    """The picker's options: (value, selected, text)."""
    found = re.search(r'<select id="unit-picker".*?</select>', html, re.S)
    assert found is not None
    return [
        (value, bool(selected), text)
        for value, selected, text in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(0)
        )
    ]


def test_the_menu_marks_the_current_page_once_and_heads_each_group_once(client_for, users):
    client = client_for(users["admin"])
    people = reverse("org:person_list")
    menu = _menu(_page(client, people))

    assert re.findall(r'<a href="([^"]*)" aria-current="page">', menu) == [people]
    groups = re.findall(r'<li class="group">([^<]*)</li>', menu)
    assert groups.count("Tổ chức") == 1 and groups.count("Hệ thống") == 1
    # Each entry right after its group's heading: the people under "Tổ chức".
    items = re.findall(r'<li class="group">([^<]*)</li>|<li><a href="([^"]*)"', menu)
    items = [group or href for group, href in items]
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
    roles = f'href="{reverse("org:role_list")}"'
    assert roles not in _menu(_page(client_for(users["ward_secretary"]), reverse("home")))
    assert roles in _menu(_page(client_for(users["admin"]), reverse("home")))


def test_the_picker_selects_the_chosen_unit_and_indents_those_below_a_root(client_for, users, tree):
    client = client_for(users["admin"])
    options = {value: (selected, text) for value, selected, text in _picker(_page(client, "/"))}
    assert options[tree.root.code] == (False, tree.root.name)
    assert options[tree.ward_a.code] == (False, f"— {tree.ward_a.name}")
    assert not any(selected for selected, _text in options.values())

    client.post(reverse("choose_unit"), {"unit": tree.ward_a.code, "next": "/"})
    chosen = [value for value, selected, _text in _picker(_page(client, "/")) if selected]
    assert chosen == [tree.ward_a.code]
