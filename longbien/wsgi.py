import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longbien.settings.production")
application = get_wsgi_application()


def _ready() -> None:
    """The URLs loaded now rather than by the first request, and the start-up heap frozen
    out of the collector's full passes (longbien/core/heap.py), then what the first requests
    make to last (compiled templates, catalogues) as the worker warms up."""
    from django.core.signals import request_finished
    from django.urls import get_resolver

    from longbien.core import heap

    get_resolver().url_patterns  # noqa: B018 - loads the URLconf
    heap.freeze()
    request_finished.connect(heap.refreeze_while_warming, dispatch_uid="longbien.heap")


_ready()
