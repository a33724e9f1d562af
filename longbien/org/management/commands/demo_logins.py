from django.core.management.base import BaseCommand

from longbien.org.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In các tài khoản demo, mỗi vai trò một tài khoản."

    def handle(self, *args, **options):
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, _first, _last, role, unit in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label} – {unit}")
