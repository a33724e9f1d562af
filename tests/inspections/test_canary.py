"""THE canary test: a recognisable string planted in confidential cases never reaches anyone
but the inspection role, nor the logs or the Celery task arguments of anyone.

The string is planted in a case's summary, its conclusion, a refusal reason, an extension's
reason and an attached file's name, description and content. Then every other role (the
administrator, a superuser, staff, leadership, mass mobilisation, the ward roles, an account
without a role) requests every GET route of the route table (tests/routes.py), every export
register, the admin's lists, the global search (for the canary and for the case's paper
reference), the audit log, notifications and home. The canary appears zero times in every
response body, in the application log captured at DEBUG for every logger, in every Celery
task's arguments, in the e-mails sent, and in the notifications and audit entries shown to
them. The inspection role's own session leaves it in no log and no task argument either.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import pytest
from auditlog.models import LogEntry
from celery import Celery, signals
from celery.app.task import Task
from django.contrib import admin
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.base import VariableDoesNotExist
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse

from inspections import services
from inspections.choices import CaseKind, CaseOutcome, DisciplineForm, SubjectType
from longbien import confidential
from longbien.attachments.services import attachment_add
from longbien.audit import audit_rows
from longbien.core import io
from longbien.core.models import Notification
from tests.conftest import make_user
from tests.route_data import PDF, build_bundle, rolled_back
from tests.routes import ROUTES

CANARY = "CANARY-7f3e9"
# The control string: same shape, planted nowhere (a page echoing the query shows it as often).
DECOY = "CANARY-0000x"
REFERENCE = "HS-7F3E9/2026"
DECOY_REFERENCE = "HS-00000/2026"
OTHERS = ["admin", "superuser", "staff", "leadership", "mass_mobilisation", "ward_secretary",
          "ward_staff", "no_role"]  # fmt: skip
BACKEND = "longbien.org.backends.PersonModelBackend"
# About 40 s alone on the machine it was written on; CI shares two cores, and a machine two
# and a half times slower (2026-12-01) took 152 s beside another worker: a bound on a
# runaway sweep, below the test timeout (300 s), not a speed target.
TIME_BUDGET = 280.0


def _found(text: Any, needle: str = CANARY) -> int:
    """How often ``needle`` appears (any case: folded columns hold it lower-cased)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).lower().count(needle.lower())


# --- What leaves the request: the log and the Celery tasks ----------------------------------


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        # django.template's DEBUG record of a missing variable carries the repr of the whole
        # template context (every queryset of the page evaluated again). In the other roles'
        # session that context is what the page rendered (checked in the response), so only
        # the variable's name is kept, for speed; the inspection role's session keeps it all.
        self.full_template_context = True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string still shows its parts
            message = f"{record.msg!r} {record.args!r}"
        extra = record.exc_text or ""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, VariableDoesNotExist) and not self.full_template_context:
            extra += f"VariableDoesNotExist {error.params[:1]!r}"
        elif error is not None:
            extra += repr(error)
        self.lines.append(f"{record.name} {record.levelname} {message} {extra}")


class Recorder:
    """The captured application log, Celery task calls and e-mails."""

    def __init__(self) -> None:
        self.log = _Capture()
        self.tasks: list[str] = []

    def text(self) -> str:
        mails = [
            f"{m.subject} {m.body} {getattr(m, 'alternatives', '')} {m.to}" for m in mail.outbox
        ]
        return "\n".join([*self.log.lines, *self.tasks, *mails])

    def tasks_text(self) -> str:
        return "\n".join(self.tasks)


