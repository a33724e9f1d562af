"""Backup and restore (issue 15): the demo backed up by ``manage.py backup`` and restored by
``manage.py restore`` into a fresh database on the same server has every table's row count,
the same audit log and the attachments' files; a non-empty database is refused; a restore
that does not match its manifest fails."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from longbien.attachments.models import Attachment
from longbien.org.models import OrgUnit
from tests.conftest import at_most

TIME_LIMIT_SECONDS = 60


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    with at_most(TIME_LIMIT_SECONDS):
        yield


def server() -> dict[str, str]:
    """The test server's parameters (the embedded one's socket folder is in OPTIONS)."""
    params = connection.settings_dict
    found = {key: params[key.upper()] or "" for key in ("user", "password", "host", "port")}
    found.update(
        {key: params["OPTIONS"][key] for key in ("host", "port") if key in params["OPTIONS"]}
    )
    return found


def connect(name: str):
    return psycopg2.connect(dbname=name, **{k: v for k, v in server().items() if v})


def url(name: str) -> str:
    params = server()
    password = f":{quote(params['password'], safe='')}" if params["password"] else ""
    port = f":{params['port']}" if params["port"] else ""
    query = f"?host={quote(params['host'], safe='/')}" if params["host"].startswith("/") else ""
    host = "" if query else params["host"]
    return f"postgres://{quote(params['user'], safe='')}{password}@{host}{port}/{name}{query}"


def snapshot(conn) -> tuple[dict[str, int], str]:
    """Every public table's row count, and an MD5 of the audit log's rows in id order."""
    with conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalog names)
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) FROM auditlog_logentry t"
        )
        audit = cursor.fetchone()[0]
    return counts, audit


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database on the test server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = connect(connection.settings_dict["NAME"])
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_and_restore_the_demo(transactional_db, settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    content = "Biên bản hội nghị – tệp thử".encode() * 100
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(OrgUnit),
        object_id=OrgUnit.objects.get(code="QU-LB").pk,
        original_name="bien-ban.pdf",
        mime_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_at=timezone.now(),
    )
    attachment.file.save("bien-ban.pdf", ContentFile(content))
    archive = tmp_path / "sao-luu.tar"

    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert "Đã sao lưu" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[:2] == ["manifest.json", "database.dump"]
    assert f"media/{attachment.file.name}" in names
    assert manifest["row_counts"]["auditlog_logentry"] > 1000
    assert "org.0001_initial" in manifest["migrations"]

    source = connect(connection.settings_dict["NAME"])
    try:
        source_counts, source_audit = snapshot(source)
    finally:
        source.close()
    assert source_counts["org_orgunit"] > 100 and source_audit

    # Into a fresh database, with the media into an empty folder.
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    out = io.StringIO()
    call_command("restore", str(archive), database_url=url(fresh_database), stdout=out)
    assert "khớp với bản sao lưu" in out.getvalue()
    restored = connect(fresh_database)
    try:
        restored_counts, restored_audit = snapshot(restored)
    finally:
        restored.close()
    assert restored_counts == source_counts
    assert restored_audit == source_audit
    assert (tmp_path / "restored-media" / attachment.file.name).read_bytes() == content

    # A database that holds tables is refused, and left as it was.
    units = OrgUnit.objects.count()
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert OrgUnit.objects.count() == units
    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive), database_url=url(fresh_database))

    # An archive whose manifest does not match its dump fails loudly (--force: replace it all).
    tampered = tmp_path / "sua.tar"
    manifest["row_counts"]["org_orgunit"] += 1
    data = json.dumps(manifest).encode()
    with tarfile.open(archive) as tar, tarfile.open(tampered, "w") as out_tar:
        for member in tar.getmembers():
            if member.name == "manifest.json":
                member.size = len(data)
                out_tar.addfile(member, io.BytesIO(data))
            else:
                out_tar.addfile(member, tar.extractfile(member))
    with pytest.raises(CommandError, match="org_orgunit") as refused:
        call_command(
            "restore",
            str(tampered),
            database_url=url(fresh_database),
            force=True,
            stdout=io.StringIO(),
        )
    assert "KHÁC" in str(refused.value)
    restored = connect(fresh_database)
    try:  # --force replaced the data: the same rows again, not twice as many
        assert snapshot(restored) == (source_counts, source_audit)
    finally:
        restored.close()


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "khong-phai.tar"
    with tarfile.open(bogus, "w") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("restore", str(tmp_path / "khong-co.tar"))
    assert Path(bogus).exists()
