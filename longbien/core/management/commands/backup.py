"""``manage.py backup [--output FILE]``: the database and the media files in one archive
(:mod:`longbien.core.backup`; ``make backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from longbien.core import backup
from longbien.formatting import vn_number


class Command(BaseCommand):
    help = _(
        "Sao lưu cơ sở dữ liệu (pg_dump) và tệp đính kèm vào một tệp .tar có bản kê "
        "(manifest.json) để kiểm tra khi khôi phục."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help=_("Tệp .tar cần ghi (mặc định: var/backups/longbien-NGÀY-GIỜ.tar)."),
        )

    def handle(self, *args: Any, output: str | None, **options: Any) -> None:
        path = Path(output) if output else backup.default_backup_path()
        try:
            result = backup.backup(output=path, say=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã sao lưu %(tables)s bảng (%(rows)s dòng) và %(files)s tệp vào %(path)s "
                    "(%(size)s byte)."
                )
                % {
                    "tables": vn_number(result.tables),
                    "rows": vn_number(result.rows),
                    "files": vn_number(result.media_files),
                    "path": result.path,
                    "size": vn_number(result.size),
                }
            )
        )
