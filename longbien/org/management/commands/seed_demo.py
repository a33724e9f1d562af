from django.core.management.base import BaseCommand

from longbien.core import demo
from longbien.org import demo as org_demo
from longbien.service import batch


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Long Biên (chạy lại không thay đổi gì); --scale city cho dữ liệu cỡ thành phố."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["district", "city"], default="district")
        parser.add_argument(
            "--force", action="store_true", help="Cho phép nạp dữ liệu mẫu trên máy chủ thật."
        )

    def handle(self, *args, scale: str, force: bool, **options):
        from django.conf import settings
        from django.core.management.base import CommandError

        if not (settings.DEMO_DATA_ALLOWED or force):
            # The demo creates well-known logins: never by accident on a real server.
            raise CommandError(
                "Dữ liệu mẫu tạo tài khoản có mật khẩu công khai: chỉ chạy trên máy phát triển, hoặc thêm --force."
            )
        with batch():
            built = org_demo.load_long_bien()
            self.stdout.write(
                f"Long Biên: {len(built.units)} đơn vị chính, {built.people_created} người mới."
            )
            for name, loader in demo.loaders():
                result = loader(built=built)
                self.stdout.write(f"{name}: {result}")
        if scale == "city":
            with batch():
                added = org_demo.load_city()
            self.stdout.write(f"Thành phố: {added} người mới.")
            for name, loader in demo.city_loaders():
                with batch():
                    self.stdout.write(f"{name} (thành phố): {loader()}")
            # The planner needs statistics of the new volume (this server does not autovacuum).
            demo.analyze()
        self.stdout.write(self.style.SUCCESS("Xong."))
