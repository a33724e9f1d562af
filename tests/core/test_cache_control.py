"""Responses to a signed-in user are kept out of caches; public pages and static files are not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from longbien.attachments import services as attachments
from longbien.org.models import Person

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_not_stored(response) -> None:
    assert {"no-store", "private"} <= directives(response), response.get("Cache-Control")
    assert "public" not in directives(response)


@pytest.fixture
def attachment(users, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = Person(code="CBB", full_name="Trần Thị Bình", sex="female", unit=tree.cell_b1)
    person.save()
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    return attachments.attachment_add(actor=users["staff"], record=person, upload=upload)


def test_pages_api_exports_and_files_of_a_signed_in_user_are_not_stored(
    client_for, users, attachment
):
    client = client_for(users["staff"])
    urls = [
        reverse("org:unit_list"),
        "/api/v1/org/units/",
        reverse("io_export", args=["units"]),
        reverse("io_export", args=["units"]) + "?format=csv",
        reverse("attachment_download", args=[attachment.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_a_not_found_page_for_a_signed_in_user_is_not_stored(client_for, users):
    response = client_for(users["staff"]).get(reverse("io_export", args=["khong-co"]))
    assert response.status_code == 404
    assert_not_stored(response)


def test_an_api_answer_to_a_token_is_not_stored(users):
    token = Token.objects.create(user=users["staff"])
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/org/units/")
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_login_page_and_a_successful_login_are_not_stored(client, users):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "no-store" in directives(page)  # it carries the CSRF token of this browser
    response = client.post(reverse("login"), {"username": "staff", "password": "Mat-khau-thu-2025"})
    assert response.status_code == 302
    assert_not_stored(response)


def test_an_anonymous_public_page_stays_cacheable(client, tree):
    public = client.get(reverse("cadres:public_plans", args=[tree.ward_a.code]))
    assert public.status_code == 200
    assert "no-store" not in directives(public)


def test_static_files_stay_cacheable_for_a_signed_in_user(users, settings):
    # whitenoise answers before the session is read; finders serve static/ without collectstatic.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(users["staff"], backend="longbien.org.backends.PersonModelBackend")
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in directives(static)
    assert "max-age" in static["Cache-Control"]
