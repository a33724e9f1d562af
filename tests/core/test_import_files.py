"""Uploaded import files (personal data) are deleted once applied, abandoned or too old."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from longbien.core import io
from longbien.core.models import ImportJob
from longbien.core.tasks import purge_import_files_task
from longbien.org.models import Person
from tests.core.test_io import HEADER, _csv

ROWS = [HEADER] + [
    [f"N{n}", f"Người {n}", "01/02/1980", "Nam", "", "CB-A1", "", "", "1"] for n in range(3)
]
GONE = "Tệp nhập không còn được lưu"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list[Path]:
    folder = Path(media_root) / io.IMPORT_DIR
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def upload(client, rows=ROWS, name="can-bo.csv"):
    return client.post("/nhap/people/", {"file": SimpleUploadedFile(name, _csv(rows), "text/csv")})


# A small file, checked and applied on the page ---------------------------------------------


def test_a_checked_file_is_kept_until_applied_then_deleted(client_for, users, media_root):
    client = client_for(users["staff"])
    assert upload(client).status_code == 200
    assert len(stored_files(media_root)) == 1
    response = client.post("/nhap/people/", {"confirm": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 3
    assert stored_files(media_root) == []
    assert "pending_import" not in client.session


def test_an_abandoned_check_deletes_the_file_and_imports_nothing(client_for, users, media_root):
    client = client_for(users["staff"])
    page = upload(client).content.decode()
    assert "Hủy, xóa tệp đã tải lên" in page
    response = client.post("/nhap/people/", {"abandon": "1"}, follow=True)
    assert "Đã hủy lần nhập; tệp đã tải lên đã được xóa." in response.content.decode()
    assert stored_files(media_root) == []
    assert "pending_import" not in client.session
    # Confirming afterwards imports nothing: there is nothing pending any more.
    client.post("/nhap/people/", {"confirm": "1"})
    assert Person.objects.count() == 0


def test_a_new_upload_drops_the_file_checked_before(client_for, users, media_root):
    client = client_for(users["staff"])
    upload(client, name="lan-1.csv")
    first = stored_files(media_root)
    upload(client, name="lan-2.csv")
    second = stored_files(media_root)
    assert len(first) == len(second) == 1 and first != second
    assert client.session["pending_import"]["filename"] == "lan-2.csv"


def test_confirming_a_file_deleted_meanwhile_says_so(client_for, users, media_root):
    client = client_for(users["staff"])
    upload(client)
    for path in stored_files(media_root):
        path.unlink()
    response = client.post("/nhap/people/", {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert GONE in response.content.decode()
    assert Person.objects.count() == 0 and "pending_import" not in client.session


# A large file, checked and applied by a worker ---------------------------------------------


@pytest.fixture
def checked_job(client_for, users, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.DONE and job.dry_run and not job.errors
    return client, job


def test_a_background_check_then_apply_leaves_no_file(
    checked_job, media_root, django_capture_on_commit_callbacks
):
    client, job = checked_job
    assert [str(p) for p in stored_files(media_root)] == [str(Path(media_root) / job.path)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), {"apply": "1"})
    applied = ImportJob.objects.exclude(pk=job.pk).get()
    assert applied.applied and Person.objects.count() == 3
    assert stored_files(media_root) == []
    job.refresh_from_db()
    assert job.path == "" and applied.path == ""


def test_an_abandoned_background_check_deletes_the_file(checked_job, media_root):
    client, job = checked_job
    assert "Hủy, xóa tệp đã tải lên" in client.get(job.get_absolute_url()).content.decode()
    response = client.post(job.get_absolute_url(), {"abandon": "1"}, follow=True)
    text = response.content.decode()
    assert "Đã hủy lần nhập; tệp đã tải lên đã được xóa." in text
    assert "Đã hủy" in text and "Nhập dữ liệu từ can-bo.csv" not in text
    job.refresh_from_db()
    assert job.status == ImportJob.Status.ABANDONED and job.path == ""
    assert stored_files(media_root) == []
    # An abandoned check cannot be applied any more.
    response = client.post(job.get_absolute_url(), {"apply": "1"}, follow=True)
    assert "Chỉ nhập được tệp đã kiểm tra xong và không có lỗi." in response.content.decode()
    assert ImportJob.objects.count() == 1 and Person.objects.count() == 0


def test_someone_elses_job_cannot_be_abandoned(checked_job, client_for, users, media_root):
    _client, job = checked_job
    response = client_for(users["admin"]).post(job.get_absolute_url(), {"abandon": "1"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and len(stored_files(media_root)) == 1


def test_a_background_check_with_errors_keeps_no_file(
    users, tree, media_root, django_capture_on_commit_callbacks
):
    rows = [*ROWS, ["N9", "Sai", "", "Không rõ", "", "CB-A1", "", "", "1"]]
    with django_capture_on_commit_callbacks(execute=True):
        job = io.import_job_start(
            user=users["staff"], name="people", data=_csv(rows), fmt="csv",
            filename="loi.csv", dry_run=True,
        )  # fmt: skip
    job.refresh_from_db()
    assert job.errors and job.status == ImportJob.Status.DONE
    assert job.path == "" and stored_files(media_root) == []


def test_a_job_whose_file_is_gone_ends_with_a_clear_error(users, tree, media_root):
    job = io.import_job_start(
        user=users["staff"], name="people", data=_csv(ROWS), fmt="csv", filename="x.csv",
        dry_run=True,
    )  # fmt: skip
    (Path(media_root) / job.path).unlink()  # purged before a worker got to it
    job = io.import_job_run(job=job)
    assert job.status == ImportJob.Status.DONE
    assert GONE in job.errors[0]["messages"][0]


def test_a_fault_while_importing_fails_the_job_and_deletes_the_file(
    users, tree, media_root, monkeypatch
):
    job = io.import_job_start(
        user=users["staff"], name="people", data=_csv(ROWS), fmt="csv", filename="x.csv",
        dry_run=True,
    )  # fmt: skip

    def broken(**kwargs):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(io, "import_register", broken)
    with pytest.raises(RuntimeError):
        io.import_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.path == ""
    assert stored_files(media_root) == []


# The periodic purge ------------------------------------------------------------------------


def _age(path: Path, days: float) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_the_purge_removes_old_files_and_keeps_recent_ones(users, tree, media_root, settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 2
    staff = users["staff"]

    def job(days_old: float) -> ImportJob:
        made = io.import_job_start(
            user=staff, name="people", data=_csv(ROWS), fmt="csv", filename="x.csv",
            dry_run=True,
        )  # fmt: skip
        io.import_job_run(job=made)  # a clean check, waiting to be applied
        created = timezone.now() - dt.timedelta(days=days_old)
        ImportJob.objects.filter(pk=made.pk).update(created_at=created)
        _age(Path(media_root) / made.path, days_old)
        made.refresh_from_db()
        return made

    old_job, recent_job = job(3), job(1)
    # Checked on the page, never confirmed: the session that named them is long gone.
    old_orphan = Path(io.import_file_store(user=staff, data=b"x", fmt="csv"))
    recent_orphan = Path(io.import_file_store(user=staff, data=b"y", fmt="csv"))
    _age(Path(media_root) / old_orphan, 2.5)

    assert purge_import_files_task.delay().get() == 2

    old_job.refresh_from_db()
    recent_job.refresh_from_db()
    assert old_job.path == "" and old_job.status == ImportJob.Status.ABANDONED
    assert recent_job.path and recent_job.status == ImportJob.Status.DONE
    assert stored_files(media_root) == sorted(
        [Path(media_root) / recent_job.path, Path(media_root) / recent_orphan]
    )


def test_the_purge_runs_on_beats_schedule():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.purge_import_files_task" in tasks


def test_the_purge_copes_with_no_import_folder(db, media_root):
    assert io.import_files_purge() == 0


def test_a_background_check_lists_each_change_until_applied(
    client_for, users, settings, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(users["staff"])
    io.import_register(
        user=users["staff"], name="people", data=_csv(ROWS), fmt="csv", dry_run=False
    )
    renamed = [HEADER] + [[*row[:1], f"Tên mới {n}", *row[2:]] for n, row in enumerate(ROWS[1:])]
    monkeypatch.setattr(io, "IMPORT_JOB_CHANGES_SHOWN", 2)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, renamed)
    job = ImportJob.objects.get()
    assert job.dry_run and not job.errors and job.changes_total == 3
    assert [c["record"] for c in job.changes] == ["Người 0", "Người 1"]  # capped, in file order
    page = client.get(job.get_absolute_url()).content.decode()
    assert "3 bản ghi sẽ thay đổi" in page and "Chỉ hiện 2 bản ghi đầu tiên" in page
    assert "<del>Người 0</del>" in page and "<ins>Tên mới 0</ins>" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job.get_absolute_url(), {"apply": "1"})
    job.refresh_from_db()
    assert job.changes == [] and job.path == ""  # the values it listed go with the file
    assert set(Person.objects.values_list("full_name", flat=True)) == {
        "Tên mới 0", "Tên mới 1", "Tên mới 2"
    }  # fmt: skip


def test_an_abandoned_or_purged_check_keeps_no_changes(checked_job, media_root, settings):
    client, job = checked_job
    ImportJob.objects.filter(pk=job.pk).update(changes=[{"record": "x", "line": 2, "fields": []}])
    client.post(job.get_absolute_url(), {"abandon": "1"})
    job.refresh_from_db()
    assert job.changes == []
    stale = ImportJob.objects.create(
        user=job.user, register="people", path="imports/x.csv", fmt="csv", filename="x.csv",
        status=ImportJob.Status.DONE, changes=[{"record": "x", "line": 2, "fields": []}],
    )  # fmt: skip
    ImportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    io.import_files_purge()
    stale.refresh_from_db()
    assert stale.changes == [] and stale.status == ImportJob.Status.ABANDONED
