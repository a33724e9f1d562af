"""Development: the embedded database, eager Celery, readable errors."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEMO_DATA_ALLOWED = True
# whitenoise serves static files straight from static/ even with DEBUG off (make run shows
# the portal as users see it: Vietnamese error pages, no debug tracebacks).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
