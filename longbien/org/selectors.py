"""Every read on the organisation, narrowed to what the user may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from longbien.audit import audit_rows
from longbien.text import fold

from . import scope
from .choices import UnitKind
from .models import OrgUnit, Person, PersonTally, PositionHistory, RoleAssignment, Term, User
from .types import Viewer


def unit_list(
    *,
    user: Viewer,
    query: str = "",
    kind: str = "",
    active: bool | None = None,
    within: OrgUnit | None = None,
) -> QuerySet[OrgUnit]:
    units = OrgUnit.objects.restrict(user).select_related("parent", "successor")
    if query:
        folded = fold(query)
        units = units.filter(Q(name_folded__contains=folded) | Q(code__icontains=query.strip()))
    if kind:
        units = units.filter(kind=kind)
    if active is True:
        units = units.filter(valid_to__isnull=True)
    elif active is False:
        units = units.filter(valid_to__isnull=False)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    # Counted per unit shown (a subquery the page's 50 rows run), not grouped over every unit
    # of the register before the page is cut (134–205 ms at city scale).
    people_here = (
        Person.objects.filter(unit=OuterRef("pk"), is_active=True)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return units.annotate(people_count=Coalesce(Subquery(people_here), 0)).order_by("path")


def unit_get(*, user: Viewer, code: str) -> OrgUnit:
    return OrgUnit.objects.restrict(user).select_related("parent", "successor").get(code=code)


def unit_choices(
    *, user: Viewer, action: str = scope.VIEW, area: str = scope.Area.ORG
) -> QuerySet[OrgUnit]:
    """Active units the user may pick for ``action`` in ``area`` (forms, the unit picker)."""
    return (
        OrgUnit.objects.filter(
            scope.unit_q(user, area, action, unit_field=""), valid_to__isnull=True
        )
        .only("id", "code", "name", "path", "depth", "kind")
        .order_by("path")
    )


def person_list(
    *,
    user: Viewer,
    query: str = "",
    unit: OrgUnit | None = None,
    management_level: str = "",
    party_members_only: bool = False,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    people = Person.objects.restrict(user).select_related("unit", "position")
    if not include_inactive:
        people = people.filter(is_active=True)
    if query:
        people = people.filter(name_folded__contains=fold(query))
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if management_level:
        people = people.filter(management_level=management_level)
    if party_members_only:
        people = people.filter(party_member_since__isnull=False)
    return people.order_by("sort_key", "id")


def person_get(*, user: Viewer, pk: int) -> Person:
    return Person.objects.restrict(user).select_related("unit", "position").get(pk=pk)


def person_positions(*, person: Person) -> QuerySet[PositionHistory]:
    return person.position_history.select_related("unit", "position").order_by("-start_date")


def term_list(*, user: Viewer) -> QuerySet[Term]:
    if not scope.has_area(user, scope.Area.ORG):
        return Term.objects.none()
    return Term.objects.order_by("-start_date")


def term_current(*, day: Any = None) -> Term | None:
    day = day or timezone.localdate()
    return Term.objects.filter(start_date__lte=day, end_date__gte=day).first()


def role_assignment_list(*, user: Viewer) -> QuerySet[RoleAssignment]:
    """Role assignments on units inside the subtree the user administers."""
    return (
        RoleAssignment.objects.filter(scope.unit_q(user, scope.Area.ROLES, scope.CHANGE))
        .select_related("unit")
        .order_by("unit__path", "role", "pk")
    )


def role_user_scope(*, user: Viewer) -> QuerySet[User]:
    """Accounts an administrator may give roles to (the roles pages, the API and the admin).

    A whole-tree administrator sees every account; an administrator of a subtree sees the
    accounts holding a role there or linked to a person there, and accounts with no role yet
    (new ones waiting for their first role).
    """
    if not scope.has_area(user, scope.Area.ROLES, scope.CHANGE):
        return User.objects.none()
    if scope.covers_a_root(user, scope.Area.ROLES, scope.CHANGE):
        return User.objects.all()
    in_scope = scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="unit")
    people = scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="person__unit")
    return User.objects.filter(
        Q(pk__in=RoleAssignment.objects.filter(in_scope).values("user_id"))
        | people
        | Q(~Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))), is_superuser=False)
    )


def role_user_list(*, user: Viewer, query: str = "") -> QuerySet[User]:
    """Accounts in the administrator's reach, each with ``scoped_roles``: its roles in scope."""
    users = role_user_scope(user=user)
    if query:
        words = query.split()
        for word in words:
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(person__name_folded__contains=fold(word))
            )
    return (
        users.select_related("person__unit")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=role_assignment_list(user=user),
                to_attr="scoped_roles",
            )
        )
        .order_by("username")
    )


