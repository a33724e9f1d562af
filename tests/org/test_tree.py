"""The units page is a tree: the viewer's scope, nested, with the home page's counts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from longbien.core import selectors as home
from longbien.org import selectors
from longbien.org.choices import UnitKind
from longbien.org.models import OrgUnit, Person
from tests.conftest import make_unit

URL = reverse("org:unit_list")


@dataclass
class Node:
    code: str = ""
    parent: str = ""
    level: int = 0
    open: bool | None = None  # None: a leaf (no <details>)
    lazy: bool = False
    counts: str = ""
    children: list[str] = field(default_factory=list)


class TreeParser(HTMLParser):
    """Read the rendered tree: each unit, its parent, its level, open or closed, its counts."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: dict[str, Node] = {}
        self.stack: list[tuple[str, Node | None]] = []  # (tag, node of an <li>)
        self.current: list[Node] = []
        self.in_counts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "input", "img", "meta", "link"}:
            return
        node = None
        if tag == "li" and "tree-node" in (attrs.get("class") or ""):
            parent = self.current[-1] if self.current else None
            node = Node(level=int(attrs["data-level"]), parent=parent.code if parent else "")
            self.current.append(node)
        elif tag == "details" and self.current:
            self.current[-1].open = "open" in attrs
        elif tag == "p" and "tree-more" in (attrs.get("class") or "") and self.current:
            self.current[-1].lazy = True
        elif tag == "a" and self.current and not self.current[-1].code:
            code = attrs["href"].rstrip("/").rsplit("/", 1)[-1]
            me = self.current[-1]
            me.code = code
            self.nodes[code] = me
            if me.parent:
                self.nodes[me.parent].children.append(code)
        elif tag == "span" and (self.in_counts or "tree-counts" in (attrs.get("class") or "")):
            self.in_counts += 1
        self.stack.append((tag, node))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, node = self.stack.pop()
            if open_tag == "span" and self.in_counts:
                self.in_counts -= 1
            if node is not None:
                self.current.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_counts and self.current:
            self.current[-1].counts += " ".join(data.split()) + " "


def parse(html: str) -> dict[str, Node]:
    parser = TreeParser()
    parser.feed(html.split('id="org-tree"', 1)[1] if 'id="org-tree"' in html else "")
    return parser.nodes


def person(code, unit, *, member=True, active=True):
    p = Person(
        code=code, full_name=f"Người {code}", sex="male", unit=unit, is_active=active,
        party_member_since=dt.date(2000, 1, 1) if member else None,
    )  # fmt: skip
    p.save()
    return p


@pytest.fixture
def staffed(tree):
    """People at every level, a closed cell with a member, a retired person not counted."""
    person("A1", tree.cell_a1)
    person("A2", tree.cell_a1, member=False)
    person("A3", tree.ward_a)
    person("B1", tree.cell_b1)
    person("R1", tree.cell_b1, active=False)
    closed = make_unit("CB-A9", parent=tree.ward_a, name="Chi bộ đã giải thể")
    OrgUnit.objects.filter(pk=closed.pk).update(valid_to=dt.date(2020, 1, 1))
    person("C1", closed)
    deep = make_unit("CB-A1-T1", UnitKind.PARTY_CELL, tree.cell_a1, "Tổ đảng A1.1")
    person("D1", deep)
    return tree


def test_the_tree_shows_only_the_viewers_scope(client_for, users, staffed):
    nodes = parse(client_for(users["ward_secretary"]).get(URL).content.decode())
    assert set(nodes) == {"P-A", "CB-A1", "CB-A1-T1"}  # not ward B, not the closed cell
    everyone = parse(client_for(users["staff"]).get(URL).content.decode())
    assert {"QU", "P-A", "P-B", "CB-A1", "CB-B1"} == set(everyone)  # level 3 loads when opened


def test_the_nesting_and_levels_are_right(client_for, users, staffed):
    nodes = parse(client_for(users["staff"]).get(URL).content.decode())
    assert nodes["QU"].parent == "" and nodes["QU"].level == 0
    assert nodes["P-A"].parent == "QU" and nodes["P-B"].parent == "QU"
    assert nodes["CB-A1"].parent == "P-A" and nodes["CB-A1"].level == 2
    assert nodes["CB-B1"].parent == "P-B"
    # Levels 0 and 1 open, level 2 closed: its branch loads when opened (or on its page).
    assert nodes["QU"].open and nodes["P-A"].open and nodes["P-B"].open
    assert nodes["CB-A1"].open is False and nodes["CB-A1"].lazy
    assert "CB-A1-T1" not in nodes
    assert nodes["CB-B1"].open is None  # a leaf


