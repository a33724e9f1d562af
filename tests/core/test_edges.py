"""Bad input at the edge (longbien/core/edges.py): a Vietnamese 400 or 413, never a 500.

Every URL pattern is requested with a NUL in each path parameter, in a query key and value and
in a form's field name and value, as an administrator and anonymously; the API's parsers refuse
NUL in JSON and JSON nested too deep; oversized bodies are refused by their declared size
before they are read, and a file stream is stopped past the limit; Django's own refusals and
the API's error messages are Vietnamese.
"""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import get_resolver, resolve
from django.urls.converters import get_converters
from django.urls.exceptions import Resolver404
from rest_framework.exceptions import ParseError

from longbien.attachments.models import Attachment
from longbien.core import edges
from longbien.org.models import OrgUnit, Person
from tests.routes import _walk

BACKEND = "longbien.org.backends.PersonModelBackend"
NUL_MESSAGE = "ký tự NUL"
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Each refusal would log a warning; the statuses tell enough."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clients(users) -> dict[str, Client]:
    admin = Client(raise_request_exception=False)
    admin.force_login(users["admin"], backend=BACKEND)
    return {"admin": admin, "anonymous": Client(raise_request_exception=False)}


# --- every URL pattern ---------------------------------------------------------------------


def _group_end(route: str, start: int) -> int:
    """The index just past the parenthesis closing the group opened at ``start``."""
    depth = 0
    for index in range(start, len(route)):
        if route[index] == "\\":
            continue
        if route[index] == "(" and (index == 0 or route[index - 1] != "\\"):
            depth += 1
        elif route[index] == ")" and route[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    raise AssertionError(f"unbalanced group in {route!r}")


def _parts(route: str) -> list[str | tuple[str, str]]:
    """The route as literal text and ``(name, regex)`` parameters (path() and re_path())."""
    parts: list[str | tuple[str, str]] = []
    converter = re.compile(r"<(?:(\w+):)?(\w+)>")
    index, literal = 0, ""
    while index < len(route):
        if route.startswith("(?P<", index):
            end = _group_end(route, index)
            name = route[index + 4 : route.index(">", index)]
            parts += [literal, (name, route[route.index(">", index) + 1 : end - 1])]
            index, literal = end, ""
        elif match := converter.match(route, index):
            regex = get_converters()[match.group(1) or "str"].regex
            parts += [literal, (match.group(2), regex)]
            index, literal = match.end(), ""
        else:
            literal += route[index]
            index += 1
    parts.append(literal)
    return [
        part.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
        if isinstance(part, str)
        else part
        for part in parts
    ]


def _value(regex: str) -> str:
    for candidate in ["1", "json", ".json", "x", *regex.split("|")]:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"no value for {regex!r}")


def _url(parts: list[str | tuple[str, str]], nul_in: str | None = None) -> str:
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            name, regex = part
            text += _value(regex) + ("%00" if name == nul_in else "")
    return "/" + text


def every_pattern() -> list[tuple[str, list[str | tuple[str, str]]]]:
    return [(route, _parts(route)) for _, route in _walk(get_resolver().url_patterns)]


def test_the_walk_builds_a_url_for_every_pattern():
    """Control: without the NUL, each URL built reaches its own pattern (the walk is real)."""
    patterns = every_pattern()
    assert len(patterns) > 300 and any(route.startswith("quan-tri/") for route, _ in patterns)
    unresolved = []
    for route, parts in patterns:
        try:
            resolve(_url(parts))
        except Resolver404:
            unresolved.append(route)
    assert not unresolved


def _refusals(clients, requests) -> list[str]:
    """Every (who, method, url, data) answered otherwise than by the Vietnamese 400."""
    wrong = []
    for who, client in clients.items():
        for method, url, kwargs in requests:
            response = getattr(client, method)(url, **kwargs)
            body = response.content.decode()
            if url.startswith("/api/"):
                ok = response.status_code == 400 and NUL_MESSAGE in response.json()["detail"]
            else:
                ok = response.status_code == 400 and NUL_MESSAGE in body and "<html" in body
            if not ok:
                wrong.append(f"{who} {method.upper()} {url}: {response.status_code}")
    return wrong


def test_nul_in_every_path_parameter_of_every_pattern_is_a_vietnamese_400(clients):
    requests = [
        ("get", _url(parts, nul_in=part[0]), {})
        for _, parts in every_pattern()
        for part in parts
        if isinstance(part, tuple)
    ]
    assert len(requests) > 150
    wrong = _refusals(clients, requests)
    assert not wrong, "\n".join(wrong)


