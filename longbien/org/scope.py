"""Who may see and change what: the one place that decides, for every read and write.

A user holds roles on units (``RoleAssignment``); a role on a unit covers its subtree.
Each role grants actions on *areas* of work. The UI, the API, the admin, exports, imports,
dashboards and reports all ask this module, through :meth:`ScopedQuerySet.restrict`,
:func:`unit_q` or :func:`can`.

A model with a rule of its own says so in its queryset's ``scope_filter`` hook, built from
the pieces here: :func:`issued_above_q` (documents, procedures), :func:`own_records_q`
(cadre records) and :func:`either` (OR as an indexable UNION). A model whose content is read
by fewer roles than work in its area declares the readers' area as ``Scope.view_area``
(:func:`model_area`: cadres' evaluations, :attr:`Area.EVALUATIONS`). A whole-tree scope is
:func:`everything`, never ``Q()``, which vanishes under ``|``. Prefetches of scoped rows use
:class:`RestrictedPrefetch`; the audit log is narrowed by :func:`restrict_audit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet, FullResultSet, PermissionDenied
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from .choices import Role

if TYPE_CHECKING:
    from .models import OrgUnit

VIEW = "view"
CHANGE = "change"


class Area:
    ORG = "org"
    # Personal data of cadres and members (Nghị định 13/2023/NĐ-CP): least privilege.
    PEOPLE = "people"
    RESOLUTIONS = "resolutions"
    CADRES = "cadres"
    INSPECTIONS = "inspections"
    # The annual inspection and supervision plans of every body and their coordination: kept
    # by committee staff, the inspection role, the Front and the wards for their own plans.
    INSPECTION_PLANS = "inspection_plans"
    # Denunciations, disciplinary complaints and denouncers' identities (Luật Tố cáo 2018).
    CONFIDENTIAL = "confidential"
    DIALOGUES = "dialogues"
    REPORTS = "reports"
    AUDIT = "audit"
    # Users' roles: handed out and revoked by administrators, inside the subtree administered.
    ROLES = "roles"
    # What a cadre's monthly evaluation says (the self-assessment, the superior's comment, the
    # rating): read by those above the cadre in the evaluation chain (who may rate and approve,
    # i.e. change cadre work on the unit: the ward's secretary, the district's organisation
    # staff), by leadership, and by the cadre themself (the "own records" rule); not by a
    # ward's other staff. A model declares it as ``Scope.view_area``; counts stay in CADRES.
    EVALUATIONS = "evaluations"


_VC = frozenset({VIEW, CHANGE})
_V = frozenset({VIEW})
_ALL_OPEN = (
    Area.ORG, Area.RESOLUTIONS, Area.CADRES, Area.INSPECTIONS, Area.INSPECTION_PLANS,
    Area.DIALOGUES, Area.REPORTS,
)  # fmt: skip

RULES: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMIN: {
        **{area: _VC for area in _ALL_OPEN},
        Area.PEOPLE: _VC,
        Area.AUDIT: _V,
        Area.ROLES: _VC,
        Area.EVALUATIONS: _V,
    },
    Role.STAFF: {
        Area.ORG: _VC,
        Area.PEOPLE: _VC,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _VC,
        Area.EVALUATIONS: _V,
        Area.INSPECTIONS: _V,
        Area.INSPECTION_PLANS: _VC,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
    Role.LEADERSHIP: {**{area: _V for area in _ALL_OPEN}, Area.PEOPLE: _V, Area.EVALUATIONS: _V},
    Role.INSPECTION: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _V,
        Area.INSPECTIONS: _VC,
        Area.INSPECTION_PLANS: _VC,
        Area.CONFIDENTIAL: _VC,
    },  # fmt: skip
    # The Front and the socio-political organisations keep their own supervision plans.
    Role.MASS_MOBILISATION: {
        Area.ORG: _V,
        Area.RESOLUTIONS: _V,
        Area.INSPECTION_PLANS: _VC,
        Area.DIALOGUES: _VC,
    },  # fmt: skip
    Role.WARD_SECRETARY: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _VC,
        Area.EVALUATIONS: _V,
        # The ward committee inspects and supervises its cells and members (its own plan).
        Area.INSPECTIONS: _VC,
        Area.INSPECTION_PLANS: _VC,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
    # Reads the ward's cadre records and counts, but not what a colleague's evaluation says.
    Role.WARD_STAFF: {
        Area.ORG: _V,
        Area.PEOPLE: _V,
        Area.RESOLUTIONS: _VC,
        Area.CADRES: _V,
        Area.INSPECTION_PLANS: _V,
        Area.DIALOGUES: _VC,
        Area.REPORTS: _VC,
    },  # fmt: skip
}


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


def grants(user: Any) -> list[Grant]:
    """Return the user's roles with their units' paths, loaded once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_scope_grants", None)
    if cached is None:
        # The models import this module (their managers are ScopedQuerySets): a real cycle.
        from .models import OrgUnit, RoleAssignment

        # The paths of the trees' roots come with the grants (one query): a scope holding
        # every root holds every unit there is (:func:`holds_every_unit`).
        roots = ArraySubquery(OrgUnit.objects.filter(parent__isnull=True).values("path"))
        rows = (
            RoleAssignment.objects.filter(user=user, unit__valid_to__isnull=True)
            .annotate(roots=roots)
            .values_list("role", "unit_id", "unit__path", "roots")
        )
        cached = []
        for role, unit_id, path, root_paths in rows:
            cached.append(Grant(role, unit_id, path))
            user._scope_roots = frozenset(root_paths)
        if user.is_superuser and not any(g.role == Role.ADMIN for g in cached):
            cached.append(Grant(Role.ADMIN, 0, ""))
        user._scope_grants = cached
    return cached


