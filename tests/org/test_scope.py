from longbien.org import scope
from longbien.org.models import OrgUnit
from tests.conftest import make_user


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