@contextmanager
def recording():
    """Capture every logger at DEBUG, every task sent or applied, the e-mails."""
    recorder = Recorder()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    root = logging.getLogger()
    saved = [(logger, logger.level, logger.disabled, logger.propagate) for logger in loggers]
    for logger in loggers:
        # Every logger at DEBUG, each one handing its records to the capture directly (not
        # through the root's handlers, which would format every record a second time).
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        logger.addHandler(recorder.log)
        if logger is not root:
            logger.propagate = False
    original_apply, original_send = Task.apply_async, Celery.send_task

    def apply_async(task, args=None, kwargs=None, *rest, **options):
        recorder.tasks.append(f"{task.name} {args!r} {kwargs!r} {rest!r} {options!r}")
        return original_apply(task, args, kwargs, *rest, **options)

    def send_task(app, name, args=None, kwargs=None, *rest, **options):
        recorder.tasks.append(f"{name} {args!r} {kwargs!r} {rest!r} {options!r}")
        return original_send(app, name, args, kwargs, *rest, **options)

    def published(sender=None, body=None, headers=None, **kwargs):
        recorder.tasks.append(f"{sender} {body!r} {headers!r}")

    signals.before_task_publish.connect(published, weak=False)
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(Task, "apply_async", apply_async))
        stack.enter_context(mock.patch.object(Celery, "send_task", send_task))
        try:
            yield recorder
        finally:
            signals.before_task_publish.disconnect(published)
            for logger, level, disabled, propagate in saved:
                logger.setLevel(level)
                logger.disabled = disabled
                logger.propagate = propagate
                logger.removeHandler(recorder.log)


# --- The records -------------------------------------------------------------------------------


def _plant(bundle: Any) -> dict[str, Any]:
    """Cases of ward A carrying the canary everywhere a case holds text or files."""
    inspector, side = bundle.users["inspection"], bundle.a

    def receive(reference: str) -> Any:
        return services.case_receive(
            actor=inspector, kind=CaseKind.DENUNCIATION, received_on=dt.date(2026, 2, 2),
            paper_reference=reference, subject_type=SubjectType.MEMBER, person=side.person,
            unit=side.cell, summary=f"Tố cáo đảng viên {CANARY} nhận tiền của doanh nghiệp.",
            handling_body=side.ward,
        )  # fmt: skip

    case = receive(REFERENCE)
    services.case_extend(
        actor=inspector, case=case, new_due_on=case.due_on + dt.timedelta(days=30),
        reason=f"Cần xác minh thêm tài khoản {CANARY}",
    )  # fmt: skip
    attachment_add(
        actor=inspector, record=case, description=f"Biên bản {CANARY}",
        upload=SimpleUploadedFile(
            f"{CANARY}.pdf", PDF + f"%{CANARY}\n".encode(), content_type="application/pdf"
        ),
    )  # fmt: skip
    concluded = receive("HS-7F3E9/2026-B")
    services.case_verify(
        actor=inspector, case=services.case_accept(actor=inspector, case=concluded)
    )
    concluded.refresh_from_db()
    services.case_conclude(
        actor=inspector, case=concluded, conclusion=f"Kết luận: tố cáo đúng, {CANARY}.",
        outcome=CaseOutcome.WELL_FOUNDED, concluded_on=dt.date(2026, 4, 1),
    )  # fmt: skip
    discipline = services.discipline_create(
        actor=inspector, subject_type=SubjectType.MEMBER, form=DisciplineForm.WARNING,
        symbol="99-QĐ/UBKT", decided_on=dt.date(2026, 4, 20), deciding_body=side.ward,
        person=side.person, case=concluded,
    )  # fmt: skip
    rejected = receive("HS-7F3E9/2026-C")
    services.case_reject(actor=inspector, case=rejected, reason=f"Không thụ lý, {CANARY}")
    # The time-limit reminders (the canary case is overdue): to the inspection role only.
    from inspections.tasks import send_case_reminders_task

    send_case_reminders_task.delay(today="2026-11-30")
    return {"case": case, "concluded": concluded, "discipline": discipline}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The route table's records, the planted cases and the capture, for the whole module."""
    with django_db_blocker.unblock(), rolled_back(), recording() as recorder:
        bundle = build_bundle()
        bundle.users["superuser"] = make_user("sieu-quan-tri", is_superuser=True, is_staff=True)
        mail.outbox = []
        with TestCase.captureOnCommitCallbacks(execute=True):
            planted = _plant(bundle)
        yield bundle, planted, recorder


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _admin_lists() -> list[str]:
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        try:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        except NoReverseMatch:
            continue
    return urls


