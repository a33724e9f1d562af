"""History and times: Vietnamese labels for every field and model, local times everywhere."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from longbien.core.models import AccessEntry
from resolutions import services
from resolutions.models import Document
from tests.resolutions.factories import make_document

PROJECT_APPS = {"org", "core", "attachments", "procedures", "resolutions", "cadres"}

# Vietnamese labels written without diacritics (every other label has at least one).
WITHOUT_DIACRITICS = {"giao ban", "theo ISO 9001:2015"}


def _vietnamese(label: str) -> bool:
    return not label.isascii() or label in WITHOUT_DIACRITICS


def _auto_label(field) -> str:
    """The label Django makes up when none is given (``created_at`` -> "created at")."""
    return field.name.replace("_", " ")


def test_every_model_and_field_of_the_project_has_a_vietnamese_label():
    """As written in the source (the catalogs aside): no auto-generated or English label.

    A field inherited from Django (the account's "superuser status") counts too: the portal
    declares it again with its own label.
    """
    missing = []
    with translation.override(None):  # the msgids themselves
        for model in apps.get_models():
            if model._meta.app_label not in PROJECT_APPS:
                continue
            for label in (model._meta.verbose_name, model._meta.verbose_name_plural):
                if not _vietnamese(str(label)):
                    missing.append(f"{model._meta.label}: {label}")
            for field in model._meta.get_fields():
                if field.auto_created and (not field.concrete or field.primary_key):
                    continue  # reverse relations and the automatic "id"
                label = str(field.verbose_name)
                if label == _auto_label(field) or not _vietnamese(label):
                    missing.append(f"{model._meta.label}.{field.name}: {label}")
    assert missing == []


@pytest.fixture
def edited_document(users, tree):
    document = make_document(users["staff"], tree.root, symbol="12-NQ/QU", title="Về chuyển đổi số")
    services.document_update(
        actor=users["staff"],
        document=Document.objects.get(pk=document.pk),
        title="Về chuyển đổi số trong công tác Đảng",
        signed_date=dt.date(2026, 1, 12),
        reason="Sửa trích yếu",
    )
    entry = LogEntry.objects.get_for_object(document).filter(action=LogEntry.Action.UPDATE).get()
    # 01:30 UTC is 08:30 in Hà Nội.
    LogEntry.objects.filter(pk=entry.pk).update(
        timestamp=dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
    )
    return document


def _history(html: str) -> str:
    return re.search(r"<h2>Lịch sử thay đổi</h2>.*?</section>", html, re.S).group(0)


@pytest.mark.django_db
def test_the_history_of_an_edited_document_speaks_vietnamese_in_local_time(
    users, edited_document, client_for
):
    client = client_for(users["staff"])
    html = client.get(edited_document.get_absolute_url()).content.decode()
    history = _history(html)
    assert "02/03/2026 08:30" in history
    assert "01:30" not in history
    assert "<strong>Trích yếu</strong>: Về chuyển đổi số → Về chuyển đổi số trong công tác" in (
        history
    )
    assert "<strong>Ngày ký</strong>: 10/01/2026 → 12/01/2026" in history
    assert "Sửa trích yếu" in history
    for english in ["title", "signed_date", "signed date", "Title"]:
        assert f"<strong>{english}" not in history


@pytest.mark.django_db
def test_the_global_log_names_the_model_and_fields_in_vietnamese_in_local_time(
    users, edited_document, client_for
):
    html = client_for(users["admin"]).get(reverse("audit_log")).content.decode()
    row = next(r for r in re.findall(r"<tr\b[^>]*>.*?</tr>", html, re.S) if "08:30" in r)
    assert "02/03/2026 08:30:00" in row
    assert "Văn bản: 12-NQ/QU" in row
    assert "<strong>Trích yếu</strong>" in row
    # The action filter lists auditlog's actions in Vietnamese (through the portal's catalog).
    assert re.search(r'<option value="1"[^>]*>\s*Sửa\s*</option>', html)


@pytest.mark.django_db
def test_an_account_change_shows_vietnamese_labels(users, client_for):
    """The account's fields come from Django: "superuser status" is shown in Vietnamese."""
    from longbien.audit import audit_rows

    account = users["no_role"]
    account.is_superuser = True
    account.save()
    rows = audit_rows(LogEntry.objects.get_for_object(account).order_by("-timestamp")[:1])
    labels = [label for label, _old, _new in rows[0].changes]
    assert "Quản trị toàn quyền" in labels
    assert rows[0].record.startswith("Tài khoản: ")


@pytest.mark.django_db
def test_strings_built_in_python_use_local_time(users, tree):
    entry = AccessEntry(
        username="thanhtra",
        how=AccessEntry.How.DETAIL,
        at=dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC),
        content_type=ContentType.objects.get_for_model(Document),
    )
    assert str(entry).endswith("02/03/2026 08:30")


@pytest.mark.django_db
def test_the_api_gives_times_with_the_local_offset(users, tree, client_for):
    """The API keeps ISO 8601, in local time with its offset (+07:00), not UTC."""
    from rest_framework import serializers

    class Moment(serializers.Serializer):
        at = serializers.DateTimeField()

    text = Moment({"at": dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)}).data["at"]
    assert text == "2026-03-02T08:30:00+07:00"


@pytest.mark.django_db
def test_linked_documents_and_times_in_the_history_read_as_on_the_pages(users, tree):
    from longbien.audit import audit_rows, entries_for
    from resolutions.models import TaskUpdate

    upstream = make_document(users["staff"], None, symbol="45-NQ/TW", issuer_name="Trung ương")
    document = make_document(users["staff"], tree.root, symbol="3-NQ/QU", implements=[upstream])
    linked = [
        change
        for row in entries_for(document, user=users["staff"])
        for change in row.changes
        if change[0] == "Thực hiện văn bản cấp trên"
    ]
    assert linked == [("Thực hiện văn bản cấp trên", "", f"thêm: {upstream}")]
    # A date-time stored by auditlog (naive UTC) is shown in local time.
    field = TaskUpdate._meta.get_field("reported_at")
    entry = LogEntry(changes={"reported_at": ["None", "2026-03-02 01:30:00"]}, action=1)
    entry.content_type = ContentType.objects.get_for_model(TaskUpdate)
    row = audit_rows([entry])[0]
    assert row.changes == [("Thời điểm báo cáo", "", "02/03/2026 08:30")]
    assert str(field.verbose_name) == "thời điểm báo cáo"