def roles(user: Any) -> set[str]:
    return {g.role for g in grants(user)}


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def scope_paths(user: Any, area: str, action: str = VIEW) -> list[str]:
    """Return the minimal list of unit paths whose subtrees the user may act on in ``area``.

    Worked out once per user object, area and action, beside its grants (a page asks for
    them dozens of times: the menu, the unit picker, every check); kept only as long as
    those grants (a reload of the grants starts afresh)."""
    held = grants(user)
    kept = getattr(user, "_scope_paths", None)
    if kept is None or kept[0] is not held:
        kept = (held, {})
        if held:
            user._scope_paths = kept
    found = kept[1].get((area, action))
    if found is None:
        paths = sorted({g.path for g in held if action in RULES.get(g.role, {}).get(area, ())})
        found = []
        for path in paths:
            if not any(path.startswith(outer) for outer in found):
                found.append(path)
        kept[1][(area, action)] = found
    return list(found)


def ancestor_paths(paths: list[str]) -> set[str]:
    """Return the paths of every unit above the given subtrees' roots."""
    result: set[str] = set()
    for path in paths:
        parts = path.rstrip("/").split("/")
        for end in range(1, len(parts)):
            result.add("/".join(parts[:end]) + "/")
    return result


def covers_a_root(user: Any, area: str, action: str = VIEW) -> bool:
    """Tell whether the user's scope in ``area`` includes a whole tree (a root unit)."""
    return any(path.count("/") <= 1 for path in scope_paths(user, area, action))


def covers_every_root(user: Any, area: str, action: str = VIEW) -> bool:
    """Tell whether the user's scope in ``area`` is above every tree (a superuser's).

    Only such a scope holds a unit made at the top level, so only it may make one: anyone
    else would make a unit they could not see afterwards.
    """
    return "" in scope_paths(user, area, action)


def holds_every_unit(user: Any, area: str, action: str = VIEW) -> bool:
    """Tell whether the user's scope in ``area`` holds every unit there is.

    A scope above every tree (a superuser's) does, and so does one holding the root of every
    tree: a city's administrator while the city is the only tree. The roots are read with
    the grants and kept as long as they are (one user object: a request, a job), so a tree
    made at the top level is seen by the next request; a long job that must not reach a tree
    made while it runs reloads its user, as it must for a role revoked meanwhile.
    """
    return _holds_every_unit(user, scope_paths(user, area, action))


