"""Placeholder: the pages are being written (see urls_outreach)."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


reception_list = _todo
reception_create = _todo
reception_detail = _todo
reception_update = _todo
model_list = _todo
model_create = _todo
model_detail = _todo
model_update = _todo
