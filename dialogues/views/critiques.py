"""Placeholder: the pages are being written (see urls_outreach)."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


critique_list = _todo
critique_create = _todo
critique_detail = _todo
critique_update = _todo
recommendation_add = _todo
recommendation_respond = _todo
feedback_list = _todo
feedback_create = _todo
feedback_detail = _todo
feedback_update = _todo
feedback_respond = _todo
