"""Records for the route table: one of each kind in ward A (in scope) and in ward B (out of scope).

The ward roles of :mod:`tests.conftest` sit on ward A; ward B's records are out of their scope.
Everything is created through the services, by the whole-district staff user, so the data is
what the portal itself would write.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from longbien.org.choices import Role, UnitKind
from longbien.org.models import OrgUnit, Person, RoleAssignment, Term, User
from tests.conftest import Tree, make_unit, make_user

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@dataclass
class Side:
    """One ward's records (ward A: in the ward roles' scope; ward B: out of it)."""

    ward: OrgUnit
    cell: OrgUnit
    person: Person
    document: Any
    task: Any
    conference: Any
    briefing: Any
    issue: Any
    procedure: Any
    attachment: Any
    evaluation_draft: Any
    evaluation_self: Any
    evaluation_assessed: Any
    evaluation_approved: Any
    decision: Any
    test: Any
    plan: Any
    assignment: Any
    training: Any
    role_user: User
    role_assignment: RoleAssignment
    # The inspections app's records (tests/inspections/route_data.py).
    insp: Any = None
    # The dialogues app's records (tests/dialogues/route_data.py).
    dlg: Any = None
    # The quarterly reports of 2026, one per state (tests/reporting/route_data.py).
    rep: Any = None


@dataclass
class Bundle:
    tree: Tree
    users: dict[str, User]
    a: Side
    b: Side
    district_document: Any
    term: Term
    calendar_day: Any
    import_job: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def side(self, where: str) -> Side:
        return self.a if where == "a" else self.b


def build_tree() -> Tree:
    root = make_unit("QU", UnitKind.DISTRICT_COMMITTEE, name="Quận ủy Thử")
    ward_a = make_unit("P-A", UnitKind.WARD_COMMITTEE, root, "Đảng ủy phường Ánh Dương")
    ward_b = make_unit("P-B", UnitKind.WARD_COMMITTEE, root, "Đảng ủy phường Bình Minh")
    return Tree(
        root=root,
        ward_a=ward_a,
        ward_b=ward_b,
        cell_a1=make_unit("CB-A1", parent=ward_a, name="Chi bộ A1"),
        cell_b1=make_unit("CB-B1", parent=ward_b, name="Chi bộ B1"),
    )


def build_users(tree: Tree) -> dict[str, User]:
    """One user per role, as the ``users`` fixture of :mod:`tests.conftest`."""
    return {
        "admin": make_user("admin", Role.ADMIN, tree.root),
        "staff": make_user("staff", Role.STAFF, tree.root),
        "leadership": make_user("leadership", Role.LEADERSHIP, tree.root),
        "inspection": make_user("inspection", Role.INSPECTION, tree.root),
        "mass_mobilisation": make_user("mass", Role.MASS_MOBILISATION, tree.root),
        "ward_secretary": make_user("secretary_a", Role.WARD_SECRETARY, tree.ward_a),
        "ward_staff": make_user("wardstaff_a", Role.WARD_STAFF, tree.ward_a),
        "no_role": make_user("norole"),
    }


def _person(code: str, unit: OrgUnit, name: str) -> Person:
    person = Person(
        code=code, full_name=name, sex="male", unit=unit,
        party_member_since=dt.date(2010, 5, 19),
    )  # fmt: skip
    person.save()
    return person


def _side(letter: str, ward: OrgUnit, cell: OrgUnit, staff: User, district_doc: Any) -> Side:
    from cadres import services as cadres
    from cadres.choices import DecisionKind, Rating
    from longbien.attachments import services as attachments
    from longbien.procedures import services as procedures
    from resolutions import services as resolutions
    from resolutions.choices import DocumentKind

    up = letter.upper()
    person = _person(f"CB{up}", cell, f"Lê Văn {up}")
    document = resolutions.document_create(
        actor=staff, symbol="01-NQ/ĐU", kind=DocumentKind.THEMATIC_RESOLUTION, issuing_unit=ward,
        title=f"Nghị quyết phường {up}", signed_date=dt.date(2026, 1, 10),
    )  # fmt: skip
    (task,) = resolutions.task_assign(
        actor=staff, document=district_doc, units=[ward], title=f"Việc phường {up}",
        deadline=dt.date(2026, 3, 2),
    )  # fmt: skip
    conference = resolutions.conference_record(
        actor=staff, document=district_doc, unit=ward, held_on=dt.date(2026, 2, 2),
        expected_attendees=40, present_attendees=38,
    )  # fmt: skip
    briefing = resolutions.briefing_record(
        actor=staff, unit=ward, kind="thematic", held_on=dt.date(2026, 2, 3), attendees="x",
        issues=[{"text": f"Vấn đề phường {up}"}],
    )  # fmt: skip
    procedure = procedures.procedure_create(
        actor=staff, code=f"QT-{up}", name=f"Quy trình phường {up}", kind="procedure",
        area="office", level="grassroots", effective_date=dt.date(2016, 1, 1), owner_unit=ward,
    )  # fmt: skip
    attachment = attachments.attachment_add(
        actor=staff, record=person,
        upload=SimpleUploadedFile(f"ho-so-{letter}.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip

    def month(number: int):
        return cadres.evaluation_create(actor=staff, person=person, year=2026, month=number)

    draft = month(1)
    self_assessed = cadres.evaluation_self_assess(
        actor=staff, evaluation=month(2), self_assessment="Hoàn thành", self_rating=Rating.GOOD
    )
    assessed = cadres.evaluation_assess(
        actor=staff,
        evaluation=cadres.evaluation_self_assess(
            actor=staff, evaluation=month(3), self_assessment="Tốt", self_rating=Rating.GOOD
        ),
        superior_assessment="Tốt", proposed_rating=Rating.GOOD,
    )  # fmt: skip
    approved = cadres.evaluation_approve(
        actor=staff,
        evaluation=cadres.evaluation_assess(
            actor=staff,
            evaluation=cadres.evaluation_self_assess(
                actor=staff, evaluation=month(4), self_assessment="Tốt", self_rating=Rating.GOOD
            ),
            superior_assessment="Tốt", proposed_rating=Rating.GOOD,
        ),
    )  # fmt: skip
    decision = cadres.decision_create(
        actor=staff, person=person, kind=DecisionKind.APPOINTMENT, symbol=f"{ord(up) - 60}-QĐ/QU",
        decision_date=dt.date(2026, 1, 5), to_unit=cell,
    )  # fmt: skip
    test = cadres.test_create(
        actor=staff, unit=ward, subject=f"Sát hạch phường {up}", held_on=dt.date(2026, 2, 10)
    )
    cadres.test_add_participants(actor=staff, test=test, people=[person])
    plan = cadres.plan_create(actor=staff, person=person, year=2026, commitments="Học tập")
    assignment = cadres.assignment_create(actor=staff, person=person, year=2026, task="Dân vận")
    training = cadres.training_create(
        actor=staff, unit=ward, name=f"Lớp phường {up}", start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 5),
    )  # fmt: skip
    cadres.training_enrol(actor=staff, training=training, people=[person])
    role_user = make_user(f"vaitro_{letter}", Role.WARD_STAFF, ward)
    return Side(
        ward=ward, cell=cell, person=person, document=document, task=task,
        conference=conference, briefing=briefing, issue=briefing.issues.get(),
        procedure=procedure, attachment=attachment, evaluation_draft=draft,
        evaluation_self=self_assessed, evaluation_assessed=assessed,
        evaluation_approved=approved, decision=decision, test=test, plan=plan,
        assignment=assignment, training=training, role_user=role_user,
        role_assignment=role_user.role_assignments.get(),
    )  # fmt: skip


def build_bundle() -> Bundle:
    from longbien.core.calendar_days import calendar_day_set
    from longbien.core.models import CalendarDay, ImportJob
    from resolutions import services as resolutions
    from resolutions.choices import DocumentKind

    tree = build_tree()
    users = build_users(tree)
    staff = users["staff"]
    district_doc = resolutions.document_create(
        actor=staff, symbol="01-NQ/QU", kind=DocumentKind.RESOLUTION, issuing_unit=tree.root,
        title="Nghị quyết của Quận ủy", signed_date=dt.date(2026, 1, 8),
    )  # fmt: skip
    side_a = _side("a", tree.ward_a, tree.cell_a1, staff, district_doc)
    side_b = _side("b", tree.ward_b, tree.cell_b1, staff, district_doc)
    from tests.inspections import route_data as inspections

    # The district inspection user heads the Inspection Committee (reads the access log).
    RoleAssignment.objects.filter(user=users["inspection"]).update(heads_committee=True)

    from tests.dialogues import route_data as dialogues

    for letter, side in (("a", side_a), ("b", side_b)):
        side.insp = inspections.build(
            letter, side.ward, side.cell, side.person, staff, users["inspection"]
        )
        side.dlg = dialogues.build(letter, side.ward, side.cell, staff)
    from tests.reporting import route_data as reports

    side_a.rep = reports.build("a", side_a.ward, staff, users["ward_secretary"])
    side_b.rep = reports.build("b", side_b.ward, staff, None)
    term = Term.objects.create(
        code="2025-2030", name="Nhiệm kỳ 2025-2030", start_date=dt.date(2025, 10, 1),
        end_date=dt.date(2030, 9, 30),
    )  # fmt: skip
    day = calendar_day_set(
        actor=users["admin"], date=dt.date(2026, 12, 31), kind=CalendarDay.Kind.DAY_OFF, note="Bù"
    )
    job = ImportJob.objects.create(
        user=staff, register="people", path="imports/none.csv", fmt="csv", filename="x.csv",
        status=ImportJob.Status.DONE,
    )  # fmt: skip
    return Bundle(
        tree=tree, users=users, a=side_a, b=side_b, district_document=district_doc, term=term,
        calendar_day=day, import_job=job,
    )  # fmt: skip


@contextmanager
def rolled_back():
    """Run the block in a transaction that is always rolled back.

    Marked as a test case's block, so services that demand to be the outermost transaction
    (``durable=True``) still run inside it, as they do inside pytest-django's ``db``.
    """
    atomic = transaction.atomic()
    atomic._from_testcase = True
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
