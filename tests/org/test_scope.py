from longbien.org import scope
from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit, Person, RoleAssignment
from tests.conftest import make_unit, make_user


def test_role_on_a_unit_covers_its_subtree(tree, users):
    secretary = users["ward_secretary"]
    assert scope.can(secretary, scope.Area.ORG, scope.VIEW, tree.ward_a)
    assert scope.can(secretary, scope.Area.ORG, scope.VIEW, tree.cell_a1)
    assert not scope.can(secretary, scope.Area.ORG, scope.VIEW, tree.ward_b)
    assert not scope.can(secretary, scope.Area.ORG, scope.VIEW, tree.root)


def test_restrict_returns_only_the_subtree(tree, users):
    codes = set(OrgUnit.objects.restrict(users["ward_staff"]).values_list("code", flat=True))
    assert codes == {"P-A", "CB-A1"}
    assert OrgUnit.objects.restrict(users["leadership"]).count() == 5


def test_leadership_reads_but_does_not_change(tree, users):
    assert scope.can(users["leadership"], scope.Area.ORG, scope.VIEW, tree.cell_b1)
    assert not scope.can(users["leadership"], scope.Area.ORG, scope.CHANGE, tree.cell_b1)


def test_only_the_inspection_role_reaches_confidential_records(tree, users):
    allowed = {
        name for name, user in users.items() if scope.has_area(user, scope.Area.CONFIDENTIAL)
    }
    assert allowed == {"inspection"}


def test_superuser_without_role_is_an_admin_but_not_inspection(tree):
    root = make_user("root", is_superuser=True)
    assert scope.can(root, scope.Area.ORG, scope.CHANGE, tree.cell_b1)
    assert not scope.has_area(root, scope.Area.CONFIDENTIAL)


def test_anonymous_and_roleless_users_see_nothing(tree, users):
    from django.contrib.auth.models import AnonymousUser

    assert OrgUnit.objects.restrict(AnonymousUser()).count() == 0
    assert OrgUnit.objects.restrict(users["no_role"]).count() == 0


def test_role_on_a_closed_unit_grants_nothing(tree, users):
    tree.ward_a.valid_to = tree.ward_a.valid_from or __import__("datetime").date(2025, 7, 1)
    tree.ward_a.save()
    secretary = type(users["ward_secretary"]).objects.get(pk=users["ward_secretary"].pk)
    assert OrgUnit.objects.restrict(secretary).count() == 0


def test_scope_paths_are_minimal(tree):
    user = make_user("two_roles", "staff", tree.root)
    from longbien.org.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role="staff", unit=tree.ward_a)
    user = type(user).objects.get(pk=user.pk)
    assert scope.scope_paths(user, scope.Area.ORG) == ["QU/"]


def _forgetting_the_roots(user):
    """The same user as a fresh request sees it, but not knowing the trees' roots: its scope
    is then always written as the units' paths (what it was before :func:`holds_every_unit`)."""
    fresh = type(user).objects.get(pk=user.pk)
    scope.grants(fresh)
    fresh._scope_roots = frozenset()
    return fresh


def test_a_scope_holding_the_only_tree_reads_every_row_without_a_unit_filter(tree, users):
    for unit in (tree.root, tree.ward_a, tree.cell_b1):
        Person(code=f"CB-{unit.code}", full_name=f"Người {unit.code}", unit=unit).save()
    admin, secretary = users["admin"], users["ward_secretary"]
    assert scope.holds_every_unit(admin, scope.Area.ORG)
    assert not scope.holds_every_unit(secretary, scope.Area.ORG)
    assert scope.is_unrestricted(Person.objects.restrict(admin))
    assert not scope.is_unrestricted(Person.objects.restrict(secretary))
    for user in (admin, secretary):
        written_out = _forgetting_the_roots(user)
        assert not scope.is_unrestricted(Person.objects.restrict(written_out))
        for rows in (Person.objects, OrgUnit.objects):
            assert set(rows.restrict(user)) == set(rows.restrict(written_out))
    # A nullable unit column keeps the rows that have a unit (here: every unit but the root).
    for field in ("parent", "successor"):
        held = OrgUnit.objects.filter(scope.unit_q(admin, scope.Area.ORG, scope.VIEW, field))
        kept = scope.unit_q(_forgetting_the_roots(admin), scope.Area.ORG, scope.VIEW, field)
        assert set(held) == set(OrgUnit.objects.filter(kept))
    parented = scope.unit_q(admin, scope.Area.ORG, scope.VIEW, "parent")
    assert tree.root not in OrgUnit.objects.filter(parented)


def test_a_second_tree_puts_the_unit_filter_back(tree, users):
    Person(code="CB-1", full_name="Người trong quận", unit=tree.ward_a).save()
    other = make_unit("QU-KHAC", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy khác")
    stranger = Person(code="CB-2", full_name="Người quận khác", unit=other)
    stranger.save()
    admin = type(users["admin"]).objects.get(pk=users["admin"].pk)  # the next request's
    assert scope.grants(admin) and admin._scope_roots == {"QU/", "QU-KHAC/"}
    assert not scope.holds_every_unit(admin, scope.Area.ORG)
    seen = Person.objects.restrict(admin)
    assert not scope.is_unrestricted(seen)
    assert set(seen.values_list("code", flat=True)) == {"CB-1"}
    # Holding both roots holds every unit again.
    both = make_user("admin2", Role.ADMIN, tree.root)
    RoleAssignment.objects.create(user=both, role=Role.ADMIN, unit=other)
    assert scope.holds_every_unit(both, scope.Area.ORG)
    assert scope.is_unrestricted(Person.objects.restrict(both))
    assert set(Person.objects.restrict(both).values_list("code", flat=True)) == {"CB-1", "CB-2"}


def test_scope_paths_are_kept_with_the_grants_they_come_from(tree, users):
    """Worked out once per user object, area and action: a caller's change to the list it
    gets does not reach the kept one; a reload of the grants starts afresh."""
    secretary = users["ward_secretary"]
    paths = scope.scope_paths(secretary, scope.Area.RESOLUTIONS)
    assert paths == [tree.ward_a.path]
    paths.append(tree.root.path)
    assert scope.scope_paths(secretary, scope.Area.RESOLUTIONS) == [tree.ward_a.path]
    RoleAssignment.objects.create(user=secretary, role=Role.STAFF, unit=tree.root)
    # The same user object keeps the grants it loaded (as before: one load per request).
    assert scope.scope_paths(secretary, scope.Area.RESOLUTIONS) == [tree.ward_a.path]
    del secretary._scope_grants
    assert scope.scope_paths(secretary, scope.Area.RESOLUTIONS) == [tree.root.path]
    assert scope.scope_paths(secretary, scope.Area.CADRES, scope.CHANGE) == [tree.root.path]
