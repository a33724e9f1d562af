"""Confidentiality as one kernel mechanism, tested on a test-only model (tests/confidential_app).

The model only declares ``Scope.confidential = True``; everything below comes from the kernel.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from longbien import confidential, indicators
from longbien.attachments import services as attachment_services
from longbien.audit import audited, entries_for, log_access
from longbien.core import io, search
from longbien.core.models import AccessEntry, Notification
from longbien.core.notifications import notify
from longbien.org import scope
from longbien.org.choices import Role
from longbien.org.models import OrgUnit, RoleAssignment
from tests.conftest import make_user

from .models import OpenSecret, Secret, search_secrets

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.confidential_app.urls")]

NOT_ADMITTED = ["admin", "staff", "leadership", "ward_secretary", "ward_staff", "no_role"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def people(users, tree):
    """The fixture's roles, plus a superuser without roles and a ward-level inspector."""
    superuser = make_user("root", is_superuser=True, is_staff=True)
    inspector_a = make_user("inspector_a", Role.INSPECTION, tree.ward_a)
    return {**users, "superuser": superuser, "inspector_a": inspector_a}


@pytest.fixture
def secrets(people, tree):
    with audited(actor=people["inspection"], reason="tiếp nhận"):
        a = Secret.objects.create(unit=tree.cell_a1, title="Tố cáo Alpha")
        b = Secret.objects.create(unit=tree.cell_b1, title="Tố cáo Beta")
        c = Secret.objects.create(unit=tree.ward_a, title="Tố cáo Gamma")
        a.title = "Tố cáo Alpha (sửa)"
        a.save()
    return [a, b, c]


def entries() -> list[AccessEntry]:
    return list(AccessEntry.objects.order_by("pk"))


# Seeing: restrict() and the object check.


def test_only_the_inspection_role_sees_confidential_records(people, secrets):
    assert set(Secret.objects.restrict(people["inspection"])) == set(secrets)
    # A ward inspector sees the records of their ward's subtree only.
    assert set(Secret.objects.restrict(people["inspector_a"])) == {secrets[0], secrets[2]}
    for name in [*NOT_ADMITTED, "superuser"]:
        assert not Secret.objects.restrict(people[name]).exists(), name
        assert not Secret.objects.restrict(people[name], scope.CHANGE).exists(), name
        assert not any(scope.can_on(people[name], s) for s in secrets), name
    assert scope.can_on(people["inspection"], secrets[1], scope.CHANGE)
    assert not scope.can_on(people["inspector_a"], secrets[1])


def test_a_superuser_holding_the_inspection_role_is_admitted(people, secrets, tree):
    RoleAssignment.objects.create(user=people["superuser"], role=Role.INSPECTION, unit=tree.root)
    superuser = type(people["superuser"]).objects.get(pk=people["superuser"].pk)
    assert Secret.objects.restrict(superuser).count() == 3


def test_a_restrict_hook_of_its_own_cannot_widen_the_gate(people, tree):
    record = OpenSecret.objects.create(unit=tree.cell_a1, title="Mở cho mọi người?")
    assert scope.has_own_rule(OpenSecret)
    assert list(OpenSecret.objects.restrict(people["inspection"])) == [record]
    for name in [*NOT_ADMITTED, "superuser"]:
        assert not OpenSecret.objects.restrict(people[name]).exists(), name
        assert not scope.can_on(people[name], record), name


@pytest.mark.parametrize("name", [*NOT_ADMITTED, "superuser"])
@pytest.mark.parametrize("url_name", ["secret_detail", "secret_detail_fn"])
def test_detail_pages_are_not_found_for_anyone_else(people, secrets, client_for, name, url_name):
    response = client_for(people[name]).get(reverse(url_name, args=[secrets[0].pk]))
    assert response.status_code == 404
    assert AccessEntry.objects.count() == 0


def test_a_ward_inspector_cannot_open_another_wards_record(people, secrets, client_for):
    client = client_for(people["inspector_a"])
    assert client.get(reverse("secret_detail", args=[secrets[1].pk])).status_code == 404
    assert client.get(reverse("secret_detail", args=[secrets[0].pk])).status_code == 200
    assert AccessEntry.objects.count() == 1


