from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from longbien.core import io
from longbien.core.management_helpers import command_actor


class Command(BaseCommand):
    help = "Xuất một danh mục ra tệp .xlsx hoặc .csv (theo phạm vi của tài khoản --as)."

    def add_arguments(self, parser):
        parser.add_argument(
            "resource", help="Tên danh mục: " + ", ".join(r.name for r in io.registers())
        )
        parser.add_argument("file")
        parser.add_argument(
            "--as", dest="username", help="Tài khoản thực hiện (mặc định: quản trị viên đầu tiên)."
        )

    def handle(self, *args, resource: str, file: str, username: str | None, **options):
        path = Path(file)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in io.FORMATS:
            raise CommandError("Tệp phải có đuôi .xlsx hoặc .csv.")
        try:
            data = io.export_register(user=command_actor(username), name=resource, fmt=fmt)
        except LookupError as exc:
            raise CommandError(f"Không có danh mục {resource}.") from exc
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {resource} ra {path}."))
