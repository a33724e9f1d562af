"""Send in-app notifications and e-mails, once per user and key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification


def notify(
    *, users: Iterable[Any], key: str, title: str, body: str = "", url: str = "", email: bool = True
) -> int:
    """Notify each user once for ``key``; return how many new notifications were made."""
    sent = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, key=key, title=title, body=body, url=url)
        except IntegrityError:
            continue  # already notified for this key: the job is idempotent
        sent += 1
        if email and user.email:
            link = f"{settings.PORTAL_BASE_URL}{url}" if url else ""
            send_mail(title, f"{body}\n\n{link}".strip(), None, [user.email], fail_silently=True)
    return sent


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
