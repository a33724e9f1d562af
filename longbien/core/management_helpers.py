"""Shared pieces of the import/export commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from longbien.org.models import User


def command_actor(username: str | None) -> User:
    """Return the user a command acts as: ``--as USERNAME``, else the first active superuser."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên {username}.")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("Chưa có tài khoản quản trị: dùng --as USERNAME.")
    return user
