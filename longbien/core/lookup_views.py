"""The pickers' JSON lookups: ``/tra-cuu/<name>/?q=…`` (see :mod:`longbien.core.lookups`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import lookups


@require_GET
@login_required
def lookup(request: HttpRequest, name: str) -> JsonResponse:
    """At most :data:`~longbien.core.lookups.LIMIT` hits the user may pick, as JSON.

    ``{"results": [{"value": "12", "text": "Nguyễn Văn A · LB00012 · Phường Bồ Đề"}, …]}``;
    an unknown lookup is a 404 and a parameter the selector refuses a 400.
    """
    try:
        item = lookups.get(name)
    except LookupError as exc:
        raise Http404 from exc
    params = {key: request.GET.get(key, "") for key in item.params}
    value = request.GET.get("value", "")
    try:
        item.value_name(value)
        hits = item.search(request.user, request.GET.get("q", ""), params)
        results = [item.as_json(hit, value) for hit in hits]
    except (ValueError, ValidationError):
        return JsonResponse({"error": _("Tham số tra cứu không hợp lệ.")}, status=400)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