def test_the_counts_are_those_of_the_home_page(client_for, users, staffed):
    for role in ("staff", "ward_secretary", "admin"):
        user = users[role]
        figures = home.home_summary(user=user)
        page = client_for(user).get(URL).content.decode()
        tree = selectors.unit_tree(user=user)
        assert tree.units == figures["unit_counts"]["total"], role
        assert tree.people == figures["people_counts"]["total"], role
        assert tree.members == figures["people_counts"]["members"], role
        totals = page.split('id="tree-totals"')[1].split("</p>")[0]
        assert f"{tree.units} đơn vị đang hoạt động" in totals
        assert f"{tree.people} cán bộ, đảng viên" in totals
    nodes = parse(client_for(users["staff"]).get(URL).content.decode())
    # Subtree totals: ward A = A3 + cell A1 (A1, A2) + its team (D1) + the closed cell (C1).
    assert nodes["P-A"].counts.split() == ["5", "người", "·", "4", "đảng", "viên", "·", "2",
                                           "đơn", "vị", "trực", "thuộc"]  # fmt: skip
    assert nodes["CB-B1"].counts.split()[:4] == ["1", "người", "·", "1"]  # R1 is retired
    assert nodes["QU"].counts.split()[0] == "6"


def test_a_search_opens_the_branches_that_match(client_for, users, staffed):
    page = client_for(users["staff"]).get(URL, {"q": "to dang a1"}).content.decode()
    nodes = parse(page)
    assert set(nodes) == {"QU", "P-A", "CB-A1", "CB-A1-T1"}
    assert nodes["CB-A1"].open and nodes["P-A"].open
    assert "<mark>Tổ đảng A1.1</mark>" in page and "1 đơn vị khớp" in page
    nested = parse(client_for(users["staff"]).get(URL, {"q": "a1"}).content.decode())
    assert nested["CB-A1"].open and "CB-A1-T1" in nested  # a match inside a match: opened
    by_code = parse(client_for(users["staff"]).get(URL, {"q": "cb-b1"}).content.decode())
    assert set(by_code) == {"QU", "P-B", "CB-B1"}
    outside = client_for(users["ward_secretary"]).get(URL, {"q": "chi bo b1"}).content.decode()
    assert parse(outside) == {} and "Không có đơn vị nào khớp" in outside


def test_a_deep_branch_opens_on_its_own_and_as_a_fragment(client_for, users, staffed):
    client = client_for(users["staff"])
    page = client.get(URL, {"root": "CB-A1"}).content.decode()
    assert set(parse(page)) == {"CB-A1", "CB-A1-T1"}
    assert "Toàn bộ cây" in page and "Đảng ủy phường Ánh Dương" in page  # the breadcrumb
    fragment = client.get(URL, {"root": "CB-A1", "partial": "1"}).content.decode()
    assert "<html" not in fragment and "Tổ đảng A1.1" in fragment
    assert client_for(users["ward_secretary"]).get(URL, {"root": "P-B"}).status_code == 404


def test_closed_units_show_on_request(client_for, users, staffed):
    page = client_for(users["staff"]).get(URL, {"closed": "1"}).content.decode()
    nodes = parse(page)
    assert nodes["CB-A9"].parent == "P-A"
    # Drawn as closed, with its end date beside its kind; its member counted.
    node = re.search(r'<li class="tree-node closed" data-level="2">.*?</li>', page).group(0)
    assert re.search(
        r">Chi bộ đã giải thể</a> <span class=\"tree-kind\">[^<]+ · đến 01/01/2020</span>", node
    )
    assert '<span class="tree-counts">1 người · 1 đảng viên</span>' in node


def test_the_query_count_is_fixed(client_for, users, tree):
    client = client_for(users["staff"])
    client.get(URL)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    few = count()
    for n in range(30):
        cell = make_unit(f"CB-N{n}", parent=tree.ward_a if n % 2 else tree.ward_b)
        person(f"N{n}", cell)
        make_unit(f"CB-N{n}-T", parent=cell)
    assert count() == few


