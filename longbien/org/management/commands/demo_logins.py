from django.core.management.base import BaseCommand

from longbien.org.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "In các tài khoản demo, mỗi vai trò một tài khoản."

    def handle(self, *args, **options):
        self.stdout.write("Tài khoản demo (mật khẩu chung: %s):" % DEMO_PASSWORD)
        for username, first, last, role, unit in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role.label} – {unit}")
