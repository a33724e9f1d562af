"""Send in-app notifications and e-mails, once per user and key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext

from longbien import confidential
from longbien.org.scope import is_confidential

from .models import Notification


def notify(
    *,
    users: Iterable[Any],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    record: models.Model | None = None,
) -> int:
    """Notify each user once for ``key``; return how many new notifications were made.

    One query finds who was already notified, one insert adds the rest; e-mails are queued
    after the transaction commits, through Celery, so a mail server fault loses nothing here.
    About a confidential ``record`` only users admitted to it are notified, and the e-mail
    (and the task's arguments) carry no content, only the link.
    """
    users = [u for u in users if u is not None]
    if is_confidential(record):
        users = confidential.recipients(users, record)
    done = set(
        Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True)
    )
    fresh = [u for u in users if u.pk not in done]
    Notification.objects.bulk_create(
        [Notification(user=u, key=key, title=title, body=body, url=url) for u in fresh],
        ignore_conflicts=True,
    )
    if email:
        addresses = [u.email for u in fresh if u.email]
        if addresses:
            from .tasks import send_mail_task  # the tasks import this module: a real cycle

            link = f"{settings.PORTAL_BASE_URL}{url}" if url else ""
            if is_confidential(record):
                title = gettext("Thông báo mới trên Cổng công tác")
                body = gettext("Bạn có thông báo mới về một hồ sơ mật; hãy đăng nhập để xem.")
            message = f"{body}\n\n{link}".strip()
            transaction.on_commit(lambda: send_mail_task.delay(title, message, addresses))
    return len(fresh)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
