"""The Celery application: tasks eager unless a Redis broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longbien.settings.production")

app = Celery("longbien")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
