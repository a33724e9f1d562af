from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from longbien.core import io
from longbien.core.management_helpers import command_actor


class Command(BaseCommand):
    help = (
        "Nhập một danh mục từ tệp .xlsx hoặc .csv: kiểm tra mọi dòng, ghi tất cả hoặc không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "resource", help="Tên danh mục: " + ", ".join(r.name for r in io.registers())
        )
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--as", dest="username", help="Tài khoản thực hiện (mặc định: quản trị viên đầu tiên)."
        )
        parser.add_argument("--reason", default="", help="Lý do, ghi vào nhật ký.")

    def handle(
        self,
        *args,
        resource: str,
        file: str,
        dry_run: bool,
        username: str | None,
        reason: str,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        try:
            outcome = io.import_register(
                user=command_actor(username), name=resource, data=path.read_bytes(),
                fmt=path.suffix.lower().lstrip("."), dry_run=dry_run, reason=reason,
            )  # fmt: skip
        except LookupError as exc:
            raise CommandError(f"Không có danh mục {resource}.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for error in outcome.errors:
            self.stderr.write(f"Dòng {error.line}: " + "; ".join(error.messages))
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} dòng lỗi; không ghi dòng nào.")
        for change in outcome.changes:  # each stored record the file changes
            fields = "; ".join(f"{f.label}: {f.before} → {f.after}" for f in change.fields)
            self.stdout.write(f"Dòng {change.line} ({change.record}): {fields}")
        verb = "Đã nhập" if outcome.applied else "Hợp lệ (chưa ghi)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {outcome.total} dòng, {outcome.new} mới, {outcome.updated} cập nhật."
            )
        )