def _holds_every_unit(user: Any, paths: list[str]) -> bool:
    if "" in paths:
        return True
    roots: frozenset[str] = getattr(user, "_scope_roots", frozenset())
    return bool(roots) and roots.issubset(paths)


def has_area(user: Any, area: str, action: str = VIEW) -> bool:
    return bool(scope_paths(user, area, action))


def require_area(user: Any, area: str, action: str = VIEW) -> None:
    """Raise PermissionDenied (a Vietnamese 403) unless the user has ``action`` in ``area``."""
    if not has_area(user, area, action):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def everything() -> Q:
    """Return a filter that keeps every row and stays whole when ORed with another.

    ``Q()`` is not such a filter: Django drops an empty ``Q`` from ``Q() | Q(x)``, which
    leaves ``Q(x)`` and narrows "everything, or also x" down to x. ``~Q(pk__in=[])``
    compiles to no WHERE clause at all, and an OR containing it stays unrestricted.
    """
    return ~Q(pk__in=[])


def nothing() -> Q:
    """Return a filter that keeps no row (and drops out of an OR)."""
    return Q(pk__in=[])


def _paths_q(paths: list[str] | set[str], extra: set[str] | None = None) -> Q:
    """Units in the subtrees of ``paths`` (a LIKE 'prefix%' each, answered by the path index)."""
    query = nothing()
    for path in sorted(paths):
        query |= Q(path__startswith=path)
    if extra:
        query |= Q(path__in=sorted(extra))
    return query


def _units_q(unit_field: str, query: Q) -> Q:
    """Rows whose ``unit_field`` is one of the units matched by ``query``.

    Written as ``unit_id IN (SELECT id FROM org_orgunit WHERE path LIKE …)`` rather than as a
    join on the unit's path, so PostgreSQL reads the few unit ids from the path index and then
    the rows from the foreign key's index (and can OR it with another indexed condition).
    """
    if not unit_field:
        return query
    from .models import OrgUnit  # the models import this module: a real cycle

    return Q(**{f"{unit_field}__in": OrgUnit.objects.filter(query).values("pk")})


def unit_q(
    user: Any,
    area: str,
    action: str = VIEW,
    unit_field: str = "unit",
    model: type[models.Model] | None = None,
) -> Q:
    """Return a filter keeping rows whose ``unit_field`` lies in the user's scope.

    With ``unit_field=""`` the rows are units themselves. A scope above every tree gives
    :func:`everything`, an empty one :func:`nothing`; both are safe to combine with ``|``.
    A scope holding every unit (:func:`holds_every_unit`) keeps the rows that have a unit:
    on the row's own column that is every row when ``model`` says the column is required
    (:func:`everything`, so a city's deep page is read from its order's index alone, without
    a look at each row's unit: 16 -> 2 ms), else ``unit IS NOT NULL``.
    """
    paths = scope_paths(user, area, action)
    if "" in paths:
        return everything()
    if not paths:
        return nothing()
    if "__" not in unit_field and _holds_every_unit(user, paths):
        return _has_a_unit_q(unit_field, model)
    query = _units_q(unit_field, _paths_q(paths))
    # A whole tree (a city's) on the row's own column: most rows pass, so :func:`either` ORs
    # it with its like rather than UNIONs them.
    wide = "__" not in unit_field and any(path.count("/") <= 1 for path in paths)
    query.wide = wide  # type: ignore[attr-defined]
    return query


def _has_a_unit_q(unit_field: str, model: type[models.Model] | None) -> Q:
    """Rows that have a unit (what a scope holding every unit keeps) through ``unit_field``
    (a column, or a chain of relations: ``reception__unit``). With ``model`` the chain is
    narrowed up to its last optional link only (a case need not come from a reception, a
    reception has a unit: ``reception IS NOT NULL``), and a chain of required links keeps
    every row (:func:`everything`)."""
    if not unit_field:
        return everything()
    optional = unit_field
    if model is not None:
        names = unit_field.split("__")
        current: Any = model
        last = 0
        for position, name in enumerate(names, 1):
            field: Any = current._meta.get_field(name)
            if field.null:
                last = position
            current = field.related_model
        if not last:
            return everything()
        optional = "__".join(names[:last])
    query = Q(**{f"{optional}__isnull": False})
    query.wide = True  # type: ignore[attr-defined]
    return query