def role_user_get(*, user: Viewer, pk: int) -> User:
    return role_user_list(user=user).get(pk=pk)


def role_assignment_get(*, user: Viewer, target: User, pk: int) -> RoleAssignment:
    return role_assignment_list(user=user).get(user=target, pk=pk)


def role_unit_choices(*, user: Viewer) -> QuerySet[OrgUnit]:
    """Active units on which the user may hand out roles."""
    return unit_choices(user=user, action=scope.CHANGE, area=scope.Area.ROLES)


def role_history(*, user: Viewer, target: User, limit: int = 30) -> list[Any]:
    """The grants and revocations of ``target``'s roles in the user's scope, newest first."""
    if not scope.has_area(user, scope.Area.ROLES, scope.CHANGE):
        return []
    entries = LogEntry.objects.filter(
        Q(changes__user__0=str(target.pk)) | Q(changes__user__1=str(target.pk)),
        content_type=ContentType.objects.get_for_model(RoleAssignment),
    )
    if not scope.covers_a_root(user, scope.Area.ROLES, scope.CHANGE):
        units = [
            str(pk)
            for pk in OrgUnit.objects.filter(
                scope.unit_q(user, scope.Area.ROLES, scope.CHANGE, unit_field="")
            ).values_list("pk", flat=True)
        ]
        entries = entries.filter(Q(changes__unit__0__in=units) | Q(changes__unit__1__in=units))
    rows = audit_rows(
        entries.select_related("actor", "content_type").order_by("-timestamp")[:limit]
    )
    account = str(RoleAssignment._meta.get_field("user").verbose_name)
    for row in rows:  # the account is the page's subject: its id says nothing more
        row.changes = [change for change in row.changes if change[0] != account]
    return rows


# --- The organisation tree (the units page) ----------------------------------------------


@dataclass(slots=True)
class TreeNode:
    """One unit of the tree page with the counts of its whole subtree.

    ``people`` and ``members``: active people (and party members among them) of the unit and
    every unit below it; ``sub_units``: the active units below it. The same counts as the
    home page's "Tổ chức trong phạm vi của bạn" (see :func:`unit_tree`).
    """

    id: int
    code: str
    name: str
    kind: str
    path: str
    sort_key: str
    parent_id: int | None
    active: bool
    valid_to: Any = None
    # The unit's page and the tree page opened on it (its branch on its own), as templates
    # with ``__code__``: the URLs are made for the nodes drawn only (a few hundred of the
    # city's four thousand; quoting every code took a fifth of the page).
    url_pattern: str = ""
    branch_pattern: str = ""
    level: int = 0
    people: int = 0
    members: int = 0
    sub_units: int = 0
    children: list[TreeNode] = field(default_factory=list)
    shown: bool = True
    open: bool = False
    loaded: bool = True
    match: bool = False

    @property
    def url(self) -> str:
        return self.url_pattern.replace("__code__", quote(self.code))

    @property
    def branch_url(self) -> str:
        return self.branch_pattern.replace("__code__", quote(self.code))

    @property
    def child_count(self) -> int:
        return len(self.children)


@dataclass
class UnitTree:
    """The viewer's tree: its roots, the totals (as on the home page) and the search result."""

    roots: list[TreeNode]
    units: int
    people: int
    members: int
    query: str = ""
    matches: int = 0
    shown_matches: int = 0
    focus: TreeNode | None = None
    ancestors: list[OrgUnit] = field(default_factory=list)