def test_read_refuses_an_object_the_user_is_not_admitted_to(people, secrets):
    with pytest.raises(Http404):
        confidential.read(people["superuser"], secrets[0], how=confidential.DETAIL)
    assert AccessEntry.objects.count() == 0


# Reading: one access entry per read.


@pytest.mark.parametrize("url_name", ["secret_detail", "secret_detail_fn"])
def test_a_detail_read_writes_one_access_entry(people, secrets, client_for, url_name):
    before = dt.datetime.now(dt.UTC)
    response = client_for(people["inspection"]).get(
        reverse(url_name, args=[secrets[1].pk]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200 and b"Beta" in response.content
    [entry] = entries()
    assert entry.user == people["inspection"] and entry.username == "inspection"
    assert entry.how == confidential.DETAIL
    assert entry.content_type == ContentType.objects.get_for_model(Secret)
    assert entry.object_id == str(secrets[1].pk) and entry.object_ids == [secrets[1].pk]
    assert entry.count == 1 and entry.at >= before
    assert entry.remote_addr == "10.1.2.3"


def test_a_list_read_writes_one_entry_naming_the_records_shown(people, secrets, client_for):
    client = client_for(people["inspection"])
    response = client.get(reverse("secret_list"))  # two per page
    assert response.status_code == 200
    [entry] = entries()
    assert entry.how == confidential.LIST and entry.object_id == ""
    assert entry.object_ids == [secrets[0].pk, secrets[1].pk] and entry.count == 2
    client.get(reverse("secret_list_whole"))
    assert entries()[-1].object_ids == [s.pk for s in secrets]
    assert AccessEntry.objects.count() == 2


@pytest.mark.parametrize("name", ["admin", "superuser", "leadership"])
def test_lists_are_empty_for_anyone_else(people, secrets, client_for, name):
    client = client_for(people[name])
    for url in (reverse("secret_list"), reverse("secret_list_whole")):
        response = client.get(url)
        assert response.status_code == 200
        assert b"T\xe1\xbb\x91 c\xc3\xa1o" not in response.content  # "Tố cáo"
    assert all(entry.object_ids == [] for entry in entries())


def test_api_reads_write_one_entry_each(people, secrets, client_for):
    client = client_for(people["inspection"])
    response = client.get("/test-api/secrets/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [s.pk for s in secrets]
    response = client.get(f"/test-api/secrets/{secrets[2].pk}/")
    assert response.status_code == 200 and response.json()["title"] == "Tố cáo Gamma"
    response = client.get("/test-api/all-secrets/")  # not paginated
    assert [row["id"] for row in response.json()] == [s.pk for s in secrets]
    listing, detail, whole = entries()
    assert listing.how == detail.how == whole.how == confidential.API
    assert listing.object_ids == whole.object_ids == [s.pk for s in secrets]
    assert detail.object_id == str(secrets[2].pk)


@pytest.mark.parametrize("name", ["admin", "superuser"])
def test_the_api_hides_them_from_anyone_else(people, secrets, client_for, name):
    client = client_for(people[name])
    assert client.get(f"/test-api/secrets/{secrets[0].pk}/").status_code == 404
    assert client.get("/test-api/secrets/").json()["results"] == []
    assert client.get("/test-api/all-secrets/").json() == []


class SecretResource(io.ScopedResource):
    scope_area = scope.Area.INSPECTIONS

    class Meta:
        model = Secret
        fields = ["id", "title"]


@pytest.fixture
def secret_register(monkeypatch):
    item = io.Register("secrets", "Tố cáo (thử)", SecretResource, scope.Area.INSPECTIONS)
    monkeypatch.setitem(io._REGISTERS, "secrets", item)
    return item


def test_an_export_writes_one_entry_naming_every_record(people, secrets, secret_register):
    data = io.export_register(user=people["inspection"], name="secrets", fmt="csv")
    assert "Tố cáo Beta" in data.decode("utf-8-sig")
    [entry] = entries()
    assert entry.how == confidential.EXPORT
    assert sorted(entry.object_ids) == sorted(s.pk for s in secrets) and entry.count == 3


def test_an_export_by_anyone_else_holds_no_record(people, secrets, secret_register):
    data = io.export_register(user=people["admin"], name="secrets", fmt="csv")
    assert "Tố cáo" not in data.decode("utf-8-sig")


def test_a_file_download_writes_one_entry(people, secrets, client_for):
    upload = SimpleUploadedFile("bang-chung.png", PNG, content_type="image/png")
    attachment = attachment_services.attachment_add(
        actor=people["inspection"], record=secrets[0], upload=upload
    )
    url = reverse("attachment_download", args=[attachment.pk])
    for name in ["admin", "superuser", "staff"]:
        assert client_for(people[name]).get(url).status_code == 404
    assert AccessEntry.objects.count() == 0
    response = client_for(people["inspection"]).get(url)
    assert response.status_code == 200
    [entry] = entries()
    assert entry.how == confidential.FILE and entry.object_id == str(secrets[0].pk)
    assert entry.note == "bang-chung.png"


def test_reads_are_listed_for_the_admitted_only(people, secrets):
    confidential.read(people["inspection"], secrets[0], how=confidential.DETAIL)
    confidential.read(people["inspection"], Secret.objects.all(), how=confidential.LIST)
    log_access(actor=people["inspection"], instance=secrets[1])  # the older name, same entry
    assert confidential.reads_of(people["inspection"], secrets[0]).count() == 2
    assert confidential.reads_of(people["inspection"], secrets[1]).count() == 2
    assert not confidential.reads_of(people["admin"], secrets[0]).exists()


def test_a_list_read_drops_the_rows_the_reader_may_not_see(people, secrets):
    rows = confidential.read(people["inspector_a"], secrets, how=confidential.LIST)
    assert rows == [secrets[0], secrets[2]]
    assert confidential.read(people["admin"], [], how=confidential.LIST, model=Secret) == []
    first, second = entries()
    assert (
        first.object_ids == [secrets[0].pk, secrets[2].pk] and first.user == people["inspector_a"]
    )
    assert second.object_ids == [] and second.user == people["admin"]


def test_reads_of_ordinary_records_are_not_logged(people, tree):
    units = OrgUnit.objects.restrict(people["admin"])
    assert confidential.read(people["admin"], units, how=confidential.LIST) is units
    assert confidential.read(people["admin"], tree.root, how=confidential.DETAIL) is tree.root
    assert AccessEntry.objects.count() == 0


# Hiding: the audit log, a record's history, notifications, search.


def test_changes_are_recorded_but_hidden_from_the_audit_log_of_anyone_else(
    people, secrets, client_for
):
    secret_type = ContentType.objects.get_for_model(Secret)
    assert LogEntry.objects.filter(content_type=secret_type).count() == 4
    for name in ["admin", "superuser", "staff", "leadership"]:
        shown = confidential.hide_entries(people[name], LogEntry.objects.all())
        assert not shown.filter(content_type=secret_type).exists(), name
        assert shown.exists()  # the other entries are still there (users, roles, units)
    shown = confidential.hide_entries(people["inspection"], LogEntry.objects.all())
    assert shown.filter(content_type=secret_type).count() == 4
    # A ward inspector: the history of the records of their ward only.
    shown = confidential.hide_entries(people["inspector_a"], LogEntry.objects.all())
    assert {e.object_id for e in shown.filter(content_type=secret_type)} == {
        secrets[0].pk,
        secrets[2].pk,
    }
    response = client_for(people["admin"]).get(reverse("audit_log"))
    assert response.status_code == 200
    assert "Tố cáo" not in response.content.decode()
    assert all("Tố cáo" not in row.record for row in response.context["rows"])


def test_the_admin_log_and_the_home_page_hide_them_too(people, secrets, client_for):
    client = client_for(people["superuser"])
    response = client.get("/quan-tri/auditlog/logentry/")
    assert response.status_code == 200
    assert "Tố cáo" not in response.content.decode()
    response = client_for(people["admin"]).get(reverse("home"))
    assert response.status_code == 200
    assert all("Tố cáo" not in e.object_repr for e in response.context["recent_audit"])


def test_the_log_of_files_on_confidential_records_is_hidden(people, secrets, tree):
    upload = SimpleUploadedFile("ten-nguoi-to-cao.png", PNG, content_type="image/png")
    kept = attachment_services.attachment_add(
        actor=people["inspection"], record=secrets[0], upload=upload
    )
    upload = SimpleUploadedFile("xoa-di.png", PNG, content_type="image/png")
    gone = attachment_services.attachment_add(
        actor=people["inspection"], record=secrets[1], upload=upload
    )
    attachment_services.attachment_delete(actor=people["inspection"], attachment=gone)
    shown = confidential.hide_entries(people["admin"], LogEntry.objects.all())
    assert not shown.filter(object_repr__in=["ten-nguoi-to-cao.png", "xoa-di.png"]).exists()
    assert LogEntry.objects.filter(object_repr="xoa-di.png").count() == 2  # still recorded
    assert kept.pk
    shown = confidential.hide_entries(people["inspection"], LogEntry.objects.all())
    assert shown.filter(object_repr__in=["ten-nguoi-to-cao.png", "xoa-di.png"]).count() == 3


def test_a_records_history_is_given_only_to_the_admitted(people, secrets):
    assert entries_for(secrets[0]) == []
    assert entries_for(secrets[0], user=people["admin"]) == []
    assert entries_for(secrets[0], user=people["superuser"]) == []
    rows = entries_for(secrets[0], user=people["inspection"])
    assert len(rows) == 2 and rows[0].additional_data == {"reason": "tiếp nhận"}


def test_notifications_reach_only_the_admitted_and_mail_no_content(
    people, secrets, django_capture_on_commit_callbacks
):
    for name in ["admin", "inspection"]:
        people[name].email = f"{name}@example.org"
        people[name].save()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(
            users=[people["admin"], people["superuser"], people["staff"], people["inspection"]],
            key=f"secret:{secrets[0].pk}",
            title="Tố cáo Alpha sắp hết hạn",
            body="Người tố cáo: Nguyễn Văn A",
            url="/test-secrets/1/",
            record=secrets[0],
        )
    assert made == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["inspection"]
    [message] = mail.outbox
    assert message.to == ["inspection@example.org"]
    assert "Tố cáo" not in message.subject and "Nguyễn Văn A" not in message.body
    assert "/test-secrets/1/" in message.body


def test_search_skips_confidential_object_types(people, secrets):
    assert search_secrets not in search._PROVIDERS
    for name in ["inspection", "admin", "superuser"]:
        hits = search.search(people[name], "Tố cáo")
        assert all(hit.kind != "secret" for hit in hits), name


# Indicators: computed for a viewer; counts only.


def test_indicators_refuse_a_unit_outside_the_viewers_scope(people, secrets, tree):
    with pytest.raises(PermissionDenied):
        indicators.collect(
            viewer=people["ward_secretary"],
            unit=tree.ward_b,
            start=START,
            end=END,
            areas={"inspections"},
        )
    with pytest.raises(PermissionDenied):
        indicators.collect(viewer=people["no_role"], unit=tree.root, start=START, end=END)
    with pytest.raises(PermissionDenied):  # asked by name, an area the viewer does not read
        indicators.collect(
            viewer=people["ward_staff"], unit=tree.ward_a, start=START, end=END,
            areas={"inspections"},
        )  # fmt: skip
    # Not named: the areas the viewer does not read are left out.
    values = indicators.collect(viewer=people["ward_staff"], unit=tree.ward_a, start=START, end=END)
    assert "secrets.total" not in values
    own = indicators.collect(
        viewer=people["ward_secretary"], unit=tree.ward_a, start=START, end=END,
        areas={"inspections"},
    )  # fmt: skip
    assert own["secrets.total"].count == 2  # a count, never names


def test_a_confidential_provider_yields_counts_only(monkeypatch, people, tree):
    monkeypatch.setattr(indicators, "_PROVIDERS", [])
    monkeypatch.setattr(indicators, "_COUNTS_ONLY", [])

    def names(*, unit, start, end):
        return {"secrets.names": ["Nguyễn Văn A"]}

    indicators.register(scope.Area.INSPECTIONS, names, confidential=True)
    with pytest.raises(TypeError, match="counts only"):
        indicators.collect(viewer=people["inspection"], unit=tree.root, start=START, end=END)
