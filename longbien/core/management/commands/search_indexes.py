"""``manage.py search_indexes``: build the text-search indexes the migrations declare
(:mod:`longbien.search_index`) on a database migrated on a server without ``pg_trgm``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from longbien import search_index


class Command(BaseCommand):
    help = _(
        "Tạo các chỉ mục tìm kiếm chữ (pg_trgm) mà các bản chuyển đổi khai báo, nếu máy chủ "
        "PostgreSQL có pg_trgm; chạy lại nhiều lần không sao."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        MigrationLoader(connection)  # imports every migration: each declares its indexes
        if not search_index.available(connection):
            raise CommandError(
                _("Máy chủ PostgreSQL không có tiện ích pg_trgm: không tạo được chỉ mục tìm kiếm.")
            )
        for name, (table, expression) in sorted(search_index.DECLARED.items()):
            existed = search_index.exists(connection, name)
            search_index.create(connection, name, table, expression)
            self.stdout.write(
                (_("Đã có %(name)s.") if existed else _("Đã tạo %(name)s.")) % {"name": name}
            )
