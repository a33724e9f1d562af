"""Export → import round trips, dry runs with per-row errors, all-or-nothing, scope."""

import csv
import io as std_io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation

from longbien.core import io
from longbien.org.models import OrgUnit, Person


@pytest.fixture
def people(tree):
    for n, unit in enumerate([tree.cell_a1, tree.cell_a1, tree.cell_b1]):
        Person(code=f"CB{n}", full_name=f"Phạm Thị Hoa {n}", sex="female", unit=unit).save()


def test_export_then_import_into_an_empty_database_gives_the_same_records(tree, users, people):
    units = io.export_register(user=users["admin"], name="units", fmt="xlsx")
    persons = io.export_register(user=users["admin"], name="people", fmt="xlsx")
    before_units = list(
        OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")
    )
    before_people = list(
        Person.objects.order_by("code").values_list("code", "full_name", "sex", "unit__code")
    )
    admin = users["admin"]
    from longbien.org.models import RoleAssignment

    RoleAssignment.objects.all().delete()
    Person.objects.all().delete()
    for unit in OrgUnit.objects.order_by("-depth"):
        unit.delete()
    admin = type(admin).objects.get(pk=admin.pk)
    admin.is_superuser = True
    admin.save()
    outcome = io.import_register(user=admin, name="units", data=units, fmt="xlsx", dry_run=False)
    assert outcome.ok and outcome.applied and outcome.new == 5, outcome.errors
    outcome = io.import_register(user=admin, name="people", data=persons, fmt="xlsx", dry_run=False)
    assert outcome.ok and outcome.new == 3, outcome.errors
    assert (
        list(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code"))
        == before_units
    )
    assert (
        list(Person.objects.order_by("code").values_list("code", "full_name", "sex", "unit__code"))
        == before_people
    )
    assert OrgUnit.objects.get(code="CB-A1").path == "QU/P-A/CB-A1/"


def _csv(rows):
    buffer = std_io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Mã đơn vị",
    "Chức vụ",
    "Diện quản lý",
    "Đang công tác",
]


