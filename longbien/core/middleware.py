from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.utils.cache import patch_cache_control

from longbien.client import client_address
from longbien.org import scope
from longbien.org.models import OrgUnit


class CurrentUnitMiddleware:
    """Attach the unit picked in the header (kept in the session) as ``request.current_unit``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_unit = _current_unit(request)
        return self.get_response(request)


def _current_unit(request):
    code = request.session.get("unit_code") if hasattr(request, "session") else None
    if not code or not request.user.is_authenticated:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None or not scope.can(request.user, scope.Area.ORG, scope.VIEW, unit):
        return None
    return unit


class NoStoreForUsersMiddleware:
    """Keep every response to a signed-in user out of browser and proxy caches.

    Pages, API answers, exports and files carry records a shared browser or proxy must not
    keep: a response to an authenticated request gets ``Cache-Control: no-store, private``
    (``public`` is dropped). Checked after the view, so a user signed in by an API token
    (which DRF sets on the request) counts too. Static files and anonymous public pages stay
    cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, no_store=True, private=True)
        return response


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the client address the deployment vouches for.

    The library's own takes the first ``X-Forwarded-For`` entry, which the client writes.
    """

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)