def _urls(bundle: Any) -> list[str]:
    """Every GET route (ward A's records: the canary's side), exports, the admin's lists."""
    urls = []
    for route in ROUTES:
        try:
            urls.append(route.url(bundle, bundle.a))
        except Exception as error:  # a route the bundle cannot name is a failure of its own
            pytest.fail(f"route {route.key}: {error!r}")
    urls += [reverse("io_export", args=[item.name]) + "?format=csv" for item in io.registers()]
    urls += _admin_lists()
    urls += [reverse("home"), reverse("notifications"), reverse("audit_log")]
    return list(dict.fromkeys(urls))


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user, backend=BACKEND)
    return client


# Pages the same for everyone, with no record in them: asked once, not once per role.
ONCE = ("healthz", "api:schema")


def _once(url: str) -> bool:
    names = []
    for name in ONCE:
        try:
            names.append(reverse(name))
        except NoReverseMatch:
            continue
    return url.split("?")[0] in names


def _secret_entries() -> Any:
    """The audit rows naming the canary or the paper reference (before anyone's hiding)."""
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    text = Q()
    for needle in (CANARY, REFERENCE):
        text |= (
            Q(object_repr__icontains=needle)
            | Q(changes_as_text__icontains=needle)
            | Q(additional_as_text__icontains=needle)
        )
    return LogEntry.objects.annotate(
        changes_as_text=Cast("changes", TextField()),
        additional_as_text=Cast("additional_data", TextField()),
    ).filter(text)


@pytest.fixture(scope="module")
def others_session(world, django_db_blocker) -> dict[str, Any]:
    """Every other role's session: what each response, notice and audit row showed them."""
    bundle, planted, recorder = world
    found: dict[str, list[str]] = {"canary": [], "reference": []}

    def check(where: str, text: Any) -> None:
        if _found(text):
            found["canary"].append(where)
        if _found(text, REFERENCE):
            found["reference"].append(where)

    started = time.monotonic()
    urls = _urls(bundle)
    search = reverse("search")
    recorder.log.full_template_context = False
    with django_db_blocker.unblock():
        for index, who in enumerate(OTHERS):
            user = bundle.users[who]
            client = _client(user)
            for url in urls:
                if index and _once(url):
                    continue
                check(f"{who} GET {url}", _body(client.get(url)))
            # The global search: the query shows as often as a query planted nowhere (the page
            # echoes what was typed), and nothing else planted shows.
            for query, decoy in ((CANARY, DECOY), (REFERENCE, DECOY_REFERENCE), ("7f3e9", "0000x")):
                body = _body(client.get(search, {"q": query}))
                echoed = _found(body, query)
                control = _found(_body(client.get(search, {"q": decoy})), decoy)
                if echoed != control:
                    found["canary"].append(f"{who} search {query!r}: {echoed} ≠ {control}")
                canary = _found(body) - (echoed if query == CANARY else 0)
                reference = _found(body, REFERENCE) - (echoed if query == REFERENCE else 0)
                if canary:
                    found["canary"].append(f"{who} search {query!r}")
                if reference:
                    found["reference"].append(f"{who} search {query!r}")
            # The notifications and the audit entries shown to them.
            for notice in Notification.objects.filter(user=user):
                check(f"{who} notification {notice.pk}", f"{notice.title} {notice.body}")
                if planted["case"].get_absolute_url() in notice.url:
                    found["canary"].append(f"{who} was told about a case ({notice.title})")
            # Every audit row they may see, raw and as the log pages render it (a foreign key
            # named by its record): not only the rows on the log page's first page.
            for entry in confidential.hide_entries(user, _secret_entries()):
                check(
                    f"{who} audit entry {entry.pk} ({entry.content_type})",
                    f"{entry.object_repr} {entry.changes} {entry.additional_data}",
                )
            visible = confidential.hide_entries(user, LogEntry.objects.all())
            for row in audit_rows(visible.select_related("actor"), user=user):
                check(f"{who} audit row {row.record!r}", f"{row.record} {row.changes}")
    recorder.log.full_template_context = True
    found["elapsed"] = time.monotonic() - started  # type: ignore[assignment]
    return found


