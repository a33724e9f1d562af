"""Benchmarks (``make bench``): the test settings without the test-only apps.

A test-only app registers an indicator provider of its own (``tests/confidential_app``): a
dashboard measured with it asked that provider 23 more queries no deployment sends.
"""

from .test import *  # noqa: F403
from .test import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("tests.")]