def test_nul_in_the_query_string_of_every_pattern_is_a_vietnamese_400(clients):
    requests = []
    for _, parts in every_pattern():
        url = _url(parts)
        requests += [
            ("get", f"{url}?q=a%00b", {}),
            ("get", f"{url}?a%00b=1", {}),
            ("get", f"{url}?page=1&ordering=\x00", {}),
        ]
    wrong = _refusals(clients, requests)
    assert not wrong, "\n".join(wrong)


def test_nul_in_a_form_posted_to_every_pattern_is_a_vietnamese_400(clients):
    requests = []
    for _, parts in every_pattern():
        url = _url(parts)
        requests += [
            ("post", url, {"data": {"name": "a\x00b", "reason": "x"}}),
            ("post", url, {"data": {"na\x00me": "a"}}),
            ("post", url, {"data": {"file": io.BytesIO(b"x"), "description": "\x00"}}),
        ]
    wrong = _refusals(clients, requests)
    assert not wrong, "\n".join(wrong)


def test_nul_in_json_posted_to_every_api_pattern_is_never_a_500(clients):
    """The API's JSON parser refuses it wherever a view reads the body (others 403/404/405)."""
    api = [_url(parts) for route, parts in every_pattern() if route.startswith("api/")]
    statuses = {}
    for who, client in clients.items():
        for url in api:
            for body in ('{"na\\u0000me": "a"}', '{"name": ["x", {"a": "b\\u0000"}]}'):
                response = client.post(url, body, content_type="application/json")
                statuses[(who, url, body)] = response.status_code
                if response.status_code == 400:
                    assert NUL_MESSAGE in response.json()["detail"], (url, response.json())
    assert set(statuses.values()) <= {400, 401, 403, 404, 405}, {
        key: status for key, status in statuses.items() if status >= 500
    }
    assert 400 in statuses.values()


