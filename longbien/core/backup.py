"""Backup and restore of the portal: the database (pg_dump / pg_restore, custom format) and the
media files, in one ``.tar`` archive with a manifest that the restore checks.

The archive holds, in this order:

- ``manifest.json``: the date, the server, the Django migrations applied, the row count of every
  table, a SHA-256 of the audit tables (the audit log and the access log, row by row in key
  order), the SHA-256 of the dump and of every media file;
- ``database.dump``: ``pg_dump --format=custom``;
- ``media/…``: the tree under ``MEDIA_ROOT``.

The dump, the counts and the checksums are taken in one snapshot (a repeatable-read transaction
whose snapshot ``pg_dump --snapshot`` shares), so the manifest describes exactly the dump even
while the portal keeps writing.

A restore refuses a database that holds any table unless ``force`` is given; then every
non-system schema is dropped in the same transaction as the restore (``pg_restore`` writes
SQL that ``psql --single-transaction`` runs): a restore that fails changes nothing in the
database. It then writes the media files and checks the restored database and files against
the manifest, and fails (:class:`BackupError`) on any difference.

The PostgreSQL client programs are the first of ``PG_BIN_DIR``, the embedded ``pgserver``'s
and those on ``PATH`` whose major version is the server's, else the oldest newer one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import dj_database_url
import psycopg2  # type: ignore[import-untyped]
import psycopg2.extensions  # type: ignore[import-untyped]
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1 << 20
# The session settings under which rows are rendered as text for the audit checksum.
TEXT_SETTINGS = (
    "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
    " SET extra_float_digits = 1; SET bytea_output = 'hex'"
)
# The schemas that hold data: all but PostgreSQL's own.
SCHEMAS_SQL = (
    "SELECT n.nspname FROM pg_namespace n"
    " WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1"
)
TABLES_SQL = (
    "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname <> 'information_schema'"
    " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
)

Say = Callable[[str], None]
# The connection parameters of libpq that Django's OPTIONS may carry (the others are Django's).
LIBPQ_KEYWORDS = frozenset(
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile",
        "channel_binding", "connect_timeout", "client_encoding", "options",
        "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "gssencmode",
        "sslmode", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert",
        "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "krbsrvname", "gsslib", "service",
        "target_session_attrs", "load_balance_hosts",
    }
)  # fmt: skip


class BackupError(Exception):
    """A backup or restore that cannot go on, or a restore that does not match its manifest."""


@dataclass(frozen=True)
class Target:
    """Where a database is: libpq parameters (the password goes through PGPASSWORD)."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Target:
        """From Django's database settings; libpq keywords in OPTIONS win, as Django lets them
        (DATABASE_URL's ``?host=/socket/folder`` lands there)."""
        values = {
            "dbname": settings_dict.get("NAME"),
            "user": settings_dict.get("USER"),
            "password": settings_dict.get("PASSWORD"),
            "host": settings_dict.get("HOST"),
            "port": settings_dict.get("PORT"),
        }
        options = settings_dict.get("OPTIONS") or {}
        values.update({key: value for key, value in options.items() if key in LIBPQ_KEYWORDS})
        text = {key: str(value) for key, value in values.items() if value not in (None, "")}
        return cls(
            name=text.pop("dbname", ""),
            user=text.pop("user", ""),
            password=text.pop("password", ""),
            host=text.pop("host", ""),
            port=text.pop("port", ""),
            options=tuple(sorted(text.items())),
        )

    @classmethod
    def default(cls) -> Target:
        """The portal's database (DATABASE_URL or the embedded one; the test database in tests)."""
        return cls.from_settings(connections["default"].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> Target:
        return cls.from_settings(dj_database_url.parse(url))

    def dsn(self, *, with_password: bool = False) -> str:
        parameters = {
            "dbname": self.name,
            "user": self.user or None,
            "host": self.host or None,
            "port": self.port or None,
            "password": (self.password or None) if with_password else None,
            **dict(self.options),
        }
        return psycopg2.extensions.make_dsn(
            **{key: value for key, value in parameters.items() if value}
        )

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def connect(self) -> psycopg2.extensions.connection:
        return psycopg2.connect(self.dsn(with_password=True))

    def shown(self) -> str:
        where = self.host or "localhost"
        if where.startswith("/"):
            where = _("socket %(path)s") % {"path": where}
        return f"{self.name} ({where}{':' + self.port if self.port else ''})"


# PostgreSQL client programs --------------------------------------------------------------------


def _bin_dirs() -> Iterator[Path]:
    if os.environ.get("PG_BIN_DIR"):
        yield Path(os.environ["PG_BIN_DIR"])
    spec = importlib.util.find_spec("pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        yield Path(location) / "pginstall" / "bin"
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if directory:
            yield Path(directory)


def _major(program: Path) -> int | None:
    try:
        done = subprocess.run(  # noqa: S603 (a PostgreSQL program found above)
            [str(program), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def client_bin_dir(server_major: int) -> Path:
    """The folder of pg_dump, pg_restore and psql to use with a server of ``server_major``."""
    seen: dict[Path, int] = {}
    for directory in _bin_dirs():
        if not all((directory / name).is_file() for name in ("pg_dump", "pg_restore", "psql")):
            continue
        major = _major(directory / "pg_dump")
        if major is not None and directory.resolve() not in seen:
            seen[directory.resolve()] = major
            if major == server_major:
                return directory
    newer = sorted((major, str(path)) for path, major in seen.items() if major > server_major)
    if newer:
        return Path(newer[0][1])
    raise BackupError(
        _(
            "Không tìm thấy pg_dump, pg_restore và psql phiên bản %(major)s trở lên (máy chủ "
            "PostgreSQL %(major)s). Cài gói postgresql-client phù hợp hoặc đặt PG_BIN_DIR."
        )
        % {"major": server_major}
    )


def _run(command: list[str], target: Target, what: str) -> None:
    done = subprocess.run(  # noqa: S603 (PostgreSQL programs, arguments built here)
        command, env=target.environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(
            _("%(what)s thất bại (mã %(code)s): %(error)s")
            % {"what": what, "code": done.returncode, "error": done.stderr.strip()[-2000:]}
        )


# What the manifest records, read from a connection -------------------------------------------


def _label(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def user_tables(cursor: psycopg2.extensions.cursor) -> list[tuple[str, str]]:
    """(schema, table) of every ordinary table outside the system schemas."""
    cursor.execute(TABLES_SQL)
    return [(schema, table) for schema, table in cursor.fetchall()]


def row_counts(cursor: psycopg2.extensions.cursor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for schema, table in user_tables(cursor):
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[_label(schema, table)] = int(cursor.fetchone()[0])
    return counts


def audit_tables() -> dict[str, str]:
    """The audit tables: {table: primary key column} (the audit log and the access log)."""
    from auditlog.models import LogEntry

    from longbien.core.models import AccessEntry

    return {model._meta.db_table: model._meta.pk.column for model in (LogEntry, AccessEntry)}


def audit_checksums(connection: psycopg2.extensions.connection) -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": …}} over each audit row's text, in key order."""
    result: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SETTINGS)
    for number, (table, key) in enumerate(sorted(audit_tables().items())):
        digest = hashlib.sha256()
        rows = 0
        with connection.cursor(name=f"longbien_audit_{number}") as cursor:
            cursor.itersize = 5000
            cursor.execute(
                sql.SQL("SELECT t::text FROM {} AS t ORDER BY t.{}").format(
                    sql.Identifier(table), sql.Identifier(key)
                )
            )
            for (text,) in cursor:
                digest.update(text.encode())
                digest.update(b"\n")
                rows += 1
        result[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def applied_migrations(cursor: psycopg2.extensions.cursor) -> list[str]:
    cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict[str, Any]]:
    """{relative path: {"size", "sha256"}} of the regular files under ``root``."""
    files: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(root).as_posix()
            files[relative] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
    return files


# Backup ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    media_files: int
    size: int


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"longbien-{stamp}.tar"


def backup(
    *,
    output: Path,
    target: Target | None = None,
    media_root: Path | None = None,
    say: Say = lambda message: None,
) -> BackupResult:
    """Write the archive of ``target`` (the portal's database) and ``media_root`` to ``output``."""
    target = target or Target.default()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="longbien-backup-") as work:
        dump_path = Path(work) / DUMP
        connection = target.connect()
        try:
            connection.set_session(
                isolation_level=psycopg2.extensions.ISOLATION_LEVEL_REPEATABLE_READ, readonly=True
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                server_major = connection.server_version // 10000
                bin_dir = client_bin_dir(server_major)
                say(_("Sao lưu cơ sở dữ liệu %(db)s…") % {"db": target.shown()})
                _run(
                    [
                        str(bin_dir / "pg_dump"),
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={dump_path}",
                        f"--dbname={target.dsn()}",
                    ],
                    target,
                    "pg_dump",
                )
                counts = row_counts(cursor)
                migrations = applied_migrations(cursor)
            audit = audit_checksums(connection)
        finally:
            connection.close()
        say(_("Sao lưu tệp đính kèm trong %(path)s…") % {"path": media_root})
        media = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "server_version": server_major,
            "database": target.name,
            "migrations": migrations,
            "row_counts": counts,
            "audit": audit,
            "dump": {"file": DUMP, "size": dump_path.stat().st_size},
            "dump_sha256": _sha256_file(dump_path),
            "media": media,
        }
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump_path, arcname=DUMP)
            for relative in media:
                archive.add(media_root / relative, arcname=f"{MEDIA}/{relative}")
        partial.replace(output)
    return BackupResult(
        path=output,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=len(media),
        size=output.stat().st_size,
    )


# Restore -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    unknown_migrations: list[str]
    missing_migrations: list[str]


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        file = archive.extractfile(member)
        manifest = json.loads(file.read() if file else b"")
    except (KeyError, ValueError) as exc:
        raise BackupError(_("Tệp không phải bản sao lưu của cổng: thiếu manifest.json.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Bản sao lưu có định dạng không được hỗ trợ."))
    return manifest


def _media_destination(root: Path, name: str) -> Path | None:
    """Where the archive's member ``name`` goes under ``root``, None if it is not a media file."""
    path = PurePosixPath(name)
    if path.parts[:1] != (MEDIA,) or len(path.parts) < 2:
        return None
    relative = PurePosixPath(*path.parts[1:])
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(_("Bản sao lưu chứa đường dẫn không hợp lệ: %(name)s") % {"name": name})
    return root.joinpath(*relative.parts)


def _copy_member(archive: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(_("Không đọc được %(name)s trong bản sao lưu.") % {"name": member.name})
    destination.parent.mkdir(parents=True, exist_ok=True)
    with source, destination.open("wb") as file:
        shutil.copyfileobj(source, file, CHUNK)


def _reset_sql(cursor: psycopg2.extensions.cursor, server_major: int) -> str:
    """SQL that empties the database: drop every non-system schema, recreate ``public``."""
    cursor.execute(SCHEMAS_SQL)
    statements = [
        sql.SQL("DROP SCHEMA {} CASCADE;").format(sql.Identifier(schema)).as_string(cursor)
        for (schema,) in cursor.fetchall()
    ]
    statements.append("CREATE SCHEMA IF NOT EXISTS public;")
    if server_major >= 15:
        statements.append("ALTER SCHEMA public OWNER TO pg_database_owner;")
        statements.append("GRANT USAGE ON SCHEMA public TO PUBLIC;")
    else:
        statements.append("GRANT ALL ON SCHEMA public TO PUBLIC;")
    return "\n".join(statements)


def _restore_database(dump_path: Path, target: Target, bin_dir: Path, reset: str, say: Say) -> None:
    """Run ``reset`` (may be empty) and pg_restore's SQL through psql in one transaction,
    committed only once pg_restore has ended well: any failure leaves the database as it was."""
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_output:
        restore = subprocess.Popen(  # noqa: S603 (PostgreSQL programs, arguments built here)
            [
                str(bin_dir / "pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--file=-",
                str(dump_path),
            ],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=target.environment(),
        )
        psql = subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                "-",
                f"--dbname={target.dsn()}",
            ],
            stdin=subprocess.PIPE,
            stdout=psql_output,
            stderr=subprocess.STDOUT,
            env=target.environment(),
        )
        assert restore.stdout is not None and psql.stdin is not None  # noqa: S101 (PIPEs)
        try:
            psql.stdin.write(f"SET client_min_messages = warning;\nBEGIN;\n{reset}\n".encode())
            while chunk := restore.stdout.read(CHUNK):
                psql.stdin.write(chunk)
            if restore.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
            # else: psql ends without COMMIT, and the server rolls the transaction back
        except BrokenPipeError:
            pass  # psql stopped on an error: it says which below
        finally:
            restore.stdout.close()
            restore.wait()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait()
        restore_errors.seek(0)
        psql_output.seek(0)
        restore_error = restore_errors.read().decode(errors="replace").strip()
        psql_error = psql_output.read().decode(errors="replace").strip()
    if psql.returncode != 0:
        raise BackupError(
            _("Khôi phục cơ sở dữ liệu thất bại, cơ sở dữ liệu không thay đổi: %(error)s")
            % {"error": psql_error[-2000:]}
        )
    if restore.returncode != 0:
        raise BackupError(
            _("pg_restore thất bại (mã %(code)s), cơ sở dữ liệu không thay đổi: %(error)s")
            % {"code": restore.returncode, "error": restore_error[-2000:]}
        )
    say(_("Đã khôi phục cơ sở dữ liệu %(db)s.") % {"db": target.shown()})


def verify(manifest: Mapping[str, Any], *, target: Target, media_root: Path) -> list[str]:
    """The differences between ``manifest`` and the database and media files: [] when equal."""
    differences: list[str] = []
    connection = target.connect()
    try:
        with connection.cursor() as cursor:
            counts = row_counts(cursor)
        audit = audit_checksums(connection)
    finally:
        connection.close()
    expected_counts: dict[str, int] = manifest.get("row_counts", {})
    for table in sorted(set(expected_counts) | set(counts)):
        expected, found = expected_counts.get(table), counts.get(table)
        if expected != found:
            differences.append(
                _("Bảng %(table)s: bản sao lưu có %(expected)s dòng, đã khôi phục %(found)s.")
                % {
                    "table": table,
                    "expected": "–" if expected is None else expected,
                    "found": "–" if found is None else found,
                }
            )
    for table, expected_audit in sorted(manifest.get("audit", {}).items()):
        if audit.get(table) != expected_audit:
            differences.append(
                _("Nhật ký %(table)s khác bản sao lưu (mã kiểm tra SHA-256 không khớp).")
                % {"table": table}
            )
    for relative, expected_file in sorted(manifest.get("media", {}).items()):
        path = media_root / relative
        if not path.is_file() or _sha256_file(path) != expected_file["sha256"]:
            differences.append(_("Tệp %(path)s thiếu hoặc khác bản sao lưu.") % {"path": relative})
    return differences


def restore(
    *,
    archive_path: Path,
    target: Target | None = None,
    media_root: Path | None = None,
    force: bool = False,
    say: Say = lambda message: None,
) -> RestoreResult:
    """Restore the archive into ``target`` (refused if it holds a table, unless ``force``) and
    its media files under ``media_root``, then check both against the manifest."""
    target = target or Target.default()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("Không có tệp %(path)s.") % {"path": archive_path})
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 (closed by the with below)
    except tarfile.TarError as exc:
        raise BackupError(_("Tệp %(path)s không phải tệp .tar.") % {"path": archive_path}) from exc
    with archive, tempfile.TemporaryDirectory(prefix="longbien-restore-") as work:
        manifest = read_manifest(archive)
        members = archive.getmembers()
        names = [member.name for member in members]
        if DUMP not in names:
            raise BackupError(_("Bản sao lưu thiếu %(name)s.") % {"name": DUMP})
        dump_path = Path(work) / DUMP
        _copy_member(archive, archive.getmember(DUMP), dump_path)
        if _sha256_file(dump_path) != manifest.get("dump_sha256"):
            raise BackupError(
                _("Bản sao lưu bị hỏng: mã kiểm tra của %(name)s không khớp.") % {"name": DUMP}
            )

        connection = target.connect()
        try:
            connection.autocommit = True
            server_major = connection.server_version // 10000
            with connection.cursor() as cursor:
                tables = user_tables(cursor)
                if tables and not force:
                    raise BackupError(
                        _(
                            "Cơ sở dữ liệu %(db)s không trống (%(tables)s bảng): không khôi phục "
                            "đè lên dữ liệu. Dùng --force (make restore FORCE=1) để xóa hết dữ "
                            "liệu hiện có và khôi phục từ bản sao lưu."
                        )
                        % {"db": target.shown(), "tables": len(tables)}
                    )
                reset = _reset_sql(cursor, server_major) if tables else ""
        finally:
            connection.close()
        bin_dir = client_bin_dir(server_major)
        if reset:
            say(_("Xóa dữ liệu hiện có của %(db)s và khôi phục…") % {"db": target.shown()})
        else:
            say(_("Khôi phục vào cơ sở dữ liệu trống %(db)s…") % {"db": target.shown()})
        _restore_database(dump_path, target, bin_dir, reset, say)

        count = 0
        for member in members:
            destination = _media_destination(media_root, member.name)
            if destination is None or not member.isfile():
                continue
            _copy_member(archive, member, destination)
            count += 1
        say(_("Đã khôi phục %(files)s tệp vào %(path)s.") % {"files": count, "path": media_root})

    differences = verify(manifest, target=target, media_root=media_root)
    if differences:
        raise BackupError(
            _("Dữ liệu đã khôi phục KHÁC bản sao lưu:") + "\n- " + "\n- ".join(differences)
        )
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    archived = set(manifest.get("migrations", []))
    counts: dict[str, int] = manifest.get("row_counts", {})
    return RestoreResult(
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=count,
        unknown_migrations=sorted(archived - known),
        missing_migrations=sorted(known - archived),
    )