def subtree_q(unit: Any, unit_field: str = "unit", model: type[models.Model] | None = None) -> Q:
    """Rows whose ``unit_field`` lies in ``unit``'s subtree.

    The root of the only tree holds every unit, as a scope holding every root does
    (:func:`holds_every_unit`): its rows are those that have a unit (:func:`_has_a_unit_q`),
    without the join to the units and the path compared on every row (a sixth to a quarter of
    a count over the city's 100,000 tasks or people). Whether another root exists is read
    once per unit object (a request, a job), as the scope's roots are read with its grants.
    """
    if unit.parent_id is None:
        alone = unit.__dict__.get("_only_root")
        if alone is None:
            from .models import OrgUnit  # the models import this module: a real cycle

            others = OrgUnit.objects.filter(parent__isnull=True).exclude(pk=unit.pk)
            alone = unit.__dict__["_only_root"] = not others.exists()
        if alone:
            return _has_a_unit_q(unit_field, model)
    return Q(**{f"{unit_field}__path__startswith": unit.path})


def issued_above_q(
    user: Any,
    area: str,
    action: str = VIEW,
    unit_field: str = "unit",
    model: type[models.Model] | None = None,
) -> Q:
    """The "issued above" rule: the user's subtree, and for reading also what came from above.

    Records of the units above the user's subtrees, and records with no unit (issued by a
    body above the whole tree: the city, the Centre), are read by everyone who reads ``area``.
    Changing stays within the subtree; records with no unit are changed only by a whole-tree
    scope. Used by the restrict hooks of documents and procedures; with ``model``, the two
    branches are combined by :func:`either` (each answered from its index).
    """
    paths = scope_paths(user, area, action)
    if "" in paths or ("__" not in unit_field and _holds_every_unit(user, paths)):
        return everything()  # every unit, and what has none
    if not paths:
        return nothing()
    from_above = Q(**{f"{unit_field}__isnull": True})
    if action != VIEW:
        units = _units_q(unit_field, _paths_q(paths))
        if not covers_a_root(user, area, action):
            return units
    else:
        units = _units_q(unit_field, _paths_q(paths, ancestor_paths(paths)))
    return either(model, units, from_above) if model is not None else units | from_above


def own_records_q(user: Any, person_field: str) -> Q:
    """The "own records" rule: rows about the person the user's account is linked to."""
    person_id = getattr(user, "person_id", None)
    if not person_id or not getattr(user, "is_authenticated", False) or not user.is_active:
        return nothing()
    return Q(**{person_field: person_id})


def either(model: type[models.Model], *filters: Q) -> Q:
    """Rows matching any of ``filters``, written so PostgreSQL answers each from an index.

    ``unit_id IN (SELECT …) OR person_id = 5`` makes PostgreSQL read the whole table and test
    each row; ``id IN (SELECT id … WHERE unit_id IN (…) UNION SELECT id … WHERE person_id = 5)``
    lets every branch use its own index. A branch that keeps everything makes the result
    :func:`everything`; branches that keep nothing are dropped.

    Branches that are all subtrees of a whole tree on the row's own unit columns
    (:func:`unit_q` over a city: ``wide``) keep most of the table, and the UNION would read
    all of it before a page's ``LIMIT``: those are ORed, so that the index of the list's
    order serves the page (a city's first page of opinion cases: 185 ms as a UNION, 2 ms as
    an OR).
    """
    kept = [f for f in filters if f != nothing()]
    if any(f == everything() for f in kept):
        return everything()
    if not kept:
        return nothing()
    if len(kept) == 1:
        return kept[0]
    if all(getattr(f, "wide", False) for f in kept):
        combined = kept[0]
        for branch in kept[1:]:
            combined = combined | branch
        return combined
    manager = model._base_manager
    branches = [manager.filter(f).order_by().values("pk") for f in kept]
    return Q(pk__in=branches[0].union(*branches[1:]))


