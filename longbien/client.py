"""The address of the client that sent a request, as far as the deployment can vouch for it.

Each reverse proxy in front of the app appends the address it received the request from to
``X-Forwarded-For``; whatever stands left of those entries was written by the client and is
not trusted. With ``settings.PROXY_COUNT`` proxies the client is therefore the
``PROXY_COUNT``-th address from the right, and without a proxy the header is ignored: a
client cannot pick the address a login lockout or an audit entry records.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address: from ``X-Forwarded-For`` behind proxies, else the peer."""
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return peer
    # ipware counts the proxies listed in the header, so the last proxy (the peer) is not one of
    # them. Not strict: a chain the client made longer still yields the right entry.
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or peer