def test_nul_in_a_header_or_cookie_is_a_vietnamese_400(clients):
    anonymous = clients["anonymous"]
    token = anonymous.get("/api/v1/org/units/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert token.status_code == 400 and NUL_MESSAGE in token.json()["detail"]
    # An escaped NUL in a quoted cookie value.
    cookie = anonymous.get(
        "/can-bo-danh-gia/cong-khai/QU/", HTTP_COOKIE='sessionid="\\000abcdefgh"'
    )
    assert cookie.status_code == 400 and NUL_MESSAGE in cookie.content.decode()


def test_the_public_page_of_the_report_is_refused_with_a_page(clients):
    """The public page named in the report: a rendered Vietnamese page, not a 500."""
    response = clients["anonymous"].get("/can-bo-danh-gia/cong-khai/QU%00/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<h2>Yêu cầu không hợp lệ</h2>" in body and NUL_MESSAGE in body


def test_the_edge_answers_in_the_language_of_the_request_not_of_the_previous_one(clients):
    """The edge runs before LocaleMiddleware; the thread may still hold English."""
    english = clients["admin"].get("/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and "Back to the home page" in english.content.decode()
    refused = clients["anonymous"].get("/can-bo-danh-gia/cong-khai/QU%00/")
    assert "Về trang chủ" in refused.content.decode()


# --- forms and JSON ------------------------------------------------------------------------


def test_a_page_form_with_nul_is_refused_and_saves_nothing(clients, tree):
    before = OrgUnit.objects.count()
    for data in (
        {"code": "CB-NUL", "name": "Chi bộ\x00", "kind": "party_cell", "parent": tree.ward_a.pk},
        {"code": "CB-NUL", "name": "Chi bộ", "kind": "party_cell", "pa\x00rent": "1"},
    ):
        response = clients["admin"].post("/to-chuc/don-vi/them/", data)
        assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()
    assert OrgUnit.objects.count() == before


@pytest.mark.parametrize(
    "body",
    [
        '{"co\\u0000de": "CB-X", "name": "Chi bộ", "kind": "party_cell", "parent": "P-A"}',
        '{"code": "CB-X", "name": "Chi bộ\\u0000", "kind": "party_cell", "parent": "P-A"}',
        '{"code": "CB-X", "name": "Chi bộ", "kind": "party_cell", "parent": "P-A",'
        ' "extra": [{"a": {"b": [{"c\\u0000": 1}]}}]}',
    ],
    ids=["key", "value", "deep-key"],
)
def test_json_with_nul_is_a_vietnamese_400_and_saves_nothing(clients, tree, body):
    before = OrgUnit.objects.count()
    response = clients["admin"].post("/api/v1/org/units/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert NUL_MESSAGE in response.json()["detail"]
    assert OrgUnit.objects.count() == before


def test_an_escaped_backslash_before_u0000_is_not_a_nul(clients, tree):
    body = '{"code": "CB-X", "name": "Chi bộ \\\\u0000", "kind": "party_cell", "parent": "P-A"}'
    response = clients["admin"].post("/api/v1/org/units/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert OrgUnit.objects.get(code="CB-X").name == "Chi bộ \\u0000"


@pytest.mark.parametrize(
    "body",
    ["[" * 1000 + "]" * 1000, '{"a": ' * 1000 + "1" + "}" * 1000, "[" * 100_000],
    ids=["arrays", "objects", "unclosed"],
)
def test_json_nested_1000_deep_is_a_vietnamese_400(clients, tree, body):
    response = clients["admin"].post("/api/v1/org/units/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Dữ liệu JSON lồng nhau quá sâu: tối đa 32 cấp."}


def test_json_depth_is_configurable_and_brackets_in_strings_do_not_count(settings):
    parser = edges.JSONParser()

    def parse(text: str):
        return parser.parse(io.BytesIO(text.encode()), "application/json", {})

    settings.API_JSON_MAX_DEPTH = 3
    assert parse('[[{"a": "[[[[[[{{{{"}]]') == [[{"a": "[[[[[[{{{{"}]]
    assert parse('{"a": "\\"[[[["}') == {"a": '"[[[['}
    with pytest.raises(ParseError, match="tối đa 3 cấp"):
        parse("[[[[1]]]]")
    # A million levels are counted without recursion.
    assert edges.json_depth_exceeds("[" * 1_000_000, 64)


def test_malformed_json_and_a_bad_charset_are_vietnamese(clients, tree):
    broken = clients["admin"].post("/api/v1/org/units/", '{"a": ', content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Dữ liệu JSON không hợp lệ (dòng 1, cột 7)."}
    # A bytes-to-bytes codec would decompress the body (DRF refuses it, in English).
    charset = clients["admin"].generic(
        "POST", "/api/v1/org/units/", b"{}", CONTENT_TYPE="application/json; charset=bz2_codec"
    )
    assert charset.status_code == 400 and VIETNAMESE.search(charset.json()["detail"])


def test_api_forms_sent_with_patch_are_checked_by_the_parsers(clients, tree):
    """PUT and PATCH bodies never pass Django's request.POST: DRF's parsers refuse the NUL."""
    url = "/api/v1/org/units/P-A/"
    form = clients["admin"].patch(
        url, "name=Ph%C6%B0%E1%BB%9Dng%00", content_type="application/x-www-form-urlencoded"
    )
    assert form.status_code == 400 and NUL_MESSAGE in form.json()["detail"]
    multipart = clients["admin"].patch(
        url, encode_multipart(BOUNDARY, {"name": "Phường\x00"}), content_type=MULTIPART_CONTENT
    )
    assert multipart.status_code == 400 and NUL_MESSAGE in multipart.json()["detail"]
    broken = clients["admin"].generic("PATCH", url, b"x", CONTENT_TYPE="multipart/form-data")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Dữ liệu biểu mẫu gửi lên không đúng định dạng."}
    tree.ward_a.refresh_from_db()
    assert "\x00" not in tree.ward_a.name


# --- sizes ---------------------------------------------------------------------------------


class CountingPayload(FakePayload):
    """The request body, counting what the server reads of it."""

    def __init__(self, content: bytes) -> None:
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _post_upload(client, url, content: bytes, length: int | None = None):
    body = encode_multipart(
        BOUNDARY, {"file": _named(io.BytesIO(content), "bien-ban.pdf"), "next": "/"}
    )
    payload = CountingPayload(body)
    extra = {"wsgi.input": payload, "CONTENT_LENGTH": str(length or len(body))}
    response = client.generic("POST", url, body, content_type=MULTIPART_CONTENT, **extra)
    return response, payload, len(body)


def _named(stream: io.BytesIO, name: str) -> io.BytesIO:
    stream.name = name  # type: ignore[attr-defined]
    return stream


@pytest.fixture
def person(tree):
    person = Person(code="CBA", full_name="Trần Thị An", sex="female", unit=tree.cell_a1)
    person.save()
    return person


def _upload_url(person) -> str:
    from django.contrib.contenttypes.models import ContentType

    return f"/tep/tai-len/{ContentType.objects.get_for_model(person).pk}/{person.pk}/"


def test_a_50_mb_upload_is_refused_by_its_declared_size_before_it_is_read(
    clients, person, media_root
):
    response, payload, _ = _post_upload(
        clients["admin"], _upload_url(person), PDF, length=50 * 1024 * 1024
    )
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn: tối đa 20,0" in response.content.decode()
    assert payload.bytes_read == 0
    assert not Attachment.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(clients, person, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response, payload, size = _post_upload(clients["admin"], _upload_url(person), PDF * 1000)
    assert size > 20_000 and response.status_code == 413 and payload.bytes_read == 0
    assert not Attachment.objects.exists()
    api = clients["admin"].post(
        "/api/v1/org/units/", json.dumps({"name": "x" * 20_000}), content_type="application/json"
    )
    assert api.status_code == 413
    assert api.json() == {"detail": "Dữ liệu gửi lên quá lớn: tối đa 9,8\xa0KB."}


def test_a_file_stream_past_the_limit_is_stopped(clients, person, settings, media_root):
    """Declared within the allowance (file limit + other fields), one file too large."""
    settings.UPLOAD_MAX_BYTES = 100_000
    content = PDF + b"0" * 2_000_000
    response, payload, size = _post_upload(clients["admin"], _upload_url(person), content)
    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn: tối đa 97,7" in response.content.decode()
    assert payload.bytes_read < 400_000 < size
    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in Path(media_root).rglob("*"))
    # At the limit, the file goes through.
    response, _, _ = _post_upload(
        clients["admin"], _upload_url(person), PDF + b"0" * (100_000 - len(PDF))
    )
    assert response.status_code == 302 and Attachment.objects.get().size == 100_000


def test_an_api_upload_past_the_limit_is_a_vietnamese_413(clients, tree, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    body = encode_multipart(BOUNDARY, {"name": "x", "file": _named(io.BytesIO(PDF * 500), "a.pdf")})
    response = clients["admin"].patch(
        "/api/v1/org/units/P-A/", body, content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Tệp gửi lên quá lớn: tối đa 9,8\xa0KB."}


def test_the_upload_limit_covers_every_upload_the_portal_takes(settings):
    from longbien.core.io_views import MAX_IMPORT_BYTES

    assert max(settings.ATTACHMENT_MAX_BYTES, MAX_IMPORT_BYTES) <= settings.UPLOAD_MAX_BYTES


# --- Django's own refusals, in Vietnamese --------------------------------------------------


def test_form_fields_over_the_allowance_get_a_vietnamese_413(clients, person, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = clients["admin"].post(_upload_url(person), {"description": "x" * 5_000})
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    assert "Bad Request" not in response.content.decode()


def test_too_many_fields_get_a_vietnamese_400(clients, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    fields = {f"f{n}": "x" for n in range(10)}
    for response in (
        clients["admin"].post("/to-chuc/don-vi/them/", fields),
        clients["admin"].get("/to-chuc/don-vi/", fields),
    ):
        assert response.status_code == 400
        assert "Biểu mẫu gửi lên có quá nhiều trường." in response.content.decode()
    api = clients["admin"].post("/api/v1/org/units/", fields)
    assert api.json() == {"detail": "Biểu mẫu gửi lên có quá nhiều trường."}


def test_handler400_answers_in_vietnamese(clients):
    """Django's refusals after the edge (here a host not allowed) use the same page."""
    page = clients["anonymous"].get("/dang-nhap/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and "Yêu cầu không hợp lệ" in page.content.decode()
    assert "Bad Request" not in page.content.decode()
    api = clients["anonymous"].get("/api/v1/org/units/", HTTP_HOST="evil.example")
    assert api.status_code == 400 and VIETNAMESE.search(api.json()["detail"])


# --- the API's error messages --------------------------------------------------------------


def test_api_error_messages_are_vietnamese(clients, users, client):
    client.force_login(users["no_role"], backend=BACKEND)
    admin, anonymous = clients["admin"], clients["anonymous"]
    answers = {
        401: anonymous.get("/api/v1/org/units/"),
        403: client.get("/api/v1/org/units/"),
        404: admin.get("/api/v1/org/units/KHONG-CO/"),
        405: admin.delete("/api/v1/org/units/"),
        406: admin.get("/api/v1/org/units/", HTTP_ACCEPT="application/xml"),
        415: admin.post("/api/v1/org/units/", "x", content_type="text/plain"),
        400: admin.post("/api/v1/org/units/", "{", content_type="application/json"),
        -404: admin.get("/api/v1/org/units/?page=999"),
    }
    english = {
        401: "Authentication credentials were not provided.",
        403: "You do not have permission to perform this action.",
        404: "Not found.",
        405: 'Method "DELETE" not allowed.',
        406: "Could not satisfy the request Accept header.",
        415: 'Unsupported media type "text/plain" in request.',
        400: "JSON parse error",
        -404: "Invalid page.",
    }
    wrong = {}
    for status, response in answers.items():
        # json.loads, not response.json(): a 406 is sent as JSON whatever was asked.
        detail = json.loads(response.content)["detail"]
        vietnamese = VIETNAMESE.search(detail) and english[status] not in detail
        if response.status_code != abs(status) or not vietnamese:
            wrong[status] = (response.status_code, detail)
    assert not wrong
