"""Attachments: type checked by content, size limited, outside the web root, scoped, audited."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from longbien.attachments import services
from longbien.attachments.models import Attachment
from longbien.org.models import Person
from tests.permissions import check_matrix

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

DISTRICT = ["admin", "staff", "leadership", "inspection"]
# People's files are personal data: mass-mobilisation staff do not see people at all.
WARD_404 = {"ward_secretary": 404, "ward_staff": 404, "mass_mobilisation": 404}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    return settings.MEDIA_ROOT


@pytest.fixture
def person_b(tree):
    person = Person(code="CBB", full_name="Trần Thị Bình", sex="female", unit=tree.cell_b1)
    person.save()
    return person


def upload_url(record) -> str:
    content_type = ContentType.objects.get_for_model(record)
    return reverse("attachment_upload", args=[content_type.pk, record.pk])


def pdf(name: str = "bien-ban.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach(user, record, name: str = "bien-ban.pdf", content: bytes = PDF) -> Attachment:
    return services.attachment_add(actor=user, record=record, upload=pdf(name, content))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_upload_through_the_view_stores_the_file_under_media_root(
    client_for, users, person_b, media_root, settings
):
    client = client_for(users["staff"])
    response = client.post(
        upload_url(person_b),
        {"file": pdf(), "description": "Biên bản họp", "next": "/to-chuc/"},
        follow=True,
    )
    assert response.redirect_chain[-1] == ("/to-chuc/", 302)
    assert any("Đã đính kèm tệp bien-ban.pdf" in m for m in messages_of(response))
    attachment = Attachment.objects.get()
    assert attachment.record == person_b
    assert attachment.original_name == "bien-ban.pdf"
    assert attachment.mime_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.description == "Biên bản họp"
    assert attachment.uploaded_by == users["staff"]
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(media_root).resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert stored.read_bytes() == PDF
    # The stored name is random: the user's file name never reaches the file system.
    assert "bien-ban" not in stored.name
    entry = LogEntry.objects.get_for_object(attachment).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == users["staff"]


def test_media_root_is_outside_the_web_root_and_not_served(client_for, users):
    from longbien.settings import base
    from longbien.settings import test as test_settings

    for module in (base, test_settings):
        media = Path(module.MEDIA_ROOT).resolve()
        for web in (Path(module.STATIC_ROOT), *map(Path, module.STATICFILES_DIRS)):
            web = web.resolve()
            assert not media.is_relative_to(web) and not web.is_relative_to(media)
    # No URL serves the media folder directly: files go through the permission check only.
    client = client_for(users["admin"])
    for url in ("/media/attachments/x", "/static/attachments/x", "/attachments/x"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "gia-mao.pdf",
            b"Day khong phai PDF, chi la van ban.\n" * 20,
            "Chỉ nhận tệp PDF, Word, Excel, OpenDocument, JPEG hoặc PNG",
        ),
        ("anh.pdf", PNG, "Phần mở rộng của tệp không khớp với nội dung tệp."),
        ("bien-ban.png", PDF, "Phần mở rộng của tệp không khớp với nội dung tệp."),
        ("bien-ban", PDF, "Phần mở rộng của tệp không khớp với nội dung tệp."),
        ("rong.pdf", b"", "Tệp rỗng."),
    ],
)
def test_bad_files_are_rejected_in_vietnamese_and_nothing_is_stored(
    client_for, users, person_b, media_root, name, content, message
):
    client = client_for(users["staff"])
    response = client.post(upload_url(person_b), {"file": pdf(name, content)}, follow=True)
    assert response.status_code == 200
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert not Attachment.objects.exists()
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Attachment)
    ).exists()
    assert not any(path.is_file() for path in Path(media_root).rglob("*"))


def test_a_file_over_the_size_limit_is_rejected(client_for, users, person_b, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    client = client_for(users["staff"])
    response = client.post(upload_url(person_b), {"file": pdf()}, follow=True)
    errors = [m for m in messages_of(response) if m.startswith("Tệp quá lớn")]
    assert errors, messages_of(response)
    # The limit is shown as a readable size, not rounded down to "0 MB".
    assert "100" in errors[0] and "0 MB" not in errors[0]
    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in Path(media_root).rglob("*"))


def test_a_file_at_the_size_limit_is_accepted(users, person_b, settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF)
    attach(users["staff"], person_b)
    assert Attachment.objects.count() == 1


def test_upload_without_a_file_says_so(client_for, users, person_b):
    response = client_for(users["staff"]).post(upload_url(person_b), {}, follow=True)
    assert "Hãy chọn một tệp để tải lên." in messages_of(response)
    assert not Attachment.objects.exists()


def test_upload_matrix(client, users, person_b, tree):
    """Change on the record's unit uploads; seeing it only is 403; not seeing it is 404."""
    check_matrix(
        client,
        users,
        upload_url(person_b),
        {"admin": 302, "staff": 302, **WARD_404, "no_role": 404},
        method="post",
        data=lambda role: {"file": pdf(f"{role}.pdf")},
    )
    assert set(Attachment.objects.values_list("original_name", flat=True)) == {
        "admin.pdf",
        "staff.pdf",
    }
    # A ward user sees a record of their own ward but may not change it.
    person_a = Person(code="CBA", full_name="Lê Văn An", sex="male", unit=tree.cell_a1)
    person_a.save()
    check_matrix(
        client,
        users,
        upload_url(person_a),
        {"admin": 302, "staff": 302, "no_role": 404, "mass_mobilisation": 404},
        method="post",
        data=lambda role: {"file": pdf(f"a-{role}.pdf")},
    )