def test_one_bad_row_blocks_the_whole_import_and_every_error_is_listed(tree, users):
    data = _csv([
        HEADER,
        ["N1", "Nguyễn Văn Một", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"],
        ["N2", "Nguyễn Văn Hai", "31/02/1980", "Nam", "", "CB-A1", "", "", "1"],
        ["N3", "Nguyễn Văn Ba", "", "Không rõ", "", "KHONG-CO", "", "", "1"],
    ])  # fmt: skip
    outcome = io.import_register(
        user=users["staff"], name="people", data=data, fmt="csv", dry_run=False
    )
    assert not outcome.applied
    # Spreadsheet line numbers, the header being line 1.
    assert [e.line for e in outcome.errors] == [3, 4]
    text = " ".join(m for e in outcome.errors for m in e.messages)
    assert "Ngày không hợp lệ" in text
    assert "Giới tính" in text or "không hợp lệ" in text
    assert Person.objects.count() == 0


def test_dry_run_writes_nothing(tree, users):
    data = _csv([HEADER, ["N1", "Nguyễn Văn Một", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"]])
    outcome = io.import_register(
        user=users["staff"], name="people", data=data, fmt="csv", dry_run=True
    )
    assert outcome.ok and not outcome.applied and outcome.new == 1
    assert Person.objects.count() == 0


def test_rows_outside_the_importers_scope_are_rejected(tree, users):
    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment

    RoleAssignment.objects.create(user=users["no_role"], role=Role.STAFF, unit=tree.ward_a)
    data = _csv(
        [
            HEADER,
            ["N1", "A", "", "Nam", "", "CB-A1", "", "", "1"],
            ["N2", "B", "", "Nam", "", "CB-B1", "", "", "1"],
        ]
    )
    outcome = io.import_register(
        user=users["no_role"], name="people", data=data, fmt="csv", dry_run=False
    )
    assert [e.line for e in outcome.errors] == [3]
    assert not outcome.applied and not Person.objects.filter(code__in=["N1", "N2"]).exists()
    assert Person.objects.count() == 0


def test_exports_follow_scope_and_are_logged(tree, users, people):
    from auditlog.models import LogEntry

    from longbien.org.choices import Role
    from longbien.org.models import RoleAssignment

    RoleAssignment.objects.create(user=users["no_role"], role=Role.STAFF, unit=tree.ward_a)
    data = io.export_register(user=users["no_role"], name="people", fmt="csv").decode("utf-8-sig")
    entry = LogEntry.objects.get(additional_data__export="people")
    assert entry.actor == users["no_role"] and entry.additional_data["rows"] == 2
    with pytest.raises(PermissionDenied):
        io.export_register(user=users["ward_staff"], name="people", fmt="csv")
    assert "CB0" in data and "CB2" not in data
    assert data.splitlines()[0].startswith("Mã cán bộ,Họ và tên")


def test_leadership_cannot_import(tree, users):
    with pytest.raises(PermissionDenied):
        io.import_register(user=users["leadership"], name="people", data=b"", fmt="csv")


def test_a_broken_file_is_a_clear_error(tree, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        io.import_register(user=users["staff"], name="people", data=b"not a zip", fmt="xlsx")
    assert "Không đọc được tệp" in info.value.messages[0]


def test_commands_round_trip(tree, users, people, tmp_path):
    users["admin"].is_superuser = True
    users["admin"].save()
    target = tmp_path / "people.csv"
    call_command("export_records", "people", str(target))
    Person.objects.filter(code="CB0").update(full_name="Tên Đã Sửa")
    call_command("import_records", "people", str(target), "--dry-run")
    assert Person.objects.get(code="CB0").full_name == "Tên Đã Sửa"
    call_command("import_records", "people", str(target))
    assert Person.objects.get(code="CB0").full_name == "Phạm Thị Hoa 0"


def test_import_page_dry_run_then_confirm(client_for, users, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(users["staff"])
    data = _csv([HEADER, ["N1", "Nguyễn Văn Một", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"]])
    response = client.post(
        "/nhap/people/", {"file": SimpleUploadedFile("ds.csv", data, "text/csv")}
    )
    assert "Tệp hợp lệ" in response.content.decode()
    assert Person.objects.count() == 0
    response = client.post("/nhap/people/", {"confirm": "1"})
    assert response.status_code == 302
    assert Person.objects.get().full_name == "Nguyễn Văn Một"


def test_exported_cells_never_run_as_formulas_and_import_back_unchanged(tree, users):
    import openpyxl

    Person(code="F1", full_name='=HYPERLINK("http://x")', sex="male", unit=tree.cell_a1).save()
    data = io.export_register(user=users["staff"], name="people", fmt="xlsx")
    sheet = openpyxl.load_workbook(std_io.BytesIO(data)).active
    cell = next(c for c in sheet["B"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value.startswith("'=")
    Person.objects.filter(code="F1").update(full_name="khác")
    assert io.import_register(
        user=users["staff"], name="people", data=data, fmt="xlsx", dry_run=False
    ).applied
    assert Person.objects.get(code="F1").full_name == '=HYPERLINK("http://x")'


def test_audit_views_show_readable_values(client_for, users, tree):
    import datetime as dt

    from longbien.org import services

    services.unit_update(
        actor=users["staff"],
        unit=tree.cell_a1,
        valid_from=dt.date(2016, 3, 5),
        parent=tree.ward_b,
        reason="Điều chỉnh",
    )
    for url in ["/nhat-ky/", f"/to-chuc/don-vi/{tree.cell_a1.code}/"]:
        page = client_for(users["admin"]).get(url).content.decode()
        assert "05/03/2016" in page and "2016-03-05" not in page
        assert "Đảng ủy phường Bình Minh" in page and "Điều chỉnh" in page


def test_a_large_file_is_checked_then_imported_by_a_worker(
    client_for, users, tree, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from longbien.core.models import ImportJob

    settings.IMPORT_BACKGROUND_ROWS = 2
    rows = [HEADER] + [
        [f"N{n}", f"Người {n}", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"] for n in range(5)
    ]
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/nhap/people/", {"file": SimpleUploadedFile("lon.csv", _csv(rows), "text/csv")}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nhap-nen/{job.pk}/"
    assert job.status == "done" and job.dry_run and not job.errors and job.total == 5
    assert Person.objects.count() == 0
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp hợp lệ: 5 dòng" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job.get_absolute_url(), {"apply": "1"})
    applied = ImportJob.objects.exclude(pk=job.pk).get()
    assert applied.applied and applied.new == 5 and Person.objects.count() == 5
    assert "Đã nhập 5 dòng" in client.get(applied.get_absolute_url()).content.decode()
    # Someone else's job is not found.
    assert client_for(users["admin"]).get(applied.get_absolute_url()).status_code == 404


def test_a_large_file_with_errors_reports_them_and_writes_nothing(
    users, tree, django_capture_on_commit_callbacks
):
    from longbien.core.models import ImportJob

    rows = [
        HEADER,
        ["N1", "A", "", "Nam", "", "CB-A1", "", "", "1"],
        ["N2", "B", "", "Không rõ", "", "CB-A1", "", "", "1"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        job = io.import_job_start(
            user=users["staff"],
            name="people",
            data=_csv(rows),
            fmt="csv",
            filename="x.csv",
            dry_run=False,
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not job.applied
    assert [e["line"] for e in job.errors] == [3]
    assert Person.objects.count() == 0


def test_audit_times_are_shown_in_local_time():
    """auditlog keeps date-times as naive UTC: 05:16 UTC is 12:16 in Hà Nội (UTC+7)."""
    from auditlog.models import LogEntry

    from longbien.audit import _readable

    field = LogEntry._meta.get_field("timestamp")
    assert _readable(field, "2026-11-30 05:16:00", {}) == "30/11/2026 12:16"
    assert _readable(field, "2026-11-30 05:16:00+00:00", {}) == "30/11/2026 12:16"


@pytest.mark.parametrize(
    "cell", ["0", "7", "-12", "100", "2026", 42, " 7 ", "1.000", "12.0", "12,0", 2026.0, "", None]
)
def test_the_integer_cell_reads_as_django_import_exports_does(cell):
    """The kernel's integer cell reads digits directly; everything else as the library does."""
    from import_export import widgets

    with translation.override("vi"):
        assert io.IntegerWidget().clean(cell) == widgets.IntegerWidget().clean(cell)


@pytest.mark.parametrize("cell", ["abc", "1e", "--1"])
def test_an_unreadable_integer_cell_is_refused_as_by_django_import_export(cell):
    from import_export import widgets

    with pytest.raises(Exception) as ours:
        io.IntegerWidget().clean(cell)
    with pytest.raises(Exception) as theirs:
        widgets.IntegerWidget().clean(cell)
    assert type(ours.value) is type(theirs.value)