def can(user: Any, area: str, action: str, unit: OrgUnit | None) -> bool:
    """Tell whether the user may perform ``action`` in ``area`` on ``unit``'s records."""
    if unit is None:
        return False
    return any(unit.path.startswith(path) for path in scope_paths(user, area, action))


def can_on(user: Any, obj: models.Model, action: str = VIEW) -> bool:
    """Tell whether the user may perform ``action`` on a scoped model instance.

    A model with a rule of its own (documents from above, read by every ward) may define
    ``scope_allows(user, action)``; otherwise its queryset's :meth:`ScopedQuerySet.allows`
    answers, the object side of the same restrict hook, so the object check and the list
    always agree. A confidential model also needs the confidential area
    (:func:`admits_confidential`).
    """
    if not admits_confidential(user, obj, action):
        return False
    hook = getattr(obj, "scope_allows", None)
    if hook is not None:
        return hook(user, action)
    queryset = type(obj)._default_manager.all()
    if isinstance(queryset, ScopedQuerySet):
        return queryset.allows(user, obj, action)
    return unit_allows(user, obj, action)


def unit_allows(user: Any, obj: models.Model, action: str = VIEW) -> bool:
    """The unit rule for one object, in Python: its unit lies in the user's scope."""
    scope = type(obj).Scope
    unit = obj if not scope.unit_field else _follow(obj, scope.unit_field)
    return can(user, model_area(type(obj), action), action, unit)


def model_area(model: Any, action: str = VIEW) -> str:
    """The area whose ``action`` right covers a scoped model's records on their units.

    ``Scope.area``, except for reading a model that declares ``Scope.view_area``: records whose
    content is read by fewer roles than work in their area (a cadre's evaluation, read by the
    evaluation chain, organisation staff and leadership, not by the ward's other staff; see
    :attr:`Area.EVALUATIONS`). Counting such records stays with ``Scope.area``.
    """
    declared = model.Scope
    if action == VIEW:
        return getattr(declared, "view_area", None) or getattr(declared, "area", Area.ORG)
    return getattr(declared, "area", Area.ORG)


def owns(user: Any, obj: models.Model, person_field: str) -> bool:
    """The "own records" rule for one object: it is about the user's linked person."""
    person_id = getattr(user, "person_id", None)
    if not person_id or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    *path, last = person_field.split("__")
    holder = _follow(obj, "__".join(path)) if path else obj
    return holder is not None and getattr(holder, f"{last}_id", None) == person_id


def is_confidential(model: Any) -> bool:
    """Tell whether a model (or instance) declares ``Scope.confidential = True``.

    See :mod:`longbien.confidential`: such records are seen only by the confidential area's
    role, whatever other rule the model has.
    """
    return bool(getattr(getattr(model, "Scope", None), "confidential", False))


def admits_confidential(user: Any, obj: models.Model, action: str = VIEW) -> bool:
    """Tell whether the user holds the confidential area on a unit covering ``obj``.

    True for a model that is not confidential; superusers and admins get no exception.
    """
    if not is_confidential(obj):
        return True
    unit_field = type(obj).Scope.unit_field
    return can(user, Area.CONFIDENTIAL, action, obj if not unit_field else _follow(obj, unit_field))


