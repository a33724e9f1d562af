"""The term report's journey in the browser: the Standing Committee's user asks for the
district's report of a year, watches the progress bar move through a stage, downloads the
PDF and opens the web version, whose figure leads to the register with the same count.

How the job runs here: the tests run Celery eagerly, and ``term_jobs.job_request`` sends the
task on commit, so under the live server the render would run inside the POST itself and the
job page would only load once the PDF is done. To see the progress honestly, the task is sent
to a thread of its own, as a worker would take it (``term_jobs._start`` patched: the real
``report_term_task`` runs there, once committed), and the real renderer is wrapped
(``term_jobs._renderer`` patched) so that it stops when it reports the "charts" stage, until
the test has seen that stage on the page and lets it go on. Everything else is the real
code: the claim, the progress writes, the stored file, the htmx polling, the download.

The demo (``seed_demo``) is loaded for the test; the district's report of 2019 takes a few
seconds to render. Screenshots go to var/screenshots/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from playwright.sync_api import expect

from longbien.org.demo import DEMO_PASSWORD
from longbien.reporting import term_jobs
from longbien.reporting.models import TermReportJob
from longbien.reporting.tasks import report_term_task
from tests.conftest import require_or_skip

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTRICT = "Quận ủy Long Biên"
YEAR = 2019
PDFTOTEXT = shutil.which("pdftotext")
WAIT = 60  # seconds the stopped renderer waits at most (the test releases it long before)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=StringIO())


class Worker:
    """The job's task in a thread of its own (as a Celery worker takes it), its renderer
    stopped at the "charts" stage until :meth:`release`."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.released = threading.Event()
        self.threads: list[threading.Thread] = []
        self.outcomes: list[str] = []
        self.real = term_jobs._renderer()

    def start(self, job: TermReportJob) -> None:
        pk = job.pk

        def run() -> None:
            try:
                self.outcomes.append(report_term_task.apply(args=[pk]).get())
            finally:
                connection.close()

        def send() -> None:
            thread = threading.Thread(target=run, name=f"term-job-{pk}", daemon=True)
            self.threads.append(thread)
            thread.start()

        transaction.on_commit(send)

    def render(self, *, unit, period, progress) -> bytes:
        def gate(stage: str, percent: int) -> None:
            progress(stage, percent)
            if stage == "charts" and not self.reached.is_set():
                self.reached.set()
                self.released.wait(WAIT)

        return self.real(unit=unit, period=period, progress=gate)

    def release(self) -> None:
        self.released.set()

    def join(self) -> None:
        self.release()
        for thread in self.threads:
            thread.join(WAIT)


@pytest.fixture
def worker(monkeypatch):
    worker = Worker()
    monkeypatch.setattr(term_jobs, "_start", worker.start)
    monkeypatch.setattr(term_jobs, "_renderer", lambda: worker.render)
    yield worker
    worker.join()


def _number(text: str) -> int:
    """A count as the pages write it ("1.004" → 1004)."""
    return int(re.sub(r"\D", "", text))


def test_leadership_starts_a_report_watches_it_downloads_and_drills(
    page, live_server, demo, worker, tmp_path
):
    require_or_skip(PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed")

    # a. The term reports' list: the district and a year (no term).
    login(page, live_server, "thuongvu", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/bao-cao-quy/nhiem-ky/")
    expect(page.locator("main h1")).to_have_text("Báo cáo tổng kết")
    expect(page.locator("main")).to_contain_text("Chưa có báo cáo tổng kết nào.")
    form = page.locator("main form").filter(has=page.locator("select[name='unit']"))
    form.locator("select[name='unit']").select_option(label=DISTRICT)
    form.locator("select[name='term']").select_option("")
    form.locator("input[name='year']").fill(str(YEAR))
    form.locator("select[name='half']").select_option("")
    with page.expect_navigation():
        form.get_by_role("button", name="Tạo báo cáo", exact=True).click()
    job = TermReportJob.objects.get()
    assert (job.unit.code, job.period_kind, job.year, job.half) == ("QU-LB", "year", YEAR, None)
    expect(page).to_have_url(f"{live_server.url}/bao-cao-quy/nhiem-ky/{job.pk}/")
    expect(page.locator("main ul.messages")).to_contain_text(
        "Đã yêu cầu tạo báo cáo; hệ thống đang tạo trong nền."
    )
    expect(page.locator("main h1 small")).to_contain_text(f"{DISTRICT} · ")

    # b. The progress bar: "running", at the charts stage (the renderer waits there), by
    #    the page's own polling.
    assert worker.reached.wait(WAIT), "the renderer never reached the charts stage"
    progress = page.locator("main #term-progress")
    expect(progress.locator("h2")).to_have_text("Đang tạo", timeout=10_000)
    expect(progress.locator("label[for='term-progress-bar']")).to_have_text("Đang vẽ biểu đồ")
    expect(progress.locator("#term-progress-bar")).to_have_attribute("value", "60")
    expect(progress.get_by_role("link", name="Tải báo cáo (PDF)")).to_have_count(0)
    job.refresh_from_db()
    assert (job.state, job.stage, job.percent) == ("running", "charts", 60)
    screenshot(page, "term-1-progress.png")

    # c. Let it go on: the same page turns to "done" with the download link.
    worker.release()
    expect(progress.locator("h2")).to_have_text("Đã xong", timeout=WAIT * 1000)
    download_link = progress.get_by_role("link", name="Tải báo cáo (PDF)", exact=True)
    expect(download_link).to_be_visible()
    job.refresh_from_db()
    assert (job.state, job.stage, job.percent, job.attempts) == ("done", "done", 100, 1)
    assert worker.outcomes == [term_jobs.RENDERED]
    screenshot(page, "term-2-done.png")

    # d. The PDF: downloaded whole, with the report's title and the unit's name in it.
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == term_jobs.download_name(job)
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf == job.file.open("rb").read()
    saved = tmp_path / "term.pdf"
    saved.write_bytes(pdf)
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(saved), "-"], capture_output=True, text=True, timeout=30,
        check=True,
    ).stdout  # fmt: skip
    assert "BÁO CÁO" in text
    assert "QUẬN ỦY LONG BIÊN" in text.upper()
    assert f"năm {YEAR}" in text

    # e. The web version from the finished job; the documents figure of the appendix opens
    #    the document register with the same count.
    with page.expect_navigation():
        progress.get_by_role("link", name="Xem bản trực tuyến", exact=True).click()
    assert "/bao-cao-quy/nhiem-ky/xem/" in page.url
    assert "unit=QU-LB" in page.url and f"year={YEAR}" in page.url
    expect(page.locator("main h1 small")).to_contain_text(DISTRICT)
    expect(
        page.locator("main .tools").get_by_role("link", name="Tải báo cáo (PDF)")
    ).to_be_visible()
    expect(page.locator("main #phu-luc h2")).to_have_text("PHỤ LỤC: NGUỒN VÀ CÁCH TÍNH CÁC SỐ LIỆU")
    figure = page.locator("main #phu-luc tr[data-code='documents.total'] a.figure-link")
    expect(figure).to_have_count(1)
    count = _number(figure.inner_text())
    assert count > 0
    screenshot(page, "term-3-web.png")
    with page.expect_navigation():
        figure.click()
    assert "/bao-cao-quy/" not in page.url
    expect(page.locator(".result-count")).to_have_attribute("data-count", str(count))
    screenshot(page, "term-4-register.png")
