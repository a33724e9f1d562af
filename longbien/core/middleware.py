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