def _follow(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


# The model of a scoped queryset, for type checkers: a subclass is written
# ``class DocumentQuerySet(ScopedQuerySet[ModelT])`` so that its rows keep their type.
ModelT = TypeVar("ModelT", bound=models.Model, covariant=True)


class ScopedQuerySet(models.QuerySet[ModelT]):
    """A queryset that every read path narrows with :meth:`restrict` (after NetBox).

    A model with a rule of its own ("own records", "issued above") overrides
    :meth:`scope_filter` on its queryset; :meth:`restrict` stays the one entry point, so
    pages, the API, the admin, exports, imports and prefetches all give the same answer.
    """

    def scope_filter(self, user: Any, action: str = VIEW) -> Q:
        """Return the filter of the rows the user may ``action``: the model's restrict hook."""
        area = model_area(self.model, action)
        return unit_q(user, area, action, self.model.Scope.unit_field, self.model)

    def allows(self, user: Any, obj: models.Model, action: str = VIEW) -> bool:
        """The object side of :meth:`scope_filter`: may the user ``action`` on ``obj``?

        The unit rule is checked in Python; a queryset that overrides :meth:`scope_filter`
        without overriding this asks the database, so both sides never disagree.
        """
        if type(self).scope_filter is not ScopedQuerySet.scope_filter:
            return self.filter(self.scope_filter(user, action), pk=obj.pk).exists()
        return unit_allows(user, obj, action)

    def restrict(self, user: Any, action: str = VIEW) -> Self:
        narrowed = self.filter(self.scope_filter(user, action))
        if is_confidential(self.model):  # and the confidential area (longbien.confidential)
            unit_field = self.model.Scope.unit_field
            confidential = unit_q(user, Area.CONFIDENTIAL, action, unit_field, self.model)
            narrowed = narrowed.filter(confidential)
        return narrowed


def has_own_rule(model: type[models.Model]) -> bool:
    """Tell whether the model's queryset overrides the unit rule with a restrict hook."""
    queryset = type(model._default_manager.all())
    return getattr(queryset, "scope_filter", None) is not ScopedQuerySet.scope_filter


_LookupT = TypeVar("_LookupT", bound=str)
_QuerySetT = TypeVar("_QuerySetT", bound="models.QuerySet[Any] | None")
_ToAttrT = TypeVar("_ToAttrT", bound="str | None")


# Generic like django-stubs' Prefetch: the stubs' mypy plugin fails on a subclass without
# the three type parameters. Nothing changes at run time.
class RestrictedPrefetch(Prefetch, Generic[_LookupT, _QuerySetT, _ToAttrT]):
    """A ``Prefetch`` whose related records are narrowed by their model's ``restrict()``.

    After NetBox's ``utilities.querysets.RestrictedPrefetch``: a page that prefetches a
    record's related rows (a briefing's tasks, a document's implementing documents) shows only
    those the user may see, by the same rule as every other read.
    """

    def __init__(
        self,
        lookup: str,
        user: Any,
        queryset: models.QuerySet,
        action: str = VIEW,
        to_attr: str | None = None,
    ) -> None:
        self.restrict_user = user
        self.restrict_action = action
        super().__init__(lookup, queryset=queryset.restrict(user, action), to_attr=to_attr)


def is_unrestricted(queryset: models.QuerySet) -> bool:
    """Tell whether a queryset's filter keeps every row (it compiles to no WHERE clause)."""

    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        queryset.query.where.as_sql(compiler, compiler.connection)
    except FullResultSet:
        return True
    except EmptyResultSet:
        return False
    return False


def restrict_audit(entries: models.QuerySet, user: Any) -> models.QuerySet:
    """Narrow audit log entries to those of records the user may audit, by the scope rules.

    An entry is shown when its record passes the record model's ``restrict()`` for the user
    (its own hooks included) and lies in the user's audit scope; entries on models without a
    unit (accounts, terms, exports of a whole register) and on deleted records are shown only
    to a whole-tree audit scope.
    """
    # Imported when called: this module is loaded while the apps' models are (see above).
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    if not has_area(user, Area.AUDIT):
        return entries.none()
    whole_tree = "" in scope_paths(user, Area.AUDIT) or covers_a_root(user, Area.AUDIT)
    scoped = [
        model
        for model in apps.get_models()
        if hasattr(model, "Scope") and hasattr(model._default_manager.all(), "restrict")
    ]
    types = ContentType.objects.get_for_models(*scoped, for_concrete_models=False)
    allowed = nothing()
    for model in scoped:
        records = model._default_manager.restrict(user)
        if not whole_tree:
            records = records.filter(unit_q(user, Area.AUDIT, VIEW, model.Scope.unit_field))
        if is_unrestricted(records):
            allowed |= Q(content_type_id=types[model].pk)
        else:
            allowed |= Q(content_type_id=types[model].pk, object_id__in=records.values("pk"))
    if whole_tree:
        allowed |= ~Q(content_type_id__in=[ct.pk for ct in types.values()])
    return entries.filter(allowed)
