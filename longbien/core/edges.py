"""Bad input stops at the edge: one place refuses what no page or endpoint can use.

:class:`EdgeMiddleware` runs before sessions, authentication and every view. It refuses

- a body declared larger than anything the portal takes (413, before a byte of it is read):
  a multipart body beyond the largest upload (``UPLOAD_MAX_BYTES``) plus the allowance for its
  other fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``), any other body beyond that allowance;
- a NUL character (raw or ``%00``) in the path, the query string, a header or cookie, or a
  form's field names and values (400): PostgreSQL cannot store one, and the database driver
  fails on it wherever it is used as a parameter;
- a form Django cannot read (too many fields or files, malformed multipart: 400; fields over
  the allowance: 413).

:class:`UploadLimitHandler` (first in ``FILE_UPLOAD_HANDLERS``) stops a file stream as soon
as it passes ``UPLOAD_MAX_BYTES``, before the rest of the body is read. The API's parsers
(:class:`JSONParser`, :class:`FormParser`, :class:`MultiPartParser`, set in ``REST_FRAMEWORK``)
refuse a NUL anywhere in what they parse and JSON nested deeper than ``API_JSON_MAX_DEPTH``
(checked before it is decoded, without recursion), with Vietnamese messages.
:func:`bad_request` is ``handler400``: Django's own refusals get the same Vietnamese answer.

Pages get a rendered page (``400.html``), the API (``/api/``) gets ``{"detail": "..."}``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"
API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UploadTooLarge(RequestDataTooBig):
    """A file stream went past ``UPLOAD_MAX_BYTES`` (raised by :class:`UploadLimitHandler`)."""


# --- the messages --------------------------------------------------------------------------


def nul_message() -> str:
    return _("Yêu cầu chứa ký tự không hợp lệ (ký tự NUL, mã 0). Hãy bỏ ký tự đó rồi gửi lại.")


def upload_too_large_message() -> str:
    return _("Tệp gửi lên quá lớn: tối đa %(size)s.") % {
        "size": filesizeformat(settings.UPLOAD_MAX_BYTES)
    }


def data_too_large_message() -> str:
    return _("Dữ liệu gửi lên quá lớn: tối đa %(size)s.") % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def json_too_deep_message() -> str:
    return _("Dữ liệu JSON lồng nhau quá sâu: tối đa %(depth)d cấp.") % {
        "depth": settings.API_JSON_MAX_DEPTH
    }


def _message_for(exc: BaseException | None) -> tuple[int, str]:
    """The status and Vietnamese message of a request Django or the edge refuses."""
    if isinstance(exc, UploadTooLarge):
        return 413, upload_too_large_message()
    if isinstance(exc, RequestDataTooBig):
        return 413, data_too_large_message()
    if isinstance(exc, TooManyFieldsSent):
        return 400, _("Biểu mẫu gửi lên có quá nhiều trường.")
    if isinstance(exc, TooManyFilesSent):
        return 400, _("Biểu mẫu gửi lên có quá nhiều tệp.")
    if isinstance(exc, MultiPartParserError):
        return 400, _("Dữ liệu biểu mẫu gửi lên không đúng định dạng.")
    return 400, _("Yêu cầu không hợp lệ. Hãy kiểm tra địa chỉ và dữ liệu gửi lên rồi thử lại.")


def refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """A Vietnamese refusal: JSON ``{"detail": ...}`` for the API, a page otherwise."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    title = _("Dữ liệu gửi lên quá lớn") if status == 413 else _("Yêu cầu không hợp lệ")
    return render(
        request, "400.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: Django's refusals (body over the limit, too many fields, bad host)."""
    return refusal(request, *_message_for(exception))


# --- the middleware ------------------------------------------------------------------------


def _has_nul(items: Iterable[tuple[str, Iterable[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)


def _declared_limit(request: HttpRequest) -> tuple[int, Callable[[], str]] | None:
    """The largest body the request may declare, and the message when it declares more."""
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        return settings.UPLOAD_MAX_BYTES + (fields or 0), upload_too_large_message
    if fields is None:
        return None
    return fields, data_too_large_message


class EdgeMiddleware:
    """Refuse, before anything else reads the request, what no view can use (module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # LocaleMiddleware has not run yet: answer in the language it will pick (the thread
        # may still hold the previous request's).
        with translation.override(translation.get_language_from_request(request)):
            refused = self.check(request)
            if refused is not None:
                return refusal(request, *refused)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> tuple[int, str] | None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = _declared_limit(request)
        if limit is not None and declared > limit[0]:
            return 413, limit[1]()
        if NUL in request.path or NUL in request.path_info:
            return 400, nul_message()
        headers = (
            value for key, value in request.META.items() if key.startswith("HTTP_") and value
        )
        if any(NUL in str(value) for value in headers):
            return 400, nul_message()
        try:
            if _has_nul(request.GET.lists()) or _has_nul(
                (key, [value]) for key, value in request.COOKIES.items()
            ):
                return 400, nul_message()
            # A form is read here, once: the views (and DRF, which reuses it) see the same.
            is_form = request.method == "POST" and request.content_type in FORM_TYPES
            if is_form and _has_nul(request.POST.lists()):
                return 400, nul_message()
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as exc:
            # What Django's handler would log for these (it never sees them).
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(
                "%s: %s", request.path, exc
            )
            return _message_for(exc)
        except MultiPartParserError as exc:
            return _message_for(exc)
        return None


# --- file streams past the limit -----------------------------------------------------------


class UploadLimitHandler(FileUploadHandler):
    """Stop a file stream once it passes ``UPLOAD_MAX_BYTES`` (first of FILE_UPLOAD_HANDLERS).

    :class:`EdgeMiddleware` refuses a body declared larger than the largest file plus the
    allowance for the other fields; within that, one file may still pass the limit, and is
    stopped here after no more than the limit and one chunk is read (nothing is stored). A
    chunked body without a declared length is not read by Django at all (its length counts
    as 0), so the declared length bounds every body; this handler also guards the API's
    multipart parser and any server that passes such bodies on.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge(upload_too_large_message())
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- the API's parsers ---------------------------------------------------------------------

# A JSON string (skipped whole: brackets inside it do not count) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest deeper than ``limit`` (no recursion)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        symbol = match.group()
        if symbol in "[{":
            depth += 1
            if depth > limit:
                return True
        elif symbol in "]}":
            depth -= 1
    return False


def json_has_nul(data: Any) -> bool:
    """Whether a NUL is in any key or string value of decoded JSON, at any depth."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _encoding(parser_context: dict[str, Any] | None) -> str:
    try:
        return parsers.get_encoding(parser_context or {})
    except ParseError as exc:
        raise ParseError(_("Bảng mã ký tự ghi trong Content-Type không được hỗ trợ.")) from exc


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit, no NUL, and Vietnamese errors."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = _encoding(parser_context)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(
                _("Dữ liệu JSON không đọc được theo bảng mã %(encoding)s.") % {"encoding": encoding}
            ) from exc
        if json_depth_exceeds(text, settings.API_JSON_MAX_DEPTH):
            raise ParseError(json_too_deep_message())
        try:
            data = json.loads(
                text, parse_constant=parsers.json.strict_constant if self.strict else None
            )
        except json.JSONDecodeError as exc:
            raise ParseError(
                _("Dữ liệu JSON không hợp lệ (dòng %(line)d, cột %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("Dữ liệu JSON không hợp lệ.")) from exc
        if "\\u0000" in text and json_has_nul(data):
            raise ParseError(nul_message())
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser (PUT and PATCH forms; POST ones pass the middleware) without NUL."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        _encoding(parser_context)
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(data.lists()):
            raise ParseError(nul_message())
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser without NUL, and with Vietnamese errors."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        _encoding(parser_context)
        try:
            result = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            raise ParseError(_("Dữ liệu biểu mẫu gửi lên không đúng định dạng.")) from exc
        if _has_nul(result.data.lists()):
            raise ParseError(nul_message())
        return result