def test_upload_to_an_unknown_or_unscoped_record_is_not_found(client_for, users, person_b):
    client = client_for(users["admin"])
    person_type = ContentType.objects.get_for_model(Person)
    unscoped_type = ContentType.objects.get_for_model(Group)
    for args in ([person_type.pk, 999_999], [999_999, person_b.pk], [unscoped_type.pk, 1]):
        response = client.post(reverse("attachment_upload", args=args), {"file": pdf()})
        assert response.status_code == 404, args
    assert not Attachment.objects.exists()


def test_download_matrix_and_headers(client, users, person_b):
    attachment = attach(users["staff"], person_b)
    url = reverse("attachment_download", args=[attachment.pk])
    check_matrix(client, users, url, {**dict.fromkeys(DISTRICT, 200), **WARD_404, "no_role": 404})
    client.force_login(users["leadership"], backend="longbien.org.backends.PersonModelBackend")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bien-ban.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Reading the stream to the end closes the file (the test client then closes the response).
    assert b"".join(response.streaming_content) == PDF


def test_download_inside_the_ward_and_of_a_missing_file(client_for, users, tree):
    person_a = Person(code="CBA", full_name="Lê Văn An", sex="male", unit=tree.cell_a1)
    person_a.save()
    attachment = attach(users["staff"], person_a)
    client = client_for(users["ward_staff"])
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert (
        client.get(reverse("attachment_download", args=[attachment.pk + 1000])).status_code == 404
    )


def test_attachments_panel_lists_only_what_the_user_may_see(users, person_b):
    from longbien.attachments.selectors import attachments_for

    attach(users["staff"], person_b)
    assert len(attachments_for(user=users["leadership"], obj=person_b)) == 1
    assert attachments_for(user=users["ward_secretary"], obj=person_b) == []
    assert attachments_for(user=users["no_role"], obj=person_b) == []


def test_delete_matrix(client, users, person_b):
    """Change on the record deletes; seeing it only is 403; not seeing it is 404."""
    want = {
        **dict.fromkeys(DISTRICT, 403),
        "admin": 302,
        "staff": 302,
        **WARD_404,
        "no_role": 404,
    }
    got = {}
    for role in want:
        attachment = attach(users["staff"], person_b, f"{role}.pdf")
        client.force_login(users[role], backend="longbien.org.backends.PersonModelBackend")
        got[role] = client.post(reverse("attachment_delete", args=[attachment.pk])).status_code
        client.logout()
    attachment = attach(users["staff"], person_b, "anonymous.pdf")
    got["anonymous"] = client.post(reverse("attachment_delete", args=[attachment.pk])).status_code
    assert got == want | {"anonymous": 302}
    assert set(Attachment.objects.values_list("original_name", flat=True)) == {
        f"{role}.pdf" for role in [*want, "anonymous"] if role not in {"admin", "staff"}
    }


def test_delete_writes_an_audit_row_and_removes_the_file_after_commit(
    client_for, users, person_b, django_capture_on_commit_callbacks
):
    attachment = attach(users["staff"], person_b)
    stored = Path(attachment.file.path)
    assert stored.is_file()
    client = client_for(users["admin"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("attachment_delete", args=[attachment.pk]),
            {"reason": "Tải nhầm tệp", "next": "/"},
        )
        assert response.status_code == 302
        # Until the transaction commits, the file stays: a rollback must not lose it.
        assert stored.is_file()
    assert len(callbacks) == 1
    assert not Attachment.objects.exists()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Attachment),
        object_pk=str(attachment.pk),
        action=LogEntry.Action.DELETE,
    )
    assert entry.actor == users["admin"]
    assert entry.additional_data == {"reason": "Tải nhầm tệp"}
    callbacks[0]()
    assert not stored.exists()


def test_delete_through_the_service_removes_the_file_on_commit(
    users, person_b, django_capture_on_commit_callbacks
):
    attachment = attach(users["staff"], person_b)
    stored = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=users["staff"], attachment=attachment, reason="Trùng")
    assert not stored.exists()
    assert LogEntry.objects.filter(action=LogEntry.Action.DELETE, actor=users["staff"]).count() == 1