def unit_tree(
    *,
    user: Viewer,
    within: OrgUnit | None = None,
    root: OrgUnit | None = None,
    query: str = "",
    closed: bool = False,
    open_levels: int = 2,
    levels: int = 3,
    match_limit: int = 200,
    budget: int = 300,
) -> UnitTree:
    """The units the viewer may see as a tree, each with the counts of its subtree.

    Two queries whatever the size: the restricted units (light columns, by path) and the
    active people of each one's subtree (the database's tally, :class:`PersonTally`); the
    tree and its units' totals are built here.
    ``within`` is the header's unit picker, ``root`` a branch opened on its own page (or
    loaded into the page). The first ``open_levels`` levels are open; nodes are drawn down to
    ``levels`` levels and about ``budget`` units (whole levels: at city scale the districts
    are drawn closed), deeper branches are loaded when opened (``loaded`` False). A ``query``
    (name without diacritics, or code) shows only the branches leading to the units that
    match, opened, at most ``match_limit`` of them. Closed units (dissolved, merged) are
    hidden unless ``closed``; their people still count in their parents' totals, as on the
    home page.
    """
    units = OrgUnit.objects.restrict(user)
    for base in (within, root):
        if base is not None:
            units = units.filter(path__startswith=base.path)
    columns = (
        "id", "code", "name", "kind", "path", "sort_key", "parent_id", "valid_to", "name_folded",
    )  # fmt: skip
    query = query.strip()
    # Every unit's place (id, parent, closed) in path order; what a node shows is read for the
    # units built: down to the levels drawn (the city's 3.949 units: some 450), or all of
    # them for a search.
    skeleton = list(units.values_list("id", "parent_id", "valid_to").order_by("path"))
    level = _relative_levels(skeleton)
    depth = None if query else _deepest_needed(skeleton, root, closed, levels, budget, level)
    if depth is None:
        built = units
    else:
        built = units.filter(pk__in=[pk for pk, _parent, _to in skeleton if level[pk] <= depth])
    rows = list(built.values_list(*columns).order_by("path"))
    # Each unit's whole subtree counted (PersonTally, kept by the database): a subtree the
    # viewer may see holds only people they may see.
    counts: dict[int, dict[str, int]] = {}
    tallied = PersonTally.objects.filter(unit__in=built.values("pk"), is_active=True)
    for unit_id, member, n in tallied.values_list("unit_id", "is_member", "n"):
        found = counts.setdefault(unit_id, {"total": 0, "members": 0})
        found["total"] += n
        found["members"] += n if member else 0
    return _build_tree(skeleton, rows, counts, root=root, query=query, closed=closed,
                       depth=depth, open_levels=open_levels, levels=levels,
                       match_limit=match_limit, budget=budget, level=level)  # fmt: skip


def _relative_levels(skeleton: Sequence[tuple[int, int | None, Any]]) -> dict[int, int]:
    """Each unit's level below the top of its visible branch (``(id, parent, closed)`` rows in
    path order)."""
    level: dict[int, int] = {}
    for pk, parent_id, _valid_to in skeleton:
        above = level.get(parent_id) if parent_id else None
        level[pk] = 0 if above is None else above + 1
    return level


def _deepest_needed(
    skeleton: Sequence[tuple[int, int | None, Any]],
    root: OrgUnit | None,
    closed: bool,
    levels: int,
    budget: int,
    level: dict[int, int] | None = None,
) -> int:
    """How deep the tree must be built for :func:`_set_levels` to draw what it draws from the
    whole tree: the last level it draws and the one below it (a closed branch shows how many
    units it holds). Worked out on the units' levels alone: at city scale four thousand units
    are placed and a few hundred drawn; building a node for each was most of the page.
    ``level``: the units' levels when worked out already (:func:`_relative_levels`)."""
    if level is None:
        level = _relative_levels(skeleton)
    reachable: set[int] = set()
    sizes: dict[int, int] = {}
    for pk, parent_id, valid_to in skeleton:
        if not (valid_to is None or closed):
            continue  # hidden, and so is everything below it
        own = level[pk]
        if own == 0:
            if root is not None and pk != root.pk:
                continue
        elif parent_id not in reachable:
            continue
        reachable.add(pk)
        sizes[own] = sizes.get(own, 0) + 1
    # _set_levels on the level sizes.
    drawn_level, drawn = 0, sizes.get(0, 0)
    while sizes.get(drawn_level):
        below = sizes.get(drawn_level + 1, 0)
        deeper = drawn_level < levels - 1 and (drawn + below <= budget or drawn_level == 0)
        if not deeper:
            break
        drawn += below
        drawn_level += 1
    return drawn_level + 1