def test_the_canary_reaches_no_other_role(world, others_session):
    """Zero times in every response, notification and audit row of every other role, in the
    captured log, the task arguments and the e-mails; within the time budget."""
    recorder = world[2]
    # The capture works: the log and the tasks (the reminders, the notices' e-mails) were seen.
    assert recorder.log.lines and any("send_case_reminders_task" in t for t in recorder.tasks)
    leaks = others_session["canary"]
    assert not leaks, f"the canary leaked ({len(leaks)}):\n" + "\n".join(leaks[:50])
    assert _found(recorder.text()) == 0, [
        line[:600] for line in recorder.text().splitlines() if _found(line)
    ][:20]
    assert others_session["elapsed"] < TIME_BUDGET, (
        f"the canary session took {others_session['elapsed']:.0f} s"
    )


def test_the_paper_reference_reaches_no_other_role(others_session):
    """Not even a case's existence: its paper reference shows nowhere to anyone else."""
    leaks = others_session["reference"]
    assert not leaks, f"the paper reference leaked ({len(leaks)}):\n" + "\n".join(leaks[:50])


def test_the_inspection_role_keeps_it_out_of_logs_and_tasks(world, db):
    bundle, planted, recorder = world
    inspector = bundle.users["inspection"]
    case = planted["case"]
    client = _client(inspector)
    # The canary is there for them: the record, the register's search, the file, the export.
    assert _found(_body(client.get(case.get_absolute_url())))
    # Found by words of its summary, typed without diacritics; the register shows no summary.
    listing = _body(client.get(reverse("inspections:case_list"), {"q": "tien cua doanh nghiep"}))
    assert _found(listing, REFERENCE) and not _found(listing)  # no summary in the register
    attachment = case.attachments.first() if hasattr(case, "attachments") else None
    if attachment is None:
        from longbien.attachments.models import Attachment

        attachment = Attachment.objects.filter(object_id=case.pk).first()
    assert _found(_body(client.get(reverse("attachment_download", args=[attachment.pk]))))
    if "cases" in {item.name for item in io.registers()}:
        client.get(reverse("io_export", args=["cases"]) + "?format=csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("inspections:case_extend", args=[case.pk]),
            {"new_due_on": "30/12/2026", "reason": f"Lần hai {CANARY}"},
        )
        client.post(
            reverse("inspections:case_create"),
            {
                "kind": CaseKind.COMPLAINT, "level": "district", "received_on": "02/03/2026",
                "paper_reference": "KN-7F3E9", "subject_type": SubjectType.ORGANISATION,
                "unit": bundle.a.cell.pk, "summary": f"Khiếu nại {CANARY}",
                "handling_body": bundle.a.ward.pk,
            },
        )  # fmt: skip
        # A refused form (no reason) shows the page again; its text goes in no log either.
        client.post(
            reverse("inspections:case_extend", args=[case.pk]),
            {"new_due_on": "01/01/2020", "reason": f"{CANARY}"},
        )
    # Their own notifications carry no content of a case.
    for notice in Notification.objects.filter(user=inspector):
        assert not _found(f"{notice.title} {notice.body}"), notice.title
    assert _found(recorder.text()) == 0, [
        line[:600] for line in recorder.text().splitlines() if _found(line)
    ][:20]
