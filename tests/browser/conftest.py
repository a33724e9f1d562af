"""Playwright fixtures for the browser tests: one system Chromium per session, a page per test.

The browser tests drive ``/usr/bin/chromium`` (never a downloaded browser) against
pytest-django's ``live_server``. Screenshots go to ``var/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise
# refuse ORM calls made by the tests (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=vi-VN",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_or_skip(CHROMIUM.exists(), f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ with a stable name."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username: str, password: str) -> None:
    """Fill and submit the login form at /dang-nhap/."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.locator("input[name='username']").fill(username)
    page.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
