"""Placeholder: the pages are being written (see ../urls.py)."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


report_list = _todo
report_open = _todo
report_detail = _todo
report_edit = _todo
report_submit = _todo
report_return = _todo
report_accept = _todo
