"""Login throttling, security headers, session cookies, password rules, production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.conftest import make_user

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Mat-khau-thu-2025"  # the password tests.conftest.make_user gives everyone


@pytest.fixture
def login_url():
    return reverse("login")


def post_login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# Login and throttling ---------------------------------------------------------------------


def test_a_wrong_password_gets_a_vietnamese_error(client, db):
    make_user("hanh")
    response = post_login(client, "hanh", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in(client, db):
    user = make_user("hanh")
    response = post_login(client, "hanh", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_failures_lock_the_username_even_for_the_right_password(client, db):
    make_user("hanh")
    assert django_settings.AXES_FAILURE_LIMIT == 5
    statuses = [post_login(client, "hanh", f"sai-{n}").status_code for n in range(5)]
    # The first four failures show the form again; the fifth reaches the limit.
    assert statuses[:4] == [200] * 4
    response = post_login(client, "hanh", PASSWORD)
    assert response.status_code in {403, 429}
    text = response.content.decode()
    assert "Tạm khóa đăng nhập" in text
    assert "30 phút" in text
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_for_that_username_only(client, db):
    make_user("hanh")
    other = make_user("lan")
    for n in range(5):
        post_login(client, "hanh", f"sai-{n}")
    response = post_login(client, "lan", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_success_before_the_limit_resets_the_count(client, db):
    make_user("hanh")
    for n in range(4):
        post_login(client, "hanh", f"sai-{n}")
    assert post_login(client, "hanh", PASSWORD).status_code == 302
    client.logout()
    for n in range(4):
        assert post_login(client, "hanh", f"sai-lai-{n}").status_code == 200
    assert post_login(client, "hanh", PASSWORD).status_code == 302


# Headers and cookies ----------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("url_name", ["login", "home"])
def test_security_headers_on_pages(client, users, url_name):
    if url_name == "home":
        client.force_login(users["staff"], backend="longbien.org.backends.PersonModelBackend")
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    script_src = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_page_template_carries_inline_script(client, users):
    """The CSP forbids inline scripts, so the templates must not rely on any."""
    client.force_login(users["admin"], backend="longbien.org.backends.PersonModelBackend")
    for url in (reverse("home"), reverse("org:unit_list"), reverse("org:person_list")):
        text = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{url}: inline script {tag}"
        assert not re.search(r"\son[a-z]+=\"", text), f"{url}: inline event handler"


def test_session_and_csrf_cookies(client, db):
    make_user("hanh")
    page = client.get(reverse("login"))
    csrf = page.cookies[django_settings.CSRF_COOKIE_NAME]
    assert csrf["samesite"] == "Lax"
    response = post_login(client, "hanh", PASSWORD)
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert int(session["max-age"]) == 8 * 60 * 60
    assert django_settings.CSRF_COOKIE_HTTPONLY is True


def test_a_post_without_csrf_token_gets_the_vietnamese_page(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


# Passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1!x", "Mật khẩu quá ngắn"),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("1234509876123", "Mật khẩu này hoàn toàn là số."),
    ],
)
def test_weak_passwords_are_rejected_in_vietnamese(password, expected):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_password(password)
    messages = caught.value.messages
    assert any(expected in message for message in messages), messages
    assert not any("password" in message.lower() for message in messages), messages


def test_the_short_password_message_names_the_minimum(db):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_password("Ngan@2025")
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in caught.value.messages


def test_a_password_like_the_username_is_rejected(db):
    user = make_user("nguyenvanhung")
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_password("nguyenvanhung1", user=user)
    assert any("Mật khẩu quá giống" in message for message in caught.value.messages)


def test_a_strong_password_passes(db):
    validate_password("Ngo-Quyen-Bach-Dang-938")


# Production settings ----------------------------------------------------------------------


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    db = django_settings.DATABASES["default"]
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    name = db["NAME"].removeprefix("test_")
    return f"postgres://{auth}@{host}{port}/{name}"


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "REDIS_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="longbien.settings.production",
        DATABASE_URL=_database_url(),
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


@pytest.mark.parametrize("key", [None, "", "q7#Lm2!v" * 5])
def test_production_settings_refuse_to_load_without_a_long_secret_key(key):
    extra = {} if key is None else {"DJANGO_SECRET_KEY": key}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=_production_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Đặt DJANGO_SECRET_KEY (ít nhất 50 ký tự, ngẫu nhiên) trong môi trường." in result.stderr


def test_production_settings_pass_the_deploy_check():
    key = "Lb-" + "".join(chr(33 + (n * 37) % 90) for n in range(57))
    assert len(key) == 60 and len(set(key)) > 5
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SECRET_KEY=key),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY)",
        ],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SECRET_KEY="k" * 30 + "L0ngB13n-" * 3 + "!" * 3),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]
