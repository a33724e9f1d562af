"""Tests: the same stack as production, fast password hashing, a fixed key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Under pytest-xdist (`make test`) each process ("gw0", "gw1", …) has its own test database
# (pytest-django), media folder and cache keys: a calendar or session cached by one process's
# database is never read by another's.
WORKER = env("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", "/tmp/longbien-test-media"))  # noqa: F405, S108
if WORKER:
    MEDIA_ROOT = MEDIA_ROOT.with_name(f"{MEDIA_ROOT.name}-{WORKER}")
    for cache in CACHES.values():  # noqa: F405
        cache["KEY_PREFIX"] = WORKER
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Tasks run in the test process; the deploy test starts a real worker of its own.
CELERY_TASK_ALWAYS_EAGER = True
DEMO_DATA_ALLOWED = True

# A test-only app with a confidential object type (tests/confidential_app): never in dev or
# production settings, so `makemigrations --check` (dev settings) does not see it.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.confidential_app.apps.ConfidentialAppConfig"]  # noqa: F405