def _build_tree(
    skeleton: Sequence[tuple[int, int | None, Any]],
    rows: list[tuple[Any, ...]],
    counts: dict[int, dict[str, int]],
    *,
    root: OrgUnit | None,
    query: str,
    closed: bool,
    depth: int | None,
    open_levels: int,
    levels: int,
    match_limit: int,
    budget: int,
    level: dict[int, int] | None = None,
) -> UnitTree:
    """The tree: every unit placed (``skeleton``), nodes built for ``rows`` (the units down to
    ``depth`` levels; None: all of them)."""
    detail = reverse("org:unit_detail", args=["__code__"])
    page = reverse("org:unit_list")
    kinds = {value: str(label) for value, label in UnitKind.choices}
    # Active units below each unit, counted on the whole skeleton (the nodes may stop above).
    sub_units: dict[int, int] = {}
    for pk, parent_id, valid_to in reversed(skeleton):
        if parent_id:
            sub_units[parent_id] = (
                sub_units.get(parent_id, 0) + sub_units.get(pk, 0) + (1 if valid_to is None else 0)
            )
    if level is None:
        level = _relative_levels(skeleton) if depth is not None else {}
    nodes: dict[int, TreeNode] = {}
    folded_names: dict[int, str] = {}
    for pk, code, name, kind, path, sort_key, parent_id, valid_to, folded in rows:
        if depth is not None and level[pk] > depth:
            continue
        own = counts.get(pk, {})
        nodes[pk] = TreeNode(
            id=pk, code=code, name=name, kind=kinds.get(kind, kind), path=path,
            sort_key=sort_key, parent_id=parent_id, active=valid_to is None, valid_to=valid_to,
            url_pattern=detail, branch_pattern=f"{page}?root=__code__",
            people=own.get("total", 0),
            members=own.get("members", 0),
            sub_units=sub_units.get(pk, 0),
        )  # fmt: skip
        folded_names[pk] = folded
    roots = []
    for node in sorted(nodes.values(), key=lambda n: (n.sort_key, n.path)):
        node.shown = node.active or closed
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None:
            if node.shown:
                parent.children.append(node)
        elif (root is None or node.id == root.pk) and (depth is None or level[node.id] == 0):
            roots.append(node)
    # The people of units outside the tree (none: people are counted by the restricted units).
    tree = UnitTree(
        roots=[r for r in roots if r.shown],
        units=sum(1 for _pk, _parent, valid_to in skeleton if valid_to is None),
        people=sum(r.people for r in roots),
        members=sum(r.members for r in roots),
        query=query,
    )
    if root is not None:
        tree.focus = nodes.get(root.pk)
    if tree.query:
        _mark_matches(tree, nodes, folded_names, match_limit)
    else:
        _set_levels(tree.roots, open_levels=open_levels, levels=levels, budget=budget)
    return tree


def _set_levels(roots: list[TreeNode], *, open_levels: int, levels: int, budget: int) -> None:
    """Draw the tree level by level: down to ``levels`` levels and about ``budget`` units.

    A level is drawn whole or not at all (never half the wards of a district): when the next
    level would pass the budget, the branches stop there, closed, and load when opened.
    """
    level, drawn, current = 0, len(roots), list(roots)
    while current:
        below = [child for node in current for child in node.children]
        deeper = level < levels - 1 and (drawn + len(below) <= budget or level == 0)
        for node in current:
            node.level = level
            node.loaded = deeper
            node.open = deeper and level < open_levels
        if not deeper:
            break
        drawn += len(below)
        level, current = level + 1, below


def _mark_matches(
    tree: UnitTree, nodes: dict[int, TreeNode], folded_names: dict[int, str], limit: int
) -> None:
    """Keep only the branches that lead to a match: open down to it, the match itself closed."""
    folded, code = fold(tree.query), tree.query.upper()
    matches = [
        node
        for node in sorted(nodes.values(), key=lambda n: n.path)
        if node.shown and (folded in folded_names[node.id] or code in node.code.upper())
    ]
    tree.matches = len(matches)
    keep: set[int] = set()
    for node in matches[:limit]:
        node.match = True
        keep.add(node.id)
        parent = nodes.get(node.parent_id) if node.parent_id else None
        while parent is not None:
            parent.open = True  # a match inside another opens it too
            if parent.id in keep:
                break
            keep.add(parent.id)
            parent = nodes.get(parent.parent_id) if parent.parent_id else None
    tree.shown_matches = min(len(matches), limit)
    tree.roots = [r for r in tree.roots if r.id in keep]
    stack = [(node, 0) for node in tree.roots]
    while stack:
        node, level = stack.pop()
        node.level = level
        if node.match and not node.open:
            node.loaded = False  # its own branch is loaded when opened
            continue
        node.children = [child for child in node.children if child.id in keep]
        stack.extend((child, level + 1) for child in node.children)


def unit_ancestors(*, user: Viewer, unit: OrgUnit) -> list[OrgUnit]:
    """The units above ``unit`` that the viewer may see, top first (a branch's breadcrumb)."""
    parts = unit.path.split("/")[:-2]
    paths = ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]
    return list(OrgUnit.objects.restrict(user).filter(path__in=paths).order_by("path"))