def test_a_large_tree_draws_whole_levels_within_its_budget(users, staffed):
    """At city scale (thousands of units) the districts come closed and load when opened."""
    roomy = selectors.unit_tree(user=users["staff"])
    (root,) = roomy.roots
    ward_a = next(n for n in root.children if n.code == "P-A")
    assert root.open and ward_a.open and ward_a.loaded
    tight = selectors.unit_tree(user=users["staff"], budget=3)
    (root,) = tight.roots
    assert root.open and root.loaded  # the root's own units are always drawn
    assert all(not n.open and not n.loaded for n in root.children)
    assert tight.people == roomy.people  # the counts do not depend on what is drawn


def _drawn(nodes, parent_loaded=True):
    """What the page draws of a tree: every node under a loaded parent, with what it shows."""
    out = []
    for node in nodes:
        out.append((node.code, node.level, node.open, node.loaded, node.people, node.members,
                    node.sub_units, node.child_count, node.match, node.active))  # fmt: skip
        if node.loaded:
            out.append(_drawn(node.children))
    return out


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize(("levels", "budget"), [(3, 300), (3, 3), (2, 5), (4, 8), (1, 300), (5, 1)])
def test_the_tree_built_to_the_levels_it_draws_is_the_whole_trees(users, staffed, closed, levels,
                                                                  budget):  # fmt: skip
    """Built down to the levels it draws (the city's four thousand units), the tree draws
    exactly what the tree built whole draws, counts, closed branches' sizes and all."""
    from django.db.models import Q

    for who in ("staff", "admin"):
        user = users[who]
        for root in (None, staffed.ward_a, staffed.root):
            units, rows = _units_and_rows(user, root)
            assert rows and not units.filter(~Q(pk__in=[r[0] for r in rows])).exists()
            options = {"root": root, "query": "", "closed": closed, "open_levels": 2,
                       "levels": levels, "match_limit": 200, "budget": budget}  # fmt: skip
            skeleton = [(row[0], row[6], row[7]) for row in rows]
            depth = selectors._deepest_needed(skeleton, root, closed, levels, budget)
            level = selectors._relative_levels(skeleton)
            built = [row for row in rows if level[row[0]] <= depth]
            counts = _whole_counts()
            lean = selectors._build_tree(skeleton, built, counts, depth=depth, **options)
            whole = selectors._build_tree(skeleton, rows, counts, depth=None, **options)
            assert _drawn(lean.roots) == _drawn(whole.roots), (who, root, depth)
            assert (lean.units, lean.people) == (whole.units, whole.people)
            assert (lean.focus is None) == (whole.focus is None)
            if whole.focus is not None and whole.focus.loaded:  # the branch's own fragment
                assert _drawn(lean.focus.children) == _drawn(whole.focus.children)
    # The page's own call reads the rows and counts of the units it builds: the same tree.
    for who in ("staff", "admin"):
        for root in (None, staffed.ward_a, staffed.root):
            options = {"levels": levels, "budget": budget, "closed": closed, "root": root}
            public = selectors.unit_tree(user=users[who], **options)
            _units, rows = _units_and_rows(users[who], root)
            skeleton = [(row[0], row[6], row[7]) for row in rows]
            whole = selectors._build_tree(
                skeleton, rows, _whole_counts(), depth=None, query="", open_levels=2,
                match_limit=200, **options,
            )  # fmt: skip
            assert public.roots and _drawn(public.roots) == _drawn(whole.roots)
            assert (public.units, public.people, public.members) == (
                whole.units, whole.people, whole.members
            )  # fmt: skip


def _units_and_rows(user, root):
    """The units ``user`` sees (under ``root``) and their rows as unit_tree reads them."""
    units = OrgUnit.objects.restrict(user)
    if root is not None:
        units = units.filter(path__startswith=root.path)
    rows = list(units.values_list(
        "id", "code", "name", "kind", "path", "sort_key", "parent_id", "valid_to", "name_folded",
    ).order_by("path"))  # fmt: skip
    return units, rows


def _whole_counts() -> dict[int, dict[str, int]]:
    """Every unit's subtree counts, as unit_tree reads them for the units it builds."""
    from longbien.org.models import PersonTally

    counts: dict[int, dict[str, int]] = {}
    rows = PersonTally.objects.filter(is_active=True).values_list("unit_id", "is_member", "n")
    for unit_id, member, n in rows:
        found = counts.setdefault(unit_id, {"total": 0, "members": 0})
        found["total"] += n
        found["members"] += n if member else 0
    return counts
