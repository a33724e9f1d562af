"""Placeholder: the pages are being written (see ../urls.py)."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


compliance_board = _todo
board_export = _todo
quarter_export = _todo
report_pdf = _todo
