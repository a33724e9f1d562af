"""The route table: every URL pattern of the portal, how to request it, and who gets what.

``tests/core/test_route_matrix.py`` fails when a URL pattern has no entry here, so a new page
or endpoint cannot ship without its permission matrix. Each :class:`Route` says how to build
its URL from the records of :mod:`tests.route_data` (``side`` is ward A's records, in the ward
roles' scope, or ward B's, out of it), the status every role gets for GET and, where the route
takes writes, for its main write method. A role not named gets 403.

Keys are the URL names (``namespace:name``); an unnamed pattern, or a name shared by several
patterns (the API routers' roots), is keyed by its route. DRF's format-suffix twins
(``.json``) are covered by the entry of the pattern they repeat. Django's admin is one entry
(:data:`ADMIN_KEY`): its internals are Django's, and ``tests/core/test_admin_read_only.py``
covers its read-only rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ADMIN_PREFIX = "quan-tri/"
ADMIN_KEY = "admin"

DISTRICT = ["admin", "staff", "leadership", "inspection", "mass_mobilisation"]
WARD = ["ward_secretary", "ward_staff"]
LOGGED_IN = [*DISTRICT, *WARD]


def only(status: int, *roles: str) -> dict[str, int]:
    """``status`` for the roles named (everyone else: 403)."""
    return dict.fromkeys(roles, status)


def everyone(status: int, *, no_role: int | None = None, **overrides: int) -> dict[str, int]:
    """``status`` for every role with an area; ``no_role`` for the account without a role."""
    result = dict.fromkeys(LOGGED_IN, status)
    if no_role is not None:
        result["no_role"] = no_role
    return {**result, **overrides}


@dataclass(frozen=True)
class Write:
    """The main write of a route: method, per-role status, payload and what must not change.

    ``data`` builds a valid payload (bundle, side, role), so that a refused write would have
    changed something; ``model`` is the ``app_label.Model`` whose row count a refused write
    must leave alone, and ``record`` the object whose stored values must stay the same.
    ``audited`` gives the object (or, for a create, the model) whose audit row an accepted
    write must leave, written by the acting user.
    """

    expected: Mapping[str, int]
    method: str = "post"
    data: Callable[..., Any] | None = None
    anonymous: int = 302
    out: Mapping[str, int] | None = None
    model: str | None = None
    record: Callable[..., Any] | None = None
    audited: Callable[..., Any] | None = None
    json: bool = False


@dataclass(frozen=True)
class Route:
    key: str
    url: Callable[..., str]
    get: Mapping[str, int]
    anonymous: int = 302
    # The URL names a record: also requested with ward B's record (out of the ward roles'
    # scope); ``out`` overrides the expectation, which is otherwise 404 for the ward roles.
    scoped: bool = False
    out: Mapping[str, int] | None = None
    write: Write | None = None
    listing: bool = False
    note: str = ""
    # Who requests a listing for the query-count test (default: staff, else admin, else the
    # first role served): the role that sees its rows (the inspection role for cases).
    viewer: str = ""
    # Statuses observed that the access rules say are wrong: role -> what the route returns
    # today. The matrix asserts the correct value and names the defect in its message.
    defects: Mapping[str, str] = field(default_factory=dict)

    def out_expected(self) -> dict[str, int]:
        if self.out is not None:
            return dict(self.out)
        return {**self.get, **dict.fromkeys(WARD, 404)}


# --- walking the resolver -----------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            full = f"{namespace}:{name}" if namespace and name else name
            yield full or "", prefix + str(pattern.pattern)


def _is_format_twin(route: str) -> bool:
    return "(?P<format>" in route or "<drf_format_suffix:format>" in route


def _served_files() -> list[str]:
    """URL prefixes of static and media files (served by Django itself only with DEBUG on)."""
    from django.conf import settings

    return [
        prefix.lstrip("/")
        for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
        if prefix and prefix.strip("/")
    ]


def project_routes() -> dict[str, str]:
    """Return every URL pattern of the project as ``key -> route`` (see the module's doc)."""
    walked = [
        (name, route)
        for name, route in _walk(get_resolver().url_patterns)
        if not _is_format_twin(route)
    ]
    seen: dict[str, set[str]] = {}
    for name, route in walked:
        seen.setdefault(name, set()).add(route)
    keys: dict[str, str] = {}
    for name, route in walked:
        if route.startswith(ADMIN_PREFIX):
            keys[ADMIN_KEY] = ADMIN_PREFIX
        elif any(route.startswith(prefix) for prefix in _served_files()):
            continue
        elif not name or len(seen[name]) > 1:
            keys[f"{name or '-'} {route}"] = route
        else:
            keys[name] = route
    return keys


def _r(url_name: str, **kwargs: Any) -> str:
    return reverse(url_name, kwargs=kwargs or None)


def _named(url_name: str) -> Callable[..., str]:
    """The URL of a route without arguments."""
    return lambda b, s: _r(url_name)


def _on(url_name: str, attr: str) -> Callable[..., str]:
    """The URL of a route naming one of the side's records (by its primary key)."""
    return lambda b, s: _r(url_name, pk=getattr(s, attr).pk)


def _attr(attr: str) -> Callable[..., Any]:
    """One of the side's records."""
    return lambda b, s: getattr(s, attr)


def _ct(record: Any) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(record).pk


# --- the table ----------------------------------------------------------------------------
# url(b, s): b is the bundle of tests.route_data, s the side (ward A's or ward B's records).

ORG_VIEW = everyone(200)
ORG_CHANGE = only(200, "admin", "staff")
PEOPLE_VIEW = only(200, "admin", "staff", "leadership", "inspection", *WARD)
RES_VIEW = everyone(200)
RES_CHANGE = only(200, "admin", "staff", *WARD)
CADRES_VIEW = only(200, "admin", "staff", "leadership", *WARD)
CADRES_CHANGE = only(200, "admin", "staff", "ward_secretary")
# What a cadre's evaluation says: the evaluation chain (the ward's secretary, district staff),
# leadership and the cadre; a colleague in the ward's staff gets 404, as for an unknown record.
EVALUATION_VIEW = {**CADRES_VIEW, "ward_staff": 404}
EVALUATION_CHANGE = {**CADRES_CHANGE, "ward_staff": 404}
ADMIN_ONLY = only(200, "admin")


def statuses(base: Mapping[str, int], status: int, **overrides: int) -> dict[str, int]:
    """The roles of ``base`` with ``status`` instead (a write's outcome for the same roles)."""
    return {**dict.fromkeys(base, status), **overrides}


def _pdf(b: Any, s: Any, role: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.route_data import PDF

    return {"file": SimpleUploadedFile(f"{role}.pdf", PDF, content_type="application/pdf")}


def _unit_update(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {
        "code": s.cell.code, "name": f"Chi bộ đổi tên {role}", "kind": s.cell.kind,
        "parent": s.ward.pk, "reason": "Quyết định 12",
    }  # fmt: skip


def _term(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"code": "2030-2035", "name": "Nhiệm kỳ 2030-2035", "start_date": "2030-10-01",
            "end_date": "2035-09-30"}  # fmt: skip


def _reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"reason": f"Quyết định của {role}"}


def _progress(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"progress": 40, "note": f"Báo cáo của {role}"}


def _task_edit(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"title": f"Việc sửa bởi {role}", "deadline": "2026-04-01", "reason": "Điều chỉnh"}


def _empty(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {}


def _calendar(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"date": "2026-12-30", "kind": "day_off", "note": f"Nghỉ bù ({role})"}


def _plan_review(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"month": 1, "note": f"Nhận xét của {role}"}


def _self_assess(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"self_assessment": f"Tự nhận xét ({role})", "self_rating": "good"}


def _assess(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"superior_assessment": f"Nhận xét ({role})", "proposed_rating": "good"}


def _rating_with_reason(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"rating": "completed", "reason": f"Lý do của {role}"}


def _document_patch(b: Any, s: Any, role: str) -> dict[str, Any]:
    return {"title": f"Nghị quyết sửa bởi {role}"}


ROUTES: list[Route] = [
    # Accounts, language, the admin (non-staff accounts are sent to the admin's login).
    Route("login", lambda b, s: _r("login"), get=everyone(302, no_role=302), anonymous=200,
          write=Write(everyone(302, no_role=302), data=_empty, anonymous=200)),
    Route("logout", lambda b, s: _r("logout"), get=everyone(405, no_role=405), anonymous=405,
          write=Write(everyone(302, no_role=302), data=_empty)),
    Route("set_language", lambda b, s: _r("set_language"), get=everyone(302, no_role=302),
          write=Write(everyone(302, no_role=302), data=lambda b, s, r: {"language": "vi"})),
    Route(ADMIN_KEY, lambda b, s: _r("admin:index"), get=everyone(302, no_role=302),
          note="Only is_staff accounts enter the admin; none of the role accounts is."),
    # The API's schema, docs and routers' roots.
    Route("api:schema", lambda b, s: _r("api:schema"), get=everyone(200, no_role=200), anonymous=401),
    Route("api:docs", lambda b, s: _r("api:docs"), get=everyone(200, no_role=200), anonymous=401),
    Route("api:api-root api/v1/org/", lambda b, s: "/api/v1/org/", get=everyone(200, no_role=200),
          anonymous=401),
    Route("api:api-root api/v1/cadres/", lambda b, s: "/api/v1/cadres/", get=everyone(200, no_role=200),
          anonymous=401),
    Route("api:api-root api/v1/resolutions/", lambda b, s: "/api/v1/resolutions/", get=everyone(200, no_role=200),
          anonymous=401),
    # Org: units, people, terms, roles (pages).
    Route("org:unit_list", lambda b, s: _r("org:unit_list"), get=ORG_VIEW, listing=True),
    Route("org:unit_create", lambda b, s: _r("org:unit_create"), get=ORG_CHANGE,
          write=Write(ORG_CHANGE, data=_empty)),
    Route("org:unit_detail", lambda b, s: _r("org:unit_detail", code=s.cell.code), get=ORG_VIEW, scoped=True),
    Route("org:unit_update", lambda b, s: _r("org:unit_update", code=s.cell.code), get=ORG_CHANGE, scoped=True,
          write=Write(statuses(ORG_CHANGE, 302), data=_unit_update, model="org.OrgUnit",
                      record=lambda b, s: s.cell, audited=lambda b, s: s.cell)),
    Route("org:unit_close", lambda b, s: _r("org:unit_close", code=s.cell.code), get=ORG_CHANGE, scoped=True,
          write=Write(ORG_CHANGE, data=_empty, record=lambda b, s: s.cell)),
    Route("org:person_list", lambda b, s: _r("org:person_list"), get=PEOPLE_VIEW, listing=True),
    Route("org:person_create", lambda b, s: _r("org:person_create"), get=ORG_CHANGE,
          write=Write(ORG_CHANGE, data=_empty, model="org.Person")),
    Route("org:person_detail", lambda b, s: _r("org:person_detail", pk=s.person.pk), get=PEOPLE_VIEW, scoped=True),
    Route("org:person_update", lambda b, s: _r("org:person_update", pk=s.person.pk), get=ORG_CHANGE, scoped=True,
          write=Write(ORG_CHANGE, data=_empty, record=lambda b, s: s.person)),
    Route("org:person_position", lambda b, s: _r("org:person_position", pk=s.person.pk), get=ORG_CHANGE, scoped=True,
          write=Write(ORG_CHANGE, data=_empty, record=lambda b, s: s.person)),
    Route("org:term_list", lambda b, s: _r("org:term_list"), get=ORG_VIEW, listing=True),
    Route("org:term_create", lambda b, s: _r("org:term_create"), get=ADMIN_ONLY,
          write=Write(statuses(ADMIN_ONLY, 302), data=_term, model="org.Term",
                      audited=lambda b, s: "org.Term")),
    Route("org:role_list", lambda b, s: _r("org:role_list"), get=ADMIN_ONLY, listing=True),
    # Roles are the admin's; the ward roles have no roles area at all, so 403 on ward B too.
    Route("org:role_user", lambda b, s: _r("org:role_user", pk=s.role_user.pk), get=ADMIN_ONLY, scoped=True,
          out=ADMIN_ONLY, write=Write(ADMIN_ONLY, data=_empty, out=ADMIN_ONLY, model="org.RoleAssignment")),
    Route("org:role_revoke", lambda b, s: _r("org:role_revoke", pk=s.role_user.pk, assignment_pk=s.role_assignment.pk),
          get=ADMIN_ONLY, scoped=True, out=ADMIN_ONLY,
          write=Write(statuses(ADMIN_ONLY, 302), data=_reason, out=statuses(ADMIN_ONLY, 302),
                      model="org.RoleAssignment", audited=lambda b, s: s.role_assignment)),
    # Org API. A write to ward B's unit or person by a ward role is refused before the record
    # is looked up (403): the ward roles hold no change right in these areas anywhere.
    Route("api:org-unit-list", lambda b, s: _r("api:org-unit-list"), get=ORG_VIEW, anonymous=401, listing=True,
          write=Write(statuses(ORG_CHANGE, 400), data=_empty, anonymous=401, json=True, model="org.OrgUnit")),
    Route("api:org-unit-detail", lambda b, s: _r("api:org-unit-detail", code=s.cell.code), get=ORG_VIEW,
          anonymous=401, scoped=True,
          write=Write(statuses(ORG_CHANGE, 200), method="patch", anonymous=401, json=True,
                      data=lambda b, s, r: {"name": f"Chi bộ sửa bởi {r}"}, record=lambda b, s: s.cell,
                      out=statuses(ORG_CHANGE, 200),
                      audited=lambda b, s: s.cell)),
    Route("api:org-person-list", lambda b, s: _r("api:org-person-list"), get=PEOPLE_VIEW, anonymous=401,
          listing=True, write=Write(statuses(ORG_CHANGE, 400), data=_empty, anonymous=401, json=True,
                                    model="org.Person")),
    Route("api:org-person-detail", lambda b, s: _r("api:org-person-detail", pk=s.person.pk), get=PEOPLE_VIEW,
          anonymous=401, scoped=True,
          write=Write(statuses(ORG_CHANGE, 200), method="patch", anonymous=401, json=True,
                      data=lambda b, s, r: {"full_name": f"Lê Văn Sửa {r[:3]}"}, record=lambda b, s: s.person,
                      out=statuses(ORG_CHANGE, 200),
                      audited=lambda b, s: s.person)),
    Route("api:org-term-list", lambda b, s: _r("api:org-term-list"), get=ORG_VIEW, anonymous=401, listing=True,
          write=Write(statuses(ADMIN_ONLY, 201), data=_term, anonymous=401, json=True, model="org.Term",
                      audited=lambda b, s: "org.Term")),
    Route("api:org-term-detail", lambda b, s: _r("api:org-term-detail", pk=b.term.pk), get=ORG_VIEW, anonymous=401),
    Route("api:org-user-list", lambda b, s: _r("api:org-user-list"), get=ADMIN_ONLY, anonymous=401, listing=True),
    Route("api:org-user-detail", lambda b, s: _r("api:org-user-detail", pk=s.role_user.pk), get=ADMIN_ONLY,
          anonymous=401, scoped=True, out=ADMIN_ONLY),
    Route("api:org-user-roles", lambda b, s: _r("api:org-user-roles", pk=s.role_user.pk), get=ADMIN_ONLY,
          anonymous=401, scoped=True, out=ADMIN_ONLY,
          write=Write(statuses(ADMIN_ONLY, 400), data=_empty, anonymous=401, json=True, out=statuses(ADMIN_ONLY, 400),
                      model="org.RoleAssignment")),
    Route("api:org-user-role-revoke",
          lambda b, s: _r("api:org-user-role-revoke", pk=s.role_user.pk, assignment_pk=s.role_assignment.pk),
          get=only(405, "admin"), anonymous=401, scoped=True, out=only(405, "admin"),
          write=Write(statuses(ADMIN_ONLY, 204), data=_reason, anonymous=401, json=True,
                      out=statuses(ADMIN_ONLY, 204), model="org.RoleAssignment",
                      audited=lambda b, s: s.role_assignment)),
]  # fmt: skip

ROUTES += [
    # Resolutions (pages). Ward A's own document; the district's tasks assigned to each ward.
    Route("resolutions:document_list", lambda b, s: _r("resolutions:document_list"), get=RES_VIEW, listing=True),
    Route("resolutions:document_create", lambda b, s: _r("resolutions:document_create"), get=RES_CHANGE,
          write=Write(RES_CHANGE, data=_empty, model="resolutions.Document")),
    Route("resolutions:document_detail", lambda b, s: _r("resolutions:document_detail", pk=s.document.pk),
          get=RES_VIEW, scoped=True, listing=True),
    Route("resolutions:document_update", lambda b, s: _r("resolutions:document_update", pk=s.document.pk),
          get=RES_CHANGE, scoped=True,
          write=Write(RES_CHANGE, data=_empty, record=lambda b, s: s.document)),
    Route("resolutions:task_assign", lambda b, s: _r("resolutions:task_assign", pk=s.document.pk),
          get=RES_CHANGE, scoped=True, write=Write(RES_CHANGE, data=_empty, model="resolutions.Task")),
    Route("resolutions:review_create", lambda b, s: _r("resolutions:review_create", pk=s.document.pk),
          get=RES_CHANGE, scoped=True, write=Write(RES_CHANGE, data=_empty, model="resolutions.Review")),
    Route("resolutions:task_list", lambda b, s: _r("resolutions:task_list"), get=RES_VIEW, listing=True),
    # The task page takes progress reports (POST) from the resolutions area's writers.
    Route("resolutions:task_detail", lambda b, s: _r("resolutions:task_detail", pk=s.task.pk), get=RES_VIEW,
          scoped=True, listing=True,
          write=Write(statuses(RES_CHANGE, 302), data=_progress, model="resolutions.TaskUpdate",
                      record=lambda b, s: s.task, audited=lambda b, s: "resolutions.TaskUpdate")),
    # Editing a task's title and deadline belongs to the assigning (district) level.
    Route("resolutions:task_edit", lambda b, s: _r("resolutions:task_edit", pk=s.task.pk),
          get=only(200, "admin", "staff"), scoped=True,
          write=Write(only(302, "admin", "staff"), data=_task_edit, record=lambda b, s: s.task,
                      audited=lambda b, s: s.task)),
    Route("resolutions:overdue_board", lambda b, s: _r("resolutions:overdue_board"), get=RES_VIEW, listing=True),
    Route("resolutions:conference_list", lambda b, s: _r("resolutions:conference_list"), get=RES_VIEW, listing=True),
    Route("resolutions:conference_create", lambda b, s: _r("resolutions:conference_create"), get=RES_CHANGE,
          write=Write(RES_CHANGE, data=_empty, model="resolutions.Conference")),
    Route("resolutions:briefing_list", lambda b, s: _r("resolutions:briefing_list"), get=RES_VIEW, listing=True),
    Route("resolutions:briefing_create", lambda b, s: _r("resolutions:briefing_create"), get=RES_CHANGE,
          write=Write(RES_CHANGE, data=_empty, model="resolutions.Briefing")),
    Route("resolutions:briefing_detail", lambda b, s: _r("resolutions:briefing_detail", pk=s.briefing.pk),
          get=RES_VIEW, scoped=True, listing=True),
    Route("resolutions:briefing_issue_task", lambda b, s: _r("resolutions:briefing_issue_task", pk=s.issue.pk),
          get=RES_CHANGE, scoped=True, write=Write(RES_CHANGE, data=_empty, model="resolutions.Task")),
    # Resolutions API.
    Route("api:resolutions-document-list", lambda b, s: _r("api:resolutions-document-list"), get=RES_VIEW,
          anonymous=401, listing=True,
          write=Write(statuses(RES_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="resolutions.Document")),
    Route("api:resolutions-document-detail", lambda b, s: _r("api:resolutions-document-detail", pk=s.document.pk),
          get=RES_VIEW, anonymous=401, scoped=True,
          write=Write(statuses(RES_CHANGE, 200), method="patch", data=_document_patch, anonymous=401, json=True,
                      record=lambda b, s: s.document, audited=lambda b, s: s.document)),
    Route("api:resolutions-task-list", lambda b, s: _r("api:resolutions-task-list"), get=RES_VIEW, anonymous=401,
          listing=True, write=Write(statuses(RES_CHANGE, 400), data=_empty, anonymous=401, json=True,
                                    model="resolutions.Task")),
    Route("api:resolutions-task-detail", lambda b, s: _r("api:resolutions-task-detail", pk=s.task.pk),
          get=RES_VIEW, anonymous=401, scoped=True),
    Route("api:resolutions-task-progress", lambda b, s: _r("api:resolutions-task-progress", pk=s.task.pk),
          get=statuses(RES_VIEW, 405), anonymous=401, scoped=True, out=statuses(RES_VIEW, 405),
          write=Write(statuses(RES_CHANGE, 200), data=_progress, anonymous=401, json=True,
                      model="resolutions.TaskUpdate", record=lambda b, s: s.task,
                      audited=lambda b, s: "resolutions.TaskUpdate")),
    Route("api:resolutions-conference-list", lambda b, s: _r("api:resolutions-conference-list"), get=RES_VIEW,
          anonymous=401, listing=True,
          write=Write(statuses(RES_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="resolutions.Conference")),
    Route("api:resolutions-conference-detail",
          lambda b, s: _r("api:resolutions-conference-detail", pk=s.conference.pk),
          get=RES_VIEW, anonymous=401, scoped=True),
    Route("api:resolutions-briefing-list", lambda b, s: _r("api:resolutions-briefing-list"), get=RES_VIEW,
          anonymous=401, listing=True,
          write=Write(statuses(RES_CHANGE, 400), data=_empty, anonymous=401, json=True,
                      model="resolutions.Briefing")),
    Route("api:resolutions-briefing-detail", lambda b, s: _r("api:resolutions-briefing-detail", pk=s.briefing.pk),
          get=RES_VIEW, anonymous=401, scoped=True),
    # Procedures: each role adds the procedures of its own field; ward A's "office" procedure
    # is changed by the district's office (staff) only.
    Route("procedures:list", lambda b, s: _r("procedures:list"), get=RES_VIEW, listing=True),
    Route("procedures:create", lambda b, s: _r("procedures:create"),
          get=only(200, "admin", "staff", "inspection", "mass_mobilisation", *WARD),
          write=Write(only(200, "admin", "staff", "inspection", "mass_mobilisation", *WARD), data=_empty,
                      model="procedures.Procedure")),
    Route("procedures:detail", lambda b, s: _r("procedures:detail", pk=s.procedure.pk), get=RES_VIEW, scoped=True),
    Route("procedures:update", lambda b, s: _r("procedures:update", pk=s.procedure.pk), get=ORG_CHANGE,
          scoped=True, write=Write(ORG_CHANGE, data=_empty, record=lambda b, s: s.procedure)),
    Route("api:procedure-list", lambda b, s: _r("api:procedure-list"), get=RES_VIEW, anonymous=401, listing=True),
    Route("api:procedure-detail", lambda b, s: _r("api:procedure-detail", pk=s.procedure.pk), get=RES_VIEW,
          anonymous=401, scoped=True),
    # Attachments, here on people (personal data): a record one may not see is "not found".
    Route("attachment_download", lambda b, s: _r("attachment_download", pk=s.attachment.pk),
          get={**PEOPLE_VIEW, "mass_mobilisation": 404, "no_role": 404}, scoped=True),
    Route("attachment_delete", lambda b, s: _r("attachment_delete", pk=s.attachment.pk),
          get=everyone(405, no_role=405), scoped=True,
          out={**everyone(405, no_role=405)},
          write=Write(only(302, "admin", "staff") | {"mass_mobilisation": 404, "no_role": 404},
                      data=_empty, model="attachments.Attachment", record=lambda b, s: s.attachment,
                      audited=lambda b, s: s.attachment)),
    Route("attachment_upload",
          lambda b, s: _r("attachment_upload", content_type_id=_ct(s.person), object_id=s.person.pk),
          get=everyone(405, no_role=405), scoped=True, out=everyone(405, no_role=405),
          write=Write(only(302, "admin", "staff") | {"mass_mobilisation": 404, "no_role": 404},
                      data=_pdf, model="attachments.Attachment", audited=lambda b, s: "attachments.Attachment")),
]  # fmt: skip

CADRES_CHANGE_OUT = {**CADRES_CHANGE, "ward_secretary": 404}  # ward staff: no change at all
CADRES_ACTION = statuses(CADRES_VIEW, 405)


def _cadres_pages() -> list[Route]:
    routes = [
        Route(
            f"cadres:{name}",
            _named(f"cadres:{name}"),
            get=CADRES_VIEW,
            listing=True,
        )
        for name in (
            "evaluation_list",
            "decision_list",
            "test_list",
            "plan_list",
            "assignment_list",
            "training_list",
        )
    ]
    routes.append(
        Route("cadres:distribution", lambda b, s: _r("cadres:distribution"), get=CADRES_VIEW)
    )
    models = {
        "evaluation_create": "cadres.Evaluation",
        "decision_create": "cadres.PersonnelDecision",
        "test_create": "cadres.QualificationTest",
        "plan_create": "cadres.SelfImprovementPlan",
        "assignment_create": "cadres.TaskAssignment",
        "training_create": "cadres.TrainingClass",
    }
    routes += [
        Route(
            f"cadres:{name}",
            _named(f"cadres:{name}"),
            get=CADRES_CHANGE,
            write=Write(CADRES_CHANGE, data=_empty, model=model),
        )
        for name, model in models.items()
    ]
    routes.append(
        Route(
            "cadres:evaluation_grid",
            lambda b, s: _r("cadres:evaluation_grid"),
            get=CADRES_CHANGE,
            write=Write(statuses(CADRES_CHANGE, 302), data=_empty),
        )
    )
    steps = {
        "evaluation_self_assess": ("evaluation_draft", _self_assess),
        "evaluation_assess": ("evaluation_self", _assess),
        "evaluation_approve": ("evaluation_assessed", lambda b, s, r: {"rating": ""}),
        "evaluation_return": ("evaluation_assessed", _reason),
        "evaluation_revise": ("evaluation_approved", _rating_with_reason),
        "evaluation_rate_unassessed": ("evaluation_draft", _rating_with_reason),
    }
    for name, (attr, data) in steps.items():
        record = _attr(attr)
        accepted = 302 if data is not _empty else 200
        routes.append(
            Route(
                f"cadres:{name}",
                _on(f"cadres:{name}", attr),
                get=EVALUATION_CHANGE,
                scoped=True,
                write=Write(
                    statuses(CADRES_CHANGE, accepted, ward_staff=404),
                    data=data,
                    record=record,
                    audited=record if data is not _empty else None,
                ),
            )
        )
    return routes


ROUTES += _cadres_pages()
ROUTES += [
    Route("cadres:evaluation_detail", lambda b, s: _r("cadres:evaluation_detail", pk=s.evaluation_draft.pk),
          get=EVALUATION_VIEW, scoped=True),
    Route("cadres:person_history", lambda b, s: _r("cadres:person_history", pk=s.person.pk), get=CADRES_VIEW,
          scoped=True),
    # The test page takes the session's scores (POST).
    Route("cadres:test_detail", lambda b, s: _r("cadres:test_detail", pk=s.test.pk), get=CADRES_VIEW, scoped=True, listing=True,
          write=Write(statuses(CADRES_CHANGE, 400), data=_empty, record=lambda b, s: s.test)),
    Route("cadres:test_add_participants", lambda b, s: _r("cadres:test_add_participants", pk=s.test.pk),
          get=CADRES_CHANGE, scoped=True, out=CADRES_CHANGE_OUT,
          write=Write(CADRES_CHANGE, data=_empty, out=CADRES_CHANGE_OUT, model="cadres.TestParticipant")),
    Route("cadres:plan_detail", lambda b, s: _r("cadres:plan_detail", pk=s.plan.pk), get=CADRES_VIEW, scoped=True),
    Route("cadres:plan_review", lambda b, s: _r("cadres:plan_review", pk=s.plan.pk), get=CADRES_CHANGE,
          scoped=True, out=CADRES_CHANGE_OUT,
          write=Write(statuses(CADRES_CHANGE, 302), data=_plan_review, out=statuses(CADRES_CHANGE_OUT, 302, ward_secretary=404),
                      model="cadres.PlanReview", audited=lambda b, s: "cadres.PlanReview")),
    # Heads' plans are posted publicly (no login).
    Route("cadres:public_plans", lambda b, s: _r("cadres:public_plans", code=s.ward.code),
          get=everyone(200, no_role=200), anonymous=200),
    Route("cadres:assignment_result", lambda b, s: _r("cadres:assignment_result", pk=s.assignment.pk),
          get=CADRES_CHANGE, scoped=True, out=CADRES_CHANGE_OUT,
          write=Write(CADRES_CHANGE, data=_empty, out=CADRES_CHANGE_OUT, record=lambda b, s: s.assignment)),
    # The class page takes completions (POST).
    Route("cadres:training_detail", lambda b, s: _r("cadres:training_detail", pk=s.training.pk), get=CADRES_VIEW,
          scoped=True, listing=True, write=Write(statuses(CADRES_CHANGE, 302), data=_empty, record=lambda b, s: s.training)),
    Route("cadres:training_enrol", lambda b, s: _r("cadres:training_enrol", pk=s.training.pk), get=CADRES_CHANGE,
          scoped=True, out=CADRES_CHANGE_OUT,
          write=Write(CADRES_CHANGE, data=_empty, out=CADRES_CHANGE_OUT, model="cadres.TrainingParticipant")),
]  # fmt: skip


def _cadres_api() -> list[Route]:
    lists = {
        "evaluation": "cadres.Evaluation",
        "decision": "cadres.PersonnelDecision",
        "test": "cadres.QualificationTest",
        "plan": "cadres.SelfImprovementPlan",
        "assignment": "cadres.TaskAssignment",
        "training": "cadres.TrainingClass",
    }
    details = {
        "evaluation": "evaluation_draft",
        "decision": "decision",
        "test": "test",
        "plan": "plan",
        "assignment": "assignment",
        "training": "training",
    }
    routes = []
    for kind, model in lists.items():
        routes.append(
            Route(
                f"api:cadres-{kind}-list",
                _named(f"api:cadres-{kind}-list"),
                get=CADRES_VIEW,
                anonymous=401,
                listing=True,
                write=Write(
                    statuses(CADRES_CHANGE, 400), data=_empty, anonymous=401, json=True, model=model
                ),
            )
        )
        attr = details[kind]
        routes.append(
            Route(
                f"api:cadres-{kind}-detail",
                _on(f"api:cadres-{kind}-detail", attr),
                get=EVALUATION_VIEW if kind == "evaluation" else CADRES_VIEW,
                anonymous=401,
                scoped=True,
            )
        )
    actions = {
        # name: (record attribute, GET allowed, payload, accepted status)
        "evaluation-self-assess": ("evaluation_draft", False, _self_assess, 200),
        "evaluation-assess": ("evaluation_self", False, _assess, 200),
        "evaluation-approve": ("evaluation_assessed", False, _empty, 200),
        "evaluation-return-": ("evaluation_assessed", False, _reason, 200),
        "test-participants": ("test", True, _empty, 400),
        "test-scores": ("test", False, _empty, 400),
        "plan-review": ("plan", False, _empty, 400),
        "assignment-result": ("assignment", False, _empty, 400),
        "training-participants": ("training", True, _empty, 400),
        "training-completion": ("training", False, _empty, 400),
    }
    for name, (attr, readable, data, accepted) in actions.items():
        record = _attr(attr)
        out = statuses(CADRES_CHANGE_OUT, accepted, ward_secretary=404)
        routes.append(
            Route(
                f"api:cadres-{name}",
                _on(f"api:cadres-{name}", attr),
                get=CADRES_VIEW if readable else CADRES_ACTION,
                anonymous=401,
                scoped=True,
                out=None
                if readable
                else {**CADRES_ACTION, "ward_secretary": 405, "ward_staff": 405},
                write=Write(
                    statuses(CADRES_CHANGE, accepted),
                    data=data,
                    anonymous=401,
                    json=True,
                    out=out,
                    record=record,
                    audited=record if accepted == 200 else None,
                ),
            )
        )
    return routes


ROUTES += _cadres_api()
ROUTES += [
    # The kernel's pages.
    # The home page lists each user's work: a bounded number of queries however much waits.
    Route("home", lambda b, s: _r("home"), get=everyone(200, no_role=200), listing=True),
    Route("search", lambda b, s: _r("search") + "?q=phuong", get=everyone(200, no_role=200)),
    # The pickers' lookups (/tra-cuu/<name>/?q=): JSON hits within the user's scope, empty
    # outside it (tests/core/test_pickers.py checks the hits, the scope and the forms).
    Route("lookup", lambda b, s: _r("lookup", name="can-bo") + "?q=a", get=everyone(200, no_role=200)),
    # Choosing a unit to work on: a unit out of scope is refused exactly as a code that does
    # not exist (403 both), so the answer discloses nothing.
    Route("choose_unit", lambda b, s: _r("choose_unit"), get=everyone(405, no_role=405), scoped=True,
          out=everyone(405, no_role=405),
          write=Write(everyone(302), data=lambda b, s, r: {"unit": s.ward.code},
                      out={**everyone(302), **dict.fromkeys(WARD, 403)})),
    # The column chooser of a register's table: the user's own choice, kept in their session.
    Route("table_columns", lambda b, s: _r("table_columns"), get=everyone(405, no_role=405),
          anonymous=405,
          write=Write(everyone(302, no_role=302), data=lambda b, s, r: {
              "table": "resolutions.tables.TaskTable", "columns": ["unit"], "next": "/"})),
    Route("audit_log", lambda b, s: _r("audit_log"), get=ADMIN_ONLY, listing=True),
    Route("notifications", lambda b, s: _r("notifications"), get=everyone(200, no_role=200), listing=True,
          write=Write(everyone(302, no_role=302), data=_empty)),
    # Exporting the people register in bulk is a change-level right (personal data).
    Route("io_export", lambda b, s: _r("io_export", name="people") + "?format=csv", get=ORG_CHANGE),
    Route("io_import", lambda b, s: _r("io_import", name="people"), get=ORG_CHANGE,
          write=Write(ORG_CHANGE, data=_empty, model="org.Person")),
    # A background import is seen by the account that started it only (the staff user here),
    # who alone may abandon it (its file is deleted); apply is the same form's other button.
    Route("io_job", lambda b, s: _r("io_job", pk=b.import_job.pk),
          get={**everyone(404, no_role=404), "staff": 200},
          write=Write({**everyone(404, no_role=404), "staff": 302},
                      data=lambda b, s, r: {"abandon": "1"}, record=lambda b, s: b.import_job)),
    Route("calendar_days", lambda b, s: _r("calendar_days"), get=ORG_CHANGE,
          write=Write(statuses(ORG_CHANGE, 302), data=_calendar, model="core.CalendarDay",
                      audited=lambda b, s: "core.CalendarDay")),
    Route("calendar_day_delete", lambda b, s: _r("calendar_day_delete", pk=b.calendar_day.pk),
          get=everyone(405, no_role=405),
          write=Write(statuses(ORG_CHANGE, 302), data=_empty, model="core.CalendarDay",
                      record=lambda b, s: b.calendar_day, audited=lambda b, s: b.calendar_day)),
    Route("healthz", lambda b, s: _r("healthz"), get=everyone(200, no_role=200), anonymous=200),
]  # fmt: skip


def _print_of(page: str, key: str, url: Callable[..., str]) -> Route:
    """A print view: exactly the access of the page it prints (same selectors, same scope)."""
    source = next(route for route in ROUTES if route.key == page)
    return replace(source, key=key, url=url, write=None, listing=False,
                   note=f"The print layout of {page}: the same access.")  # fmt: skip


ROUTES += [
    _print_of("cadres:evaluation_detail", "cadres:evaluation_print",
              lambda b, s: _r("cadres:evaluation_print", pk=s.evaluation_draft.pk)),
    _print_of("resolutions:overdue_board", "resolutions:overdue_print",
              lambda b, s: _r("resolutions:overdue_print")),
]  # fmt: skip

BY_KEY: dict[str, Route] = {route.key: route for route in ROUTES}

# The inspections app's routes, kept beside its tests (tests/inspections/routes.py).
from tests.dialogues.routes import ROUTES as _DIALOGUE_ROUTES  # noqa: E402
from tests.inspections.routes import ROUTES as _INSPECTION_ROUTES  # noqa: E402
from tests.reporting.routes import ROUTES as _REPORT_ROUTES  # noqa: E402
from tests.reporting.routes_api import ROUTES as _REPORT_API_ROUTES  # noqa: E402
from tests.reporting.routes_board import ROUTES as _REPORT_BOARD_ROUTES  # noqa: E402
from tests.reporting.routes_dashboard import ROUTES as _DASHBOARD_ROUTES  # noqa: E402
from tests.reporting.routes_term import ROUTES as _TERM_ROUTES  # noqa: E402

ROUTES += _INSPECTION_ROUTES + _DIALOGUE_ROUTES
ROUTES += (
    _REPORT_ROUTES + _REPORT_BOARD_ROUTES + _REPORT_API_ROUTES + _DASHBOARD_ROUTES + _TERM_ROUTES
)
BY_KEY = {route.key: route for route in ROUTES}
