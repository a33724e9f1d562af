"""``manage.py restore FILE [--force] [--database-url URL]``: an archive written by ``backup``
restored into an empty database and checked against its manifest
(:mod:`longbien.core.backup`; ``make restore FILE=… [FORCE=1]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from longbien.core import backup
from longbien.formatting import vn_number


class Command(BaseCommand):
    help = _(
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu trống (hoặc xóa dữ liệu hiện có với "
        "--force), khôi phục tệp đính kèm và đối chiếu số dòng, nhật ký với bản kê."
    )
    # The target may be empty: no check may read it.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("Tệp .tar do lệnh backup ghi."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Xóa toàn bộ dữ liệu của cơ sở dữ liệu đích trước khi khôi phục."),
        )
        parser.add_argument(
            "--database-url",
            help=_("Cơ sở dữ liệu đích (mặc định: cơ sở dữ liệu của cổng)."),
        )

    def handle(
        self, *args: Any, file: str, force: bool, database_url: str | None, **options: Any
    ) -> None:
        target = backup.Target.from_url(database_url) if database_url else None
        if target is None:
            connections["default"].close()  # an idle connection of ours on the target
        try:
            result = backup.restore(
                archive_path=Path(file), target=target, force=force, say=self.stdout.write
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.unknown_migrations:
            self.stderr.write(
                _(
                    "Cảnh báo: bản sao lưu có migration mà mã nguồn này không có (%(names)s): "
                    "cập nhật mã nguồn trước khi chạy cổng."
                )
                % {"names": ", ".join(result.unknown_migrations)}
            )
        if result.missing_migrations:
            self.stdout.write(
                _("Bản sao lưu cũ hơn mã nguồn: chạy `manage.py migrate` trước khi dùng cổng.")
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Đã khôi phục và đối chiếu %(tables)s bảng (%(rows)s dòng), nhật ký và "
                    "%(files)s tệp: khớp với bản sao lưu."
                )
                % {
                    "tables": vn_number(result.tables),
                    "rows": vn_number(result.rows),
                    "files": vn_number(result.media_files),
                }
            )
        )
