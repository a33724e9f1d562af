"""App configs that give third-party apps a Vietnamese name in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Đăng nhập sai, khóa tạm")
